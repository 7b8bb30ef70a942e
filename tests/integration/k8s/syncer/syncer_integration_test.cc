// The syncer on the real control plane, feeding a real nginx that runs the production config
// (charts/mta-sts-operator/files/nginx.conf) with the serve directory as its prefix, as the chart
// runs the two side by side. What a sender fetches is checked with the operator's own
// PolicyFetcher (SNI mta-sts.<domain>, the certificate verified against the test's CA): a
// labelled ConfigMap and kubernetes.io/tls Secret are served; a change is served at the next
// request and a renewed certificate at the next handshake, with no reload; a delete takes them
// away; and a syncer restarted over a file that nothing asks for any more removes it before it
// says it is ready.
#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../client/k8s_env.h"
#include "controller/names.h"
#include "controller/serve_dir.h"
#include "controller/syncer.h"
#include "fakes/fake_resolver.h"
#include "k8s/base64.h"
#include "probe/policy_fetcher.h"
#include "temp_serve_dir.h"
#include "test_pki.h"

namespace mtasts::controller {
namespace {

namespace fs = std::filesystem;
using k8s::test_env::Eventually;
using k8s::test_env::NewNamespace;
using k8s::test_env::TestClient;
using ::testing::Contains;
using testing::ReadFile;
using testing::TempServeDir;
using testing::TestCa;
using testing::TlsFiles;

// nginx listens here, on a port free when the test starts.
constexpr char kAddress[] = "127.27.0.1";

// A port on kAddress that nothing listens on now.
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  ::inet_pton(AF_INET, kAddress, &addr.sin_addr);
  socklen_t size = sizeof(addr);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), size) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &size) != 0) {
    ::close(fd);
    return 0;
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

// The production nginx config, run with `prefix` as its prefix (the layout its header names):
// started by the constructor, stopped by the destructor.
class Nginx {
 public:
  explicit Nginx(const fs::path& prefix) : prefix_(prefix), port_(FreePort()) {
    fs::copy_file(MTASTS_NGINX_CONF, prefix / "nginx.conf");
    std::ofstream(prefix / "listen.conf") << "listen " << kAddress << ":" << port_ << " ssl;\n";
    // No report intake here: nothing listens on port 1, and /tlsrpt would answer 502.
    std::ofstream(prefix / "intake.conf") << "server " << kAddress << ":1;\n";
    fs::create_directories(prefix / "logs");
    fs::create_directories(prefix / "tmp");
    const std::string command = "nginx -p " + prefix.string() + "/ -c " +
                                (prefix / "nginx.conf").string() + " >>" +
                                (prefix / "logs" / "startup.log").string() + " 2>&1";
    started_ = port_ != 0 && std::system(command.c_str()) == 0 &&
               Eventually([&] { return pid() > 0; }, 10);
  }
  ~Nginx() {
    if (pid() > 0) ::kill(pid(), SIGQUIT);
    Eventually([&] { return !fs::exists(prefix_ / "logs" / "nginx.pid"); }, 10);
  }

  bool started() const { return started_; }
  int port() const { return port_; }
  // The master's pid (the same for as long as nginx is not restarted), or 0.
  pid_t pid() const {
    std::string text = ReadFile(prefix_ / "logs" / "nginx.pid");
    return text.empty() ? 0 : static_cast<pid_t>(std::stol(text));
  }
  // Reloads nginx logged (none should happen: the files are read per request and handshake).
  int Reloads() const {
    std::string log = ReadFile(prefix_ / "logs" / "error.log");
    int n = 0;
    for (size_t at = log.find("reconfiguring"); at != std::string::npos;
         at = log.find("reconfiguring", at + 1)) {
      ++n;
    }
    return n;
  }

 private:
  fs::path prefix_;
  int port_;
  bool started_ = false;
};

// Creates or updates `obj` with server-side apply.
void Put(const k8s::ResourceRef& ref, const k8s::Object& obj) {
  auto applied = TestClient().Apply(ref, obj, {"syncer-test", true});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
}

class SyncerIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ns_ = NewNamespace("syncer");
    domain_ = ns_ + ".test";
    host_ = PolicyHost(domain_);
    // nginx's workers (nobody, nogroup) traverse the prefix and read certs/ through its group.
    fs::permissions(serve_dir_.path(),
                    fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
    nginx_ = std::make_unique<Nginx>(serve_dir_.path());
    ASSERT_TRUE(nginx_->started()) << ReadFile(serve_dir_.path() / "logs" / "startup.log");
    std::ofstream(serve_dir_.path() / "ca.pem") << ca_.CaPem();
    auto tls = probe::TlsClient::Create({(serve_dir_.path() / "ca.pem").string()});
    ASSERT_TRUE(tls.ok()) << tls.status().ToString();
    probe::PolicyFetchOptions options;
    options.port = static_cast<uint16_t>(nginx_->port());
    options.timeout = std::chrono::seconds(5);
    fetcher_ = std::make_unique<probe::PolicyFetcher>(resolver_, *tls, options);
  }
  void TearDown() override {
    syncer_.reset();
    nginx_.reset();
  }

  void StartSyncer() {
    SyncerOptions options;
    options.serve_dir = serve_dir_.path().string();
    options.namespaces = {ns_};
    syncer_ = std::make_unique<Syncer>(TestClient(), options, [this](const std::string& key) {
      std::lock_guard<std::mutex> lock(mu_);
      written_.push_back(key);
    });
    ASSERT_TRUE(syncer_->Start().ok());
  }

  // What a sender fetching the policy of domain_ from nginx gets.
  probe::PolicyFetchResult Fetch() const { return fetcher_->FetchFrom(domain_, kAddress); }

  k8s::Object Meta(const std::string& name, std::string_view content) const {
    return {{"name", name},
            {"namespace", ns_},
            {"labels", {{kManagedByLabel, kManagedByValue}, {kContentLabel, content}}},
            {"annotations", {{kPolicyHostAnnotation, host_}, {kPolicyKeyAnnotation, ns_ + "/p"}}}};
  }
  k8s::Object PolicyMap(const std::string& policy) const {
    return {{"metadata", Meta(ConfigMapName("p"), kContentPolicy)},
            {"data", {{kPolicyFileKey, policy}}}};
  }
  k8s::Object TlsSecret(const TlsFiles& files) const {
    return {
        {"metadata", Meta(SecretName("p"), kContentCertificate)},
        {"type", "kubernetes.io/tls"},
        {"data",
         {{"tls.crt", k8s::Base64Encode(files.chain)}, {"tls.key", k8s::Base64Encode(files.key)}}}};
  }
  std::string Policy(const std::string& mode) const {
    return "version: STSv1\r\nmode: " + mode + "\r\nmx: mx." + domain_ + "\r\nmax_age: 86400\r\n";
  }
  std::vector<std::string> Written() {
    std::lock_guard<std::mutex> lock(mu_);
    return written_;
  }

  std::string ns_, domain_, host_;
  TempServeDir serve_dir_;
  TestCa ca_;
  dns::FakeResolver resolver_;  // unused: FetchFrom connects to the address it is given
  std::unique_ptr<Nginx> nginx_;
  std::unique_ptr<probe::PolicyFetcher> fetcher_;
  std::unique_ptr<Syncer> syncer_;
  std::mutex mu_;
  std::vector<std::string> written_;
};

