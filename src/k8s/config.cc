#include "k8s/config.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "k8s/base64.h"

namespace mtasts::k8s {
namespace {

StatusOr<std::string> ReadFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return FailedPreconditionError(std::string(what) + ": cannot read " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string TrimRight(std::string text) {
  text.erase(text.find_last_not_of(" \n\r\t") + 1);
  return text;
}

std::string Resolve(std::string_view base_dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || base_dir.empty()) return path;
  return std::string(base_dir) + "/" + path;
}

// Finds the entry called `name` in a kubeconfig list ("clusters", "users", "contexts") and
// returns its inner map (entry[inner]).
StatusOr<YAML::Node> FindNamed(const YAML::Node& root, const char* list, const char* inner,
                               const std::string& name, const std::string& where) {
  if (root[list] && !root[list].IsSequence()) {
    return InvalidArgumentError(std::string("kubeconfig: ") + list + " is not a list");
  }
  for (const auto& entry : root[list]) {
    if (entry["name"] && entry["name"].as<std::string>() == name) {
      if (!entry[inner] || !entry[inner].IsMap()) {
        return InvalidArgumentError(where + ": entry \"" + name + "\" in " + list + " has no " +
                                    inner + " map");
      }
      return entry[inner];
    }
  }
  return InvalidArgumentError(where + " names " + inner + " \"" + name + "\", which is not in " +
                              list);
}

std::string Text(const YAML::Node& map, const char* key) {
  return map[key] ? map[key].as<std::string>() : std::string();
}

// PEM from "<key>-data" (base64) or "<key>" (a file path); empty when neither is set.
StatusOr<std::string> DataOrFile(const YAML::Node& map, const std::string& key,
                                 std::string_view base_dir, const std::string& where) {
  std::string data = Text(map, (key + "-data").c_str());
  if (!data.empty()) {
    auto decoded = Base64Decode(data);
    if (!decoded.ok()) return decoded.status().WithContext(where + ": " + key + "-data");
    return decoded;
  }
  std::string path = Text(map, key.c_str());
  if (path.empty()) return std::string();
  return ReadFile(Resolve(base_dir, path), where + ": " + key);
}

StatusOr<Config> ParseNode(const YAML::Node& root, std::string_view base_dir, std::string context) {
  if (!root.IsMap()) return InvalidArgumentError("kubeconfig: not a YAML map");
  if (context.empty()) context = Text(root, "current-context");
  if (context.empty()) {
    return InvalidArgumentError("kubeconfig: no current-context set and no context given");
  }
  std::string where = "kubeconfig: context \"" + context + "\"";
  Config config;
  config.source = "kubeconfig context " + context;
  ASSIGN_OR_RETURN(YAML::Node ctx, FindNamed(root, "contexts", "context", context, "kubeconfig"));
  std::string cluster_name = Text(ctx, "cluster");
  if (cluster_name.empty()) return InvalidArgumentError(where + " has no cluster");
  ASSIGN_OR_RETURN(YAML::Node cluster, FindNamed(root, "clusters", "cluster", cluster_name, where));
  config.server = Text(cluster, "server");
  if (config.server.empty()) {
    return InvalidArgumentError(where + ": cluster \"" + cluster_name + "\" has no server");
  }
  config.insecure_skip_tls_verify =
      cluster["insecure-skip-tls-verify"] && cluster["insecure-skip-tls-verify"].as<bool>();
  ASSIGN_OR_RETURN(config.ca_pem, DataOrFile(cluster, "certificate-authority", base_dir, where));
  if (std::string ns = Text(ctx, "namespace"); !ns.empty()) config.default_namespace = ns;

  std::string user_name = Text(ctx, "user");
  if (user_name.empty()) return config;  // anonymous
  ASSIGN_OR_RETURN(YAML::Node user, FindNamed(root, "users", "user", user_name, where));
  ASSIGN_OR_RETURN(config.client_cert_pem, DataOrFile(user, "client-certificate", base_dir, where));
  ASSIGN_OR_RETURN(config.client_key_pem, DataOrFile(user, "client-key", base_dir, where));
  if (config.client_cert_pem.empty() != config.client_key_pem.empty()) {
    return InvalidArgumentError(where + ": user \"" + user_name +
                                "\" needs both client-certificate and client-key, or neither");
  }
  config.token = Text(user, "token");
  if (std::string file = Text(user, "tokenFile"); !file.empty()) {
    config.token_file = Resolve(base_dir, file);
    RETURN_IF_ERROR(ReadFile(config.token_file, where + ": tokenFile").status());
  }
  return config;
}

}  // namespace

StatusOr<Config> ParseKubeconfig(std::string_view yaml, std::string_view base_dir,
                                 std::string_view context) {
  try {
    return ParseNode(YAML::Load(std::string(yaml)), base_dir, std::string(context));
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(std::string("kubeconfig: ") + e.what());
  }
}

StatusOr<Config> LoadKubeconfig(const std::string& path, std::string_view context) {
  ASSIGN_OR_RETURN(std::string text, ReadFile(path, "kubeconfig"));
  size_t slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path.substr(0, slash);
  auto config = ParseKubeconfig(text, dir, context);
  if (!config.ok()) return config.status().WithContext(path);
  config->source = path + " (" + config->source + ")";
  return config;
}

StatusOr<Config> LoadInClusterConfig(const std::string& dir) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0') {
    return FailedPreconditionError(
        "not running in a cluster: KUBERNETES_SERVICE_HOST/_PORT are not set");
  }
  Config config;
  std::string h = host;
  if (h.find(':') != std::string::npos) h = "[" + h + "]";  // IPv6 literal
  config.server = "https://" + h + ":" + port;
  config.token_file = dir + "/token";
  ASSIGN_OR_RETURN(std::string token, ReadFile(config.token_file, "service account token"));
  config.token = TrimRight(std::move(token));
  ASSIGN_OR_RETURN(config.ca_pem, ReadFile(dir + "/ca.crt", "service account CA"));
  if (auto ns = ReadFile(dir + "/namespace", "service account namespace"); ns.ok()) {
    if (std::string trimmed = TrimRight(*ns); !trimmed.empty()) config.default_namespace = trimmed;
  }
  config.source = "in-cluster service account";
  return config;
}

StatusOr<Config> LoadDefaultConfig(const std::string& explicit_path) {
  if (!explicit_path.empty()) return LoadKubeconfig(explicit_path);
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && *env != '\0') {
    std::string first = env;
    first = first.substr(0, first.find(':'));  // the first file of a list
    return LoadKubeconfig(first);
  }
  auto in_cluster = LoadInClusterConfig();
  if (in_cluster.ok() || in_cluster.status().code() != StatusCode::kFailedPrecondition) {
    return in_cluster;
  }
  const char* home = std::getenv("HOME");
  if (home == nullptr) {
    return FailedPreconditionError(
        "no Kubernetes config: pass --kubeconfig, set KUBECONFIG, or run in a cluster");
  }
  return LoadKubeconfig(std::string(home) + "/.kube/config");
}

}  // namespace mtasts::k8s
