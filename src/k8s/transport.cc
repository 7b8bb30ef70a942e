#include "k8s/transport.h"

#include <cpprest/http_client.h>
#include <cpprest/rawptrstream.h>
#include <openssl/ssl.h>

#include <atomic>
#include <fstream>
#include <mutex>
#include <sstream>
#include <system_error>

#include "k8s/api_errors.h"
#include "k8s/exec_plugin.h"
#include "k8s/tls_identity.h"
#include "k8s/watch_event.h"

namespace mtasts::k8s {
namespace {

namespace http = web::http;
using web::http::client::http_client;
using web::http::client::http_client_config;

constexpr std::chrono::minutes kTokenRefresh{1};

// Maps a cpprest exception onto the vocabulary: timeouts apart from every other failure.
Status StatusFromException(const std::exception& e, std::string_view what) {
  if (const auto* he = dynamic_cast<const http::http_exception*>(&e)) {
    if (he->error_code() == std::errc::timed_out) {
      return DeadlineExceededError(std::string(what) + ": timed out: " + e.what());
    }
  }
  return UnavailableError(std::string(what) + ": " + e.what());
}

// Initialises OpenSSL before the first http_client creates cpprest's shared thread pool. Both
// register their teardown with atexit, which runs in reverse order: left to cpprest, OpenSSL is
// initialised after the pool exists, so at exit OPENSSL_cleanup frees OpenSSL's locks and tables
// while the pool's threads still run (closing a cancelled watch's TLS connection, say), and the
// process can hang or crash after main returns. Initialised first, it is torn down after the
// pool has joined its threads.
void InitOpenSslBeforeThreadPool() {
  static const bool initialised = OPENSSL_init_ssl(0, nullptr) == 1;
  (void)initialised;
}

// Whether a request failed before any of it could reach the server, so that sending it again
// cannot make the server act on it twice: the connection could not be made, or writing the
// request failed (a pooled keep-alive connection that a restarted server closed fails the next
// write). A timeout never qualifies, whatever the method: the server may be working on the
// request, and resending would stretch the caller's bound several times over. The pool may hold
// several closed connections, hence a few attempts.
constexpr int kMaxResends = 8;
bool NothingReachedServer(const std::exception& e) {
  const auto* he = dynamic_cast<const http::http_exception*>(&e);
  if (he == nullptr || he->error_code() == std::errc::timed_out) return false;
  std::string_view what = e.what();
  return what.starts_with("Failed to connect") || what.starts_with("Failed to write request");
}

// One open watch response; reads the body line by line as it arrives.
class RestWatchStream final : public WatchStream {
 public:
  RestWatchStream(std::unique_ptr<http_client> client, http::http_response response,
                  pplx::cancellation_token_source cancel)
      : client_(std::move(client)), response_(std::move(response)), cancel_(std::move(cancel)) {}
  ~RestWatchStream() override { cancel_.cancel(); }

  StatusOr<std::optional<WatchEvent>> Next() override {
    auto body = response_.body();
    while (true) {
      if (cancelled_) return CancelledError("watch cancelled");
      concurrency::streams::container_buffer<std::string> line;
      size_t n = 0;
      try {
        n = body.read_line(line).get();
      } catch (const std::exception& e) {
        if (cancelled_) return CancelledError("watch cancelled");
        return StatusFromException(e, "watch");
      }
      if (cancelled_) return CancelledError("watch cancelled");
      if (n == 0) {
        if (body.is_eof()) return std::optional<WatchEvent>();
        continue;
      }
      auto event = ParseWatchEvent(line.collection());
      if (!event.ok()) return event.status();
      return std::optional<WatchEvent>(std::move(*event));
    }
  }

  void Cancel() override {
    cancelled_ = true;
    cancel_.cancel();
  }

 private:
  std::unique_ptr<http_client> client_;  // owns the connection the body streams over
  http::http_response response_;
  pplx::cancellation_token_source cancel_;
  std::atomic<bool> cancelled_{false};
};

}  // namespace

struct Transport::Impl {
  Config config;
  std::chrono::seconds request_timeout{0};
  std::string user_agent;
  std::unique_ptr<ExecCredentials> exec;  // null unless the kubeconfig names an exec plugin