TEST_F(SyncerIntegrationTest, ServesChangesAndRemovesWhatTheObjectsSayWithNoReload) {
  Put(k8s::ConfigMaps(), PolicyMap(Policy("testing")));
  Put(k8s::Secrets(), TlsSecret(ca_.Leaf(host_, "first")));
  // The same annotations on a Secret without our labels: the syncer never even lists it.
  k8s::Object stranger = TlsSecret(ca_.Leaf(host_, "stranger"));
  stranger["metadata"]["name"] = "stranger";
  stranger["metadata"].erase("labels");
  Put(k8s::Secrets(), stranger);
  StartSyncer();
  ASSERT_TRUE(Eventually([&] { return syncer_->Ready(); }));
  const pid_t master = nginx_->pid();

  probe::PolicyFetchResult served = Fetch();
  ASSERT_TRUE(served.ok()) << served.detail;
  EXPECT_EQ(served.body, Policy("testing"));
  EXPECT_EQ(served.tls->leaf.subject, "CN=first");
  EXPECT_THAT(Written(), Contains(ns_ + "/p"));

  // A new policy is served at the next request.
  Put(k8s::ConfigMaps(), PolicyMap(Policy("enforce")));
  EXPECT_TRUE(Eventually([&] { return Fetch().body == Policy("enforce"); }, 10));
  // A renewed certificate with a new key (one file, one rename) at the next handshake.
  Put(k8s::Secrets(), TlsSecret(ca_.Leaf(host_, "renewed")));
  EXPECT_TRUE(Eventually(
      [&] {
        auto fetched = Fetch();
        return fetched.ok() && fetched.tls->leaf.subject == "CN=renewed";
      },
      10));
  // A pair that does not match is refused: the renewed one stays served.
  Put(k8s::Secrets(), TlsSecret({ca_.Leaf(host_, "mismatched").chain, ca_.Leaf(host_).key}));
  EXPECT_TRUE(Eventually([&] { return syncer_->Stats().refused >= 1; }, 10));
  EXPECT_EQ(Fetch().tls->leaf.subject, "CN=renewed");
  EXPECT_EQ(nginx_->pid(), master);
  EXPECT_EQ(nginx_->Reloads(), 0);

  // Deleted: the policy is gone (404), then the certificate (no handshake).
  ASSERT_TRUE(TestClient().Delete(k8s::ConfigMaps(), ns_, ConfigMapName("p")).ok());
  EXPECT_TRUE(Eventually([&] { return Fetch().status == 404; }, 10));
  ASSERT_TRUE(TestClient().Delete(k8s::Secrets(), ns_, SecretName("p")).ok());
  EXPECT_TRUE(
      Eventually([&] { return Fetch().failure == probe::FetchFailure::kTlsHandshake; }, 10));
  EXPECT_FALSE(fs::exists(serve_dir_.path() / "www" / host_));
  EXPECT_FALSE(fs::exists(serve_dir_.path() / "certs" / (host_ + ".pem")));
  EXPECT_EQ(nginx_->pid(), master);
}

