#include "k8s/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
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

constexpr std::string_view kExecApiVersions[] = {"client.authentication.k8s.io/v1",
                                                 "client.authentication.k8s.io/v1beta1"};

// users[].user.exec, checked as client-go checks it; a plugin that needs a terminal is refused,
// because a controller has none to give it.
StatusOr<ExecPlugin> ParseExec(const YAML::Node& exec, std::string_view base_dir,
                               const std::string& where) {
  ExecPlugin plugin;
  plugin.command = Text(exec, "command");
  if (plugin.command.empty()) return InvalidArgumentError(where + ": exec has no command");
  // A bare name is looked up in PATH; a path is relative to the kubeconfig, as in client-go.
  if (plugin.command.find('/') != std::string::npos) {
    plugin.command = Resolve(base_dir, plugin.command);
  }
  plugin.api_version = Text(exec, "apiVersion");
  if (std::find(std::begin(kExecApiVersions), std::end(kExecApiVersions), plugin.api_version) ==
      std::end(kExecApiVersions)) {
    return InvalidArgumentError(where + ": exec apiVersion \"" + plugin.api_version +
                                "\" is not supported; use client.authentication.k8s.io/v1 or "
                                "client.authentication.k8s.io/v1beta1");
  }
  for (const auto& arg : exec["args"]) plugin.args.push_back(arg.as<std::string>());
  for (const auto& var : exec["env"]) {
    std::string name = Text(var, "name");
    if (name.empty()) return InvalidArgumentError(where + ": exec env entry has no name");
    plugin.env.emplace_back(name, Text(var, "value"));
  }
  std::string mode = Text(exec, "interactiveMode");
  if (mode.empty() && plugin.api_version == kExecApiVersions[0]) {
    return InvalidArgumentError(where + ": exec interactiveMode must be set for " +
                                plugin.api_version + " (Never or IfAvailable)");
  }
  if (mode == "Always") {
    return InvalidArgumentError(
        where + ": exec plugin " + plugin.command +
        " needs a terminal (interactiveMode: Always), which this program does not have; use a "
        "plugin that can run unattended and set interactiveMode: Never");
  }
  if (!mode.empty() && mode != "Never" && mode != "IfAvailable") {
    return InvalidArgumentError(where + ": exec interactiveMode \"" + mode +
                                "\" is not Never, IfAvailable or Always");
  }
  plugin.provide_cluster_info = exec["provideClusterInfo"] && exec["provideClusterInfo"].as<bool>();
  plugin.install_hint = Text(exec, "installHint");
  return plugin;
}

// What to use instead of an auth-provider, which Kubernetes clients dropped in v1.26.
std::string AuthProviderFix(const std::string& name) {
  if (name == "gcp") {
    return "install gke-gcloud-auth-plugin and run \"gcloud container clusters get-credentials\" "
           "again, which rewrites the user to an exec plugin";
  }
  if (name == "oidc") {
    return "use an exec plugin such as kubelogin (\"kubectl oidc-login\") instead";
  }
  if (name == "azure") return "run \"kubelogin convert-kubeconfig\" to use the exec plugin";
  return "use the provider's exec credential plugin instead";
}

// The user's credentials; an error for any kind this client cannot use, so that a kubeconfig is
// never taken for an anonymous one.
Status ParseUser(const YAML::Node& user, const std::string& user_name, std::string_view base_dir,
                 const std::string& where, Config& config) {
  std::string who = where + ": user \"" + user_name + "\"";
  if (user["auth-provider"]) {
    std::string name = Text(user["auth-provider"], "name");
    return InvalidArgumentError(who + " uses auth-provider \"" + name +
                                "\", which Kubernetes clients no longer support; " +
                                AuthProviderFix(name));
  }
  if (user["username"] || user["password"]) {
    return InvalidArgumentError(who +
                                " uses a username and password, which Kubernetes no longer "
                                "accepts; use a client certificate, a token or an exec plugin");
  }
  ASSIGN_OR_RETURN(config.client_cert_pem, DataOrFile(user, "client-certificate", base_dir, where));
  ASSIGN_OR_RETURN(config.client_key_pem, DataOrFile(user, "client-key", base_dir, where));
  if (config.client_cert_pem.empty() != config.client_key_pem.empty()) {
    return InvalidArgumentError(who + " needs both client-certificate and client-key, or neither");
  }
  config.token = Text(user, "token");
  if (std::string file = Text(user, "tokenFile"); !file.empty()) {
    config.token_file = Resolve(base_dir, file);
    RETURN_IF_ERROR(ReadFile(config.token_file, where + ": tokenFile").status());
  }
  bool has_credentials =
      !config.token.empty() || !config.token_file.empty() || !config.client_cert_pem.empty();
  // As in client-go, a token or certificate given beside an exec plugin wins over it.
  if (user["exec"] && !has_credentials) {
    if (!user["exec"].IsMap()) return InvalidArgumentError(who + ": exec is not a map");
    ASSIGN_OR_RETURN(config.exec, ParseExec(user["exec"], base_dir, who));
  }
  return OkStatus();
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
  RETURN_IF_ERROR(ParseUser(user, user_name, base_dir, where, config));
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
  // In a pod, a missing token or CA is an error of its own, not "not in a cluster".
  auto in_pod = [](StatusOr<std::string> read) -> StatusOr<std::string> {
    if (read.ok()) return read;
    return UnavailableError(read.status().message() +
                            " although KUBERNETES_SERVICE_HOST is set (running in a pod); mount "
                            "the service account token (automountServiceAccountToken: true) or "
                            "pass --kubeconfig");
  };
  ASSIGN_OR_RETURN(std::string token, in_pod(ReadFile(config.token_file, "service account token")));
  config.token = TrimRight(std::move(token));
  ASSIGN_OR_RETURN(config.ca_pem, in_pod(ReadFile(dir + "/ca.crt", "service account CA")));
  if (auto ns = ReadFile(dir + "/namespace", "service account namespace"); ns.ok()) {
    if (std::string trimmed = TrimRight(*ns); !trimmed.empty()) config.default_namespace = trimmed;
  }
  config.source = "in-cluster service account";
  return config;
}

StatusOr<Config> LoadDefaultConfig(const std::string& explicit_path,
                                   const std::string& in_cluster_dir) {
  if (!explicit_path.empty()) return LoadKubeconfig(explicit_path);
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && *env != '\0') {
    std::string first = env;
    first = first.substr(0, first.find(':'));  // the first file of a list
    return LoadKubeconfig(first);
  }
  auto in_cluster = LoadInClusterConfig(in_cluster_dir);
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
