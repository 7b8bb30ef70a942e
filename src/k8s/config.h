// Config: where the API server is and how to authenticate to it, loaded from a kubeconfig file or
// from the in-cluster service account. A value type; thread-compatible.
//
// Certificates and keys are held as PEM text: the "-data" fields are decoded at load time and the
// file fields are read at load time (relative paths resolve against the kubeconfig's folder).
// A bearer token file is kept as a path too, because projected service-account tokens rotate: the
// client re-reads it every minute.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace mtasts::k8s {

// A credential plugin (users[].user.exec, as EKS, GKE and OIDC kubeconfigs use): a command that
// prints an ExecCredential holding a token or a client certificate. See exec_plugin.h.
struct ExecPlugin {
  std::string command;  // resolved against the kubeconfig's folder when it names a path
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> env;  // added to our environment
  std::string api_version;  // client.authentication.k8s.io/v1 or /v1beta1
  bool provide_cluster_info = false;
  std::string install_hint;  // shown when the command is not found
};

struct Config {
  std::string server;  // "https://127.0.0.1:6443"
  std::string ca_pem;  // trusted CA bundle; empty = the system store
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string token;               // bearer token read at load time
  std::string token_file;          // when set, re-read periodically and preferred over token
  std::optional<ExecPlugin> exec;  // set only when the user has no token or certificate
  bool insecure_skip_tls_verify = false;
  std::string default_namespace = "default";
  std::string source;  // where this came from, for messages: "kubeconfig /x (context y)"
};

// Parses kubeconfig YAML text. context: "" = current-context. base_dir resolves relative paths.
// Errors (kInvalidArgument) name the field and the context, e.g.
//   kubeconfig: context "dev" names cluster "c1", which is not in clusters
StatusOr<Config> ParseKubeconfig(std::string_view yaml, std::string_view base_dir,
                                 std::string_view context = "");

// Reads and parses a kubeconfig file.
StatusOr<Config> LoadKubeconfig(const std::string& path, std::string_view context = "");

inline constexpr char kServiceAccountDir[] = "/var/run/secrets/kubernetes.io/serviceaccount";

// The pod's service account: $KUBERNETES_SERVICE_HOST/_PORT, and token, ca.crt and namespace
// under dir. kFailedPrecondition when not running in a cluster (the variables are not set);
// kUnavailable when in a cluster but the token or CA cannot be read.
StatusOr<Config> LoadInClusterConfig(const std::string& dir = kServiceAccountDir);

// The usual order: explicit path (e.g. --kubeconfig), then $KUBECONFIG, then in-cluster, then
// ~/.kube/config. Inside a cluster ($KUBERNETES_SERVICE_HOST set) a missing service-account
// token is an error, never a reason to fall back to ~/.kube/config (unlike client-go, which
// falls through): a pod that runs as the wrong identity is worse than one that stops.
StatusOr<Config> LoadDefaultConfig(const std::string& explicit_path = "",
                                   const std::string& in_cluster_dir = kServiceAccountDir);

}  // namespace mtasts::k8s