TEST_F(SyncerIntegrationTest, ARestartRemovesWhatNothingAsksForBeforeReady) {
  Put(k8s::ConfigMaps(), PolicyMap(Policy("testing")));
  Put(k8s::Secrets(), TlsSecret(ca_.Leaf(host_)));
  StartSyncer();
  ASSERT_TRUE(Eventually([&] { return syncer_->Ready(); }));
  ASSERT_TRUE(Fetch().ok());
  // Deleted while no syncer runs: no event will ever say so.
  syncer_.reset();
  ASSERT_TRUE(TestClient().Delete(k8s::ConfigMaps(), ns_, ConfigMapName("p")).ok());
  ASSERT_TRUE(TestClient().Delete(k8s::Secrets(), ns_, SecretName("p")).ok());
  ASSERT_TRUE(Fetch().ok()) << "nginx still serves what is on disk";
  StartSyncer();
  // Ready only once the files nothing asks for are gone.
  bool gone_when_ready = false;
  ASSERT_TRUE(Eventually([&] {
    const bool ready = syncer_->Ready();
    gone_when_ready = !fs::exists(serve_dir_.path() / "certs" / (host_ + ".pem")) &&
                      !fs::exists(serve_dir_.path() / "www" / host_);
    return ready;
  }));
  EXPECT_TRUE(gone_when_ready);
  EXPECT_EQ(Fetch().failure, probe::FetchFailure::kTlsHandshake);
  EXPECT_EQ(syncer_->Stats().removed, 2);
  // nginx's own files are untouched.
  EXPECT_TRUE(fs::exists(serve_dir_.path() / "nginx.conf"));
  EXPECT_TRUE(fs::exists(serve_dir_.path() / "listen.conf"));
  EXPECT_TRUE(fs::exists(serve_dir_.path() / "logs" / "nginx.pid"));
}

}  // namespace
}  // namespace mtasts::controller