  // The client and the TLS identity it presents; both replaced when an exec plugin hands out a
  // new client certificate (pooled connections keep the old one, so they go with the client).
  std::mutex client_mu;
  std::shared_ptr<const TlsIdentity> tls;
  std::shared_ptr<http_client> client;
  std::shared_ptr<const ExecCredential> client_credential;

  std::mutex token_mu;
  std::string token;
  std::chrono::steady_clock::time_point token_read_at;

  static http_client_config ConfigWith(std::chrono::seconds timeout, bool validate,
                                       std::shared_ptr<const TlsIdentity> tls) {
    http_client_config c;
    c.set_timeout(timeout);
    c.set_validate_certificates(validate);
    // cpprest has already loaded the system's default verify paths into ctx; Apply replaces them.
    c.set_ssl_context_callback([tls = std::move(tls)](boost::asio::ssl::context& ctx) {
      tls->Apply(ctx.native_handle());
    });
    return c;
  }

  // The exec plugin's current credential; null without a plugin.
  StatusOr<std::shared_ptr<const ExecCredential>> Credential() const {
    if (exec == nullptr) return std::shared_ptr<const ExecCredential>();
    return exec->Current();
  }

  // The TLS identity and client to send `credential` with.
  StatusOr<std::pair<std::shared_ptr<const TlsIdentity>, std::shared_ptr<http_client>>> ClientFor(
      const std::shared_ptr<const ExecCredential>& credential) {
    std::lock_guard lock(client_mu);
    bool same_certificate =
        client != nullptr && (credential == nullptr || credential == client_credential ||
                              (client_credential != nullptr &&
                               credential->client_cert_pem == client_credential->client_cert_pem &&
                               credential->client_key_pem == client_credential->client_key_pem));
    if (!same_certificate) {
      Config with = config;
      if (credential != nullptr && !credential->client_cert_pem.empty()) {
        with.client_cert_pem = credential->client_cert_pem;
        with.client_key_pem = credential->client_key_pem;
      }
      ASSIGN_OR_RETURN(tls, TlsIdentity::Parse(with));
      try {
        client = std::make_shared<http_client>(
            config.server, ConfigWith(request_timeout, !config.insecure_skip_tls_verify, tls));
      } catch (const std::exception& e) {
        return InvalidArgumentError("Kubernetes server \"" + config.server + "\" (from " +
                                    config.source + ") is not a usable URL: " + e.what());
      }
    }
    client_credential = credential;
    return std::pair(tls, client);
  }

  // The bearer token, re-read from token_file at most once a minute (projected tokens rotate).
  std::string BearerToken() {
    std::lock_guard<std::mutex> lock(token_mu);
    auto now = std::chrono::steady_clock::now();
    if (!config.token_file.empty() && now - token_read_at >= kTokenRefresh) {
      std::ifstream in(config.token_file);
      std::ostringstream text;
      if (in && (text << in.rdbuf())) {
        token = text.str();
        token.erase(token.find_last_not_of(" \r\n\t") + 1);
      }
      token_read_at = now;
    }
    return token;
  }

  http::http_request Request(std::string_view method, const std::string& path,
                             const ExecCredential* credential) {
    http::http_request req{http::method(std::string(method))};
    req.set_request_uri(path);
    req.headers().add("Accept", "application/json");
    req.headers().add("User-Agent", user_agent);
    std::string t = credential != nullptr ? credential->token : BearerToken();
    if (!t.empty()) req.headers().add("Authorization", "Bearer " + t);
    return req;
  }

