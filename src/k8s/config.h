// Config: where the API server is and how to authenticate to it, loaded from a kubeconfig file or
// from the in-cluster service account. A value type; thread-compatible.
//
// Certificates and keys are held as PEM text: the "-data" fields are decoded at load time and the
// file fields are read at load time (relative paths resolve against the kubeconfig's folder).
// A bearer token file is kept as a path too, because projected service-account tokens rotate: the
// client re-reads it every minute.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace mtasts::k8s {

struct Config {
  std::string server;  // "https://127.0.0.1:6443"
  std::string ca_pem;  // trusted CA bundle; empty = the system store
  std::string client_cert_pem;
  std::string client_key_pem;
  std::string token;       // bearer token read at load time
  std::string token_file;  // when set, re-read periodically and preferred over token
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

// The pod's service account: $KUBERNETES_SERVICE_HOST/_PORT, and token, ca.crt and namespace
// under dir. kFailedPrecondition when not running in a cluster.
StatusOr<Config> LoadInClusterConfig(
    const std::string& dir = "/var/run/secrets/kubernetes.io/serviceaccount");

// The usual order: explicit path (e.g. --kubeconfig), then $KUBECONFIG, then in-cluster, then
// ~/.kube/config.
StatusOr<Config> LoadDefaultConfig(const std::string& explicit_path = "");

}  // namespace mtasts::k8s
