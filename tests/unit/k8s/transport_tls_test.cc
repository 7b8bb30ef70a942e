// The Transport against a real TLS server on loopback. It trusts exactly the configured CA: a
// server whose certificate chains to another CA, one that OpenSSL's default verify paths
// ($SSL_CERT_FILE here) would trust, is refused; bad TLS material fails when the Transport is
// made. An exec plugin's token is sent, and a 401 runs the plugin again and resends once.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "k8s/transport.h"

namespace mtasts::k8s {
namespace {

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A key and a certificate for it: a CA when issuer is null, else a leaf for 127.0.0.1.
struct Identity {
  KeyPtr key{EVP_EC_gen("P-256"), &EVP_PKEY_free};
  CertPtr cert{X509_new(), &X509_free};

  Identity(const char* name, const Identity* issuer) {
    X509* c = cert.get();
    X509_set_version(c, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c), std::rand());
    X509_gmtime_adj(X509_getm_notBefore(c), -3600);
    X509_gmtime_adj(X509_getm_notAfter(c), 3600);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(c), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(name), -1, -1, 0);
    X509_set_issuer_name(c, X509_get_subject_name(issuer ? issuer->cert.get() : c));
    X509_set_pubkey(c, key.get());
    X509* signer = issuer ? issuer->cert.get() : c;
    if (issuer == nullptr) {
      AddExtension(c, signer, NID_basic_constraints, "critical,CA:TRUE");
      AddExtension(c, signer, NID_key_usage, "critical,keyCertSign");
    } else {
      AddExtension(c, signer, NID_subject_alt_name, "IP:127.0.0.1");
    }
    X509_sign(c, issuer ? issuer->key.get() : key.get(), EVP_sha256());
  }

  std::string CertPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert.get());
    return Drain(bio);
  }
  std::string KeyPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    return Drain(bio);
  }
  static std::string Drain(BIO* bio) {
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string out(data, n);
    BIO_free(bio);
    return out;
  }
};

// A TLS server on 127.0.0.1 answering every request with 200 and "{}" until destroyed; with a
// `token`, only requests that carry it, and 401 to the others.
class LoopbackTlsServer {
 public:
  explicit LoopbackTlsServer(const Identity& identity, std::string token = "")
      : ctx_(SSL_CTX_new(TLS_server_method())), token_(std::move(token)) {
    SSL_CTX_use_certificate(ctx_, identity.cert.get());
    SSL_CTX_use_PrivateKey(ctx_, identity.key.get());
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&addr), len), 0) << std::strerror(errno);
    EXPECT_EQ(listen(fd_, 16), 0) << std::strerror(errno);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~LoopbackTlsServer() {
    shutdown(fd_, SHUT_RDWR);  // wakes accept
    thread_.join();
    close(fd_);
    SSL_CTX_free(ctx_);
  }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }
  int handshakes() const { return handshakes_; }
  int requests() const { return requests_; }

 private:
  void Serve() {
    while (true) {
      int conn = accept(fd_, nullptr, nullptr);
      if (conn < 0) return;
      SSL* ssl = SSL_new(ctx_);
      SSL_set_fd(ssl, conn);
      if (SSL_accept(ssl) == 1) {
        ++handshakes_;
        std::string request;
        char buf[4096];
        int n = 0;
        while (request.find("\r\n\r\n") == std::string::npos &&
               (n = SSL_read(ssl, buf, sizeof buf)) > 0) {
          request.append(buf, n);
        }
        ++requests_;
        bool authorized =
            token_.empty() || request.find("Bearer " + token_ + "\r\n") != std::string::npos;
        std::string response = std::string("HTTP/1.1 ") +
                               (authorized ? "200 OK" : "401 Unauthorized") +
                               "\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                               "Connection: close\r\n\r\n{}";
        SSL_write(ssl, response.data(), static_cast<int>(response.size()));
        SSL_shutdown(ssl);
      }
      SSL_free(ssl);
      close(conn);
    }
  }

  SSL_CTX* ctx_;
  const std::string token_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<int> handshakes_{0};
  std::atomic<int> requests_{0};
  std::thread thread_;
};

// Points OpenSSL's default CA file at `pem` for the test's lifetime.
class ScopedCertFile {
 public:
  explicit ScopedCertFile(const std::string& pem)
      : path_(std::filesystem::temp_directory_path() /
              ("transport-tls-test-" + std::to_string(getpid()) + ".pem")) {
    if (const char* old = std::getenv("SSL_CERT_FILE")) old_ = old;
    std::ofstream(path_) << pem;
    setenv("SSL_CERT_FILE", path_.c_str(), 1);
  }
  ~ScopedCertFile() {
    if (old_) {
      setenv("SSL_CERT_FILE", old_->c_str(), 1);
    } else {
      unsetenv("SSL_CERT_FILE");
    }
    std::filesystem::remove(path_);
  }

