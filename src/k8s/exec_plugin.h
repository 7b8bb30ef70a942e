// Exec credential plugins (kubeconfig users[].user.exec), as client-go runs them: the command
// gets our environment plus the plugin's env and KUBERNETES_EXEC_INFO (an ExecCredential whose
// spec says it is not interactive, and holds the cluster when provideClusterInfo is set); no
// stdin; its stderr is ours. It prints an ExecCredential of the configured apiVersion with
// status.token, or status.clientCertificateData and clientKeyData, and optionally
// status.expirationTimestamp.
//
// ExecCredentials caches what the plugin printed, runs it again once that has expired, and on a
// 401 runs it again unless another caller already has (client-go's rules). Thread-safe: one
// plugin run at a time.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "k8s/config.h"

namespace mtasts::k8s {

struct ExecCredential {
  std::string token;
  std::string client_cert_pem;  // with client_key_pem, or neither
  std::string client_key_pem;
  std::optional<Clock::TimePoint> expires;  // none: good until the server answers 401
};

// The KUBERNETES_EXEC_INFO value for `config`'s plugin.
std::string ExecInfo(const Config& config);

// Reads the plugin's stdout; kInvalidArgument says what is wrong with it.
StatusOr<ExecCredential> ParseExecCredential(std::string_view output, std::string_view api_version);

// Runs config.exec (which must be set) and parses what it prints. kFailedPrecondition when the
// command is not found or fails; kDeadlineExceeded when it runs longer than `timeout`.
StatusOr<ExecCredential> RunExecPlugin(const Config& config,
                                       std::chrono::seconds timeout = std::chrono::seconds(60));

class ExecCredentials {
 public:
  using Runner = std::function<StatusOr<ExecCredential>()>;
  ExecCredentials(Runner run, const Clock& clock) : run_(std::move(run)), clock_(clock) {}

  // The cached credential, or a fresh one when there is none yet or it has expired.
  StatusOr<std::shared_ptr<const ExecCredential>> Current();
  // The server answered 401 to `used`: runs the plugin again unless the cache already moved on.
  StatusOr<std::shared_ptr<const ExecCredential>> RenewAfterUnauthorized(
      const std::shared_ptr<const ExecCredential>& used);

 private:
  StatusOr<std::shared_ptr<const ExecCredential>> RunLocked();

  const Runner run_;
  const Clock& clock_;
  std::mutex mu_;
  std::shared_ptr<const ExecCredential> cached_;
};

}  // namespace mtasts::k8s