  // One request with one credential; resends on a new connection when that is safe.
  StatusOr<HttpResult> Send(http_client& client, const ExecCredential* credential,
                            std::string_view method, const std::string& path_and_query,
                            const std::string& body, std::string_view content_type);
};

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Transport::~Transport() = default;

StatusOr<std::unique_ptr<Transport>> Transport::New(const Config& config,
                                                    std::chrono::seconds request_timeout,
                                                    std::string user_agent) {
  InitOpenSslBeforeThreadPool();
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->request_timeout = request_timeout;
  impl->user_agent = std::move(user_agent);
  impl->token = config.token;
  impl->token_read_at = std::chrono::steady_clock::now();
  if (!config.token_file.empty()) impl->token_read_at -= kTokenRefresh;  // read on first use
  if (config.exec) {
    impl->exec = std::make_unique<ExecCredentials>([config] { return RunExecPlugin(config); },
                                                   RealClock::Get());
  }
  // The plugin runs and the TLS material is read now, so that either fails here.
  ASSIGN_OR_RETURN(auto credential, impl->Credential());
  RETURN_IF_ERROR(impl->ClientFor(credential).status());
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

StatusOr<HttpResult> Transport::Send(std::string_view method, const std::string& path_and_query,
                                     const std::string& body, std::string_view content_type) {
  ASSIGN_OR_RETURN(auto credential, impl_->Credential());
  ASSIGN_OR_RETURN(auto client, impl_->ClientFor(credential));
  auto result =
      impl_->Send(*client.second, credential.get(), method, path_and_query, body, content_type);
  if (!result.ok() || result->status != http::status_codes::Unauthorized || !impl_->exec) {
    return result;
  }
  // Authentication is checked before anything else, so a request answered 401 changed nothing
  // and is sent once more, with what the plugin hands out now.
  ASSIGN_OR_RETURN(credential, impl_->exec->RenewAfterUnauthorized(credential));
  ASSIGN_OR_RETURN(client, impl_->ClientFor(credential));
  return impl_->Send(*client.second, credential.get(), method, path_and_query, body, content_type);
}

StatusOr<HttpResult> Transport::Impl::Send(http_client& client, const ExecCredential* credential,
                                           std::string_view method,
                                           const std::string& path_and_query,
                                           const std::string& body, std::string_view content_type) {
  auto req = Request(method, path_and_query, credential);
  if (!content_type.empty()) req.set_body(body, std::string(content_type));
  std::string what = std::string(method) + " " + path_and_query;
  for (int attempt = 0;; ++attempt) {
    try {
      http::http_response resp = client.request(req).get();
      HttpResult result;
      result.status = resp.status_code();
      result.body = resp.extract_utf8string(/*ignore_content_type=*/true).get();
      if (auto it = resp.headers().find("Retry-After"); it != resp.headers().end()) {
        result.retry_after = it->second;
      }
      return result;
    } catch (const std::exception& e) {
      if (attempt < kMaxResends && NothingReachedServer(e)) {
        req = Request(method, path_and_query, credential);  // a request object is sent only once
        if (!content_type.empty()) req.set_body(body, std::string(content_type));
        continue;
      }
      return StatusFromException(e, what);
    }
  }
}

StatusOr<std::unique_ptr<WatchStream>> Transport::OpenWatch(const std::string& path_and_query,
                                                            std::chrono::seconds inactivity,
                                                            std::stop_token stop) {
  std::string what = "watch " + path_and_query;
  ASSIGN_OR_RETURN(auto credential, impl_->Credential());
  ASSIGN_OR_RETURN(auto current, impl_->ClientFor(credential));
  pplx::cancellation_token_source cancel;
  // Copies share one cancellation state; runs at once if the stop was requested already.
  std::stop_callback abandon(stop, [cancel]() mutable { cancel.cancel(); });
  try {
    auto client = std::make_unique<http_client>(
        impl_->config.server,
        Impl::ConfigWith(inactivity, !impl_->config.insecure_skip_tls_verify, current.first));
    http::http_response resp =
        client->request(impl_->Request("GET", path_and_query, credential.get()), cancel.get_token())
            .get();
    if (resp.status_code() != http::status_codes::OK) {
      // A 401 renews the plugin's credential for the caller's next attempt (as client-go does).
      if (resp.status_code() == http::status_codes::Unauthorized && impl_->exec) {
        (void)impl_->exec->RenewAfterUnauthorized(credential);
      }
      std::string body = resp.extract_utf8string(true).get();
      return StatusFromResponse(resp.status_code(), body).WithContext(what);
    }
    return std::unique_ptr<WatchStream>(
        new RestWatchStream(std::move(client), std::move(resp), cancel));
  } catch (const std::exception& e) {
    if (stop.stop_requested()) return CancelledError(what + ": cancelled while opening");
    return StatusFromException(e, what);
  }
}

}  // namespace mtasts::k8s
