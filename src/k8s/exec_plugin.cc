#include "k8s/exec_plugin.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

#include "k8s/base64.h"
#include "k8s/micro_time.h"

extern char** environ;

namespace mtasts::k8s {
namespace {

using nlohmann::json;

constexpr size_t kMaxOutput = 1 << 20;  // an ExecCredential is a few KiB

std::string OptionalString(const json& status, const char* key) {
  auto it = status.find(key);
  return it != status.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Our environment, then the plugin's variables, then KUBERNETES_EXEC_INFO: later entries win.
std::vector<std::string> PluginEnvironment(const Config& config) {
  std::vector<std::string> env;
  for (char** var = environ; *var != nullptr; ++var) env.emplace_back(*var);
  for (const auto& [name, value] : config.exec->env) env.push_back(name + "=" + value);
  env.push_back("KUBERNETES_EXEC_INFO=" + ExecInfo(config));
  return env;
}

// The plugin's stdout, read until it closes or the deadline passes.
StatusOr<std::string> ReadUntilClosed(int fd, std::chrono::steady_clock::time_point deadline,
                                      const std::string& what) {
  std::string out;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return DeadlineExceededError(what + " did not finish in time");
    pollfd p{fd, POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;  // the deadline check above ends it
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return out;
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > kMaxOutput) return FailedPreconditionError(what + " printed more than 1 MiB");
  }
}

// Runs the command with `env`, no stdin, our stderr; returns its stdout once it exits 0.
StatusOr<std::string> RunCommand(const ExecPlugin& plugin, const std::vector<std::string>& env,
                                 std::chrono::seconds timeout) {
  std::string what = "exec plugin " + plugin.command;
  int out[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    return UnavailableError(what + ": cannot make a pipe: " + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  std::vector<char*> argv{const_cast<char*>(plugin.command.c_str())};
  for (const std::string& arg : plugin.args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const std::string& var : env) envp.push_back(const_cast<char*>(var.c_str()));
  envp.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, plugin.command.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);
  if (rc != 0) {
    close(out[0]);
    std::string message = rc == ENOENT ? what + " not found" : what + ": " + std::strerror(rc);
    if (!plugin.install_hint.empty()) message += "; " + plugin.install_hint;
    return FailedPreconditionError(message);
  }
  StatusOr<std::string> output =
      ReadUntilClosed(out[0], std::chrono::steady_clock::now() + timeout, what);
  close(out[0]);
  if (!output.ok()) kill(pid, SIGKILL);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (!output.ok()) return output.status();
  if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
    std::string how = WIFEXITED(wstatus) ? "exit code " + std::to_string(WEXITSTATUS(wstatus))
                                         : "signal " + std::to_string(WTERMSIG(wstatus));
    return FailedPreconditionError(what + " failed with " + how + " (its stderr is above)");
  }
  return output;
}

}  // namespace

std::string ExecInfo(const Config& config) {
  json spec = {{"interactive", false}};
  if (config.exec->provide_cluster_info) {
    json cluster = {{"server", config.server}};
    if (!config.ca_pem.empty()) {
      cluster["certificate-authority-data"] = Base64Encode(config.ca_pem);
    }
    if (config.insecure_skip_tls_verify) cluster["insecure-skip-tls-verify"] = true;
    spec["cluster"] = cluster;
  }
  json info = {
      {"apiVersion", config.exec->api_version}, {"kind", "ExecCredential"}, {"spec", spec}};
  return info.dump();
}

StatusOr<ExecCredential> ParseExecCredential(std::string_view output,
                                             std::string_view api_version) {
  json doc = json::parse(output, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) return InvalidArgumentError("its output is not a JSON object");
  if (OptionalString(doc, "kind") != "ExecCredential") {
    return InvalidArgumentError("its output is not an ExecCredential");
  }
  if (std::string version = OptionalString(doc, "apiVersion"); version != api_version) {
    return InvalidArgumentError("it is configured for " + std::string(api_version) +
                                " but printed apiVersion \"" + version + "\"");
  }
  auto status = doc.find("status");
  if (status == doc.end() || !status->is_object()) {
    return InvalidArgumentError("its ExecCredential has no status");
  }
  ExecCredential credential;
  credential.token = OptionalString(*status, "token");
  credential.client_cert_pem = OptionalString(*status, "clientCertificateData");
  credential.client_key_pem = OptionalString(*status, "clientKeyData");
  if (credential.client_cert_pem.empty() != credential.client_key_pem.empty()) {
    return InvalidArgumentError(
        "its ExecCredential has only one of clientCertificateData and clientKeyData");
  }
  if (credential.token.empty() && credential.client_cert_pem.empty()) {
    return InvalidArgumentError(
        "its ExecCredential has neither a token nor a client certificate and key");
  }
  if (std::string expiry = OptionalString(*status, "expirationTimestamp"); !expiry.empty()) {
    credential.expires = ParseTime(expiry);
    if (!credential.expires) {
      return InvalidArgumentError("its expirationTimestamp \"" + expiry + "\" is not RFC 3339");
    }
  }
  return credential;
}

StatusOr<ExecCredential> RunExecPlugin(const Config& config, std::chrono::seconds timeout) {
  ASSIGN_OR_RETURN(std::string output,
                   RunCommand(*config.exec, PluginEnvironment(config), timeout));
  auto credential = ParseExecCredential(output, config.exec->api_version);
  if (!credential.ok()) {
    return credential.status().WithContext("exec plugin " + config.exec->command + " (from " +
                                           config.source + ")");
  }
  return credential;
}

StatusOr<std::shared_ptr<const ExecCredential>> ExecCredentials::Current() {
  std::lock_guard lock(mu_);
  // Like client-go: good until strictly after the expiry time.
  if (cached_ != nullptr && !(cached_->expires && clock_.Now() > *cached_->expires)) {
    return cached_;
  }
  return RunLocked();
}

StatusOr<std::shared_ptr<const ExecCredential>> ExecCredentials::RenewAfterUnauthorized(
    const std::shared_ptr<const ExecCredential>& used) {
  std::lock_guard lock(mu_);
  if (cached_ != used && cached_ != nullptr) return cached_;  // renewed meanwhile
  return RunLocked();
}

StatusOr<std::shared_ptr<const ExecCredential>> ExecCredentials::RunLocked() {
  ASSIGN_OR_RETURN(ExecCredential fresh, run_());
  cached_ = std::make_shared<const ExecCredential>(std::move(fresh));
  return cached_;
}

}  // namespace mtasts::k8s