 private:
  std::filesystem::path path_;
  std::optional<std::string> old_;
};

class TransportTest : public ::testing::Test {
 protected:
  StatusOr<HttpResult> Get(const std::string& url, const std::string& ca_pem) {
    Config config;
    config.server = url;
    config.ca_pem = ca_pem;
    config.source = "test";
    auto transport = Transport::New(config, std::chrono::seconds(5), "transport-tls-test");
    if (!transport.ok()) return transport.status();
    return (*transport)->Send("GET", "/version");
  }

  Identity cluster_ca_{"cluster CA", nullptr};
  Identity other_ca_{"other CA", nullptr};
};

TEST_F(TransportTest, TrustsTheConfiguredCa) {
  Identity server("apiserver", &cluster_ca_);
  LoopbackTlsServer tls(server);
  auto result = Get(tls.url(), cluster_ca_.CertPem());
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, 200);
}

TEST_F(TransportTest, TheDefaultCaFileIsTrustedWhenNoCaIsConfigured) {
  // The control for the next test: $SSL_CERT_FILE does reach the client's default store.
  ScopedCertFile default_cas(other_ca_.CertPem());
  Identity server("elsewhere", &other_ca_);
  LoopbackTlsServer tls(server);
  auto result = Get(tls.url(), "");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
}

TEST_F(TransportTest, RefusesAServerTrustedOnlyByTheDefaultStore) {
  ScopedCertFile default_cas(other_ca_.CertPem());
  Identity server("impostor", &other_ca_);
  LoopbackTlsServer tls(server);
  auto result = Get(tls.url(), cluster_ca_.CertPem());
  EXPECT_FALSE(result.ok()) << "answered " << result->status;
  EXPECT_EQ(tls.handshakes(), 0);
}

TEST_F(TransportTest, ABadCaFailsWhenTheTransportIsMade) {
  std::string pem = cluster_ca_.CertPem();
  for (const std::string& bad :
       {std::string("not a certificate\n"),
        pem.substr(0, pem.size() / 2) + "\n-----END CERTIFICATE-----\n",
        pem + "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"}) {
    auto result = Get("https://127.0.0.1:1", bad);
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(result.status().message().find("certificate authority (from test)"),
              std::string::npos)
        << result.status().ToString();
  }
}

TEST_F(TransportTest, AClientKeyThatIsNotTheCertificatesFailsWhenTheTransportIsMade) {
  Identity client("client", &cluster_ca_);
  Config config;
  config.server = "https://127.0.0.1:1";
  config.source = "test";
  config.client_cert_pem = client.CertPem();
  config.client_key_pem = other_ca_.KeyPem();
  auto transport = Transport::New(config, std::chrono::seconds(5), "transport-tls-test");
  EXPECT_EQ(transport.status().code(), StatusCode::kInvalidArgument);
  config.client_key_pem = client.KeyPem();
  EXPECT_TRUE(Transport::New(config, std::chrono::seconds(5), "transport-tls-test").ok());
}

TEST_F(TransportTest, A401RunsTheExecPluginAgainAndResendsOnce) {
  // The plugin hands out "stale" first, then "fresh"; the server accepts only "fresh".
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("transport-exec-test-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "plugin.sh")
      << "#!/bin/sh\nrun=$(($(cat runs 2>/dev/null || echo 0) + 1)); echo $run > runs\n"
         "[ $run = 1 ] && token=stale || token=fresh\n"
         "printf '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\",'\n"
         "printf '\"kind\":\"ExecCredential\",\"status\":{\"token\":\"%s\"}}' $token\n";
  std::filesystem::permissions(dir / "plugin.sh", std::filesystem::perms::owner_all);
  Identity server("apiserver", &cluster_ca_);
  LoopbackTlsServer tls(server, "fresh");
  Config config;
  config.server = tls.url();
  config.ca_pem = cluster_ca_.CertPem();
  config.source = "test";
  config.exec = ExecPlugin{};
  config.exec->command = "/bin/sh";
  config.exec->args = {"-c", "cd " + dir.string() + " && exec ./plugin.sh"};
  config.exec->api_version = "client.authentication.k8s.io/v1beta1";

  auto transport = Transport::New(config, std::chrono::seconds(5), "transport-test");
  ASSERT_TRUE(transport.ok()) << transport.status().ToString();
  auto result = (*transport)->Send("GET", "/version");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(tls.requests(), 2);  // once with "stale", once more with "fresh"
  // The fresh token is kept: no further plugin run, no further 401.
  EXPECT_EQ((*transport)->Send("GET", "/version")->status, 200);
  EXPECT_EQ(tls.requests(), 3);
  std::ifstream runs(dir / "runs");
  int count = 0;
  runs >> count;
  EXPECT_EQ(count, 2);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mtasts::k8s
