#include "k8s/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mtasts::k8s {
namespace {

namespace fs = std::filesystem;

// A kubeconfig with one context "main" whose cluster and user carry the given extra lines.
std::string Kubeconfig(const std::string& cluster_lines, const std::string& user_lines) {
  return "apiVersion: v1\nkind: Config\ncurrent-context: main\n"
         "contexts:\n- name: main\n  context: {cluster: c1, user: u1, namespace: mail}\n"
         "- name: other\n  context: {cluster: missing, user: u1}\n"
         "clusters:\n- name: c1\n  cluster:\n    server: https://127.0.0.1:6443\n" +
         cluster_lines + "users:\n- name: u1\n  user:\n" + user_lines;
}

class ConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("k8s-config-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    Write("ca.pem", "CA-PEM");
    Write("cert.pem", "CERT-PEM");
    Write("key.pem", "KEY-PEM");
    Write("token", "file-token");
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
  }
  fs::path dir_;
};

TEST_F(ConfigTest, DataFieldsAreDecoded) {
  // base64 of CA-PEM, CERT-PEM, KEY-PEM
  auto config = ParseKubeconfig(Kubeconfig("    certificate-authority-data: Q0EtUEVN\n",
                                           "    client-certificate-data: Q0VSVC1QRU0=\n"
                                           "    client-key-data: S0VZLVBFTQ==\n"),
                                dir_.string());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server, "https://127.0.0.1:6443");
  EXPECT_EQ(config->ca_pem, "CA-PEM");
  EXPECT_EQ(config->client_cert_pem, "CERT-PEM");
  EXPECT_EQ(config->client_key_pem, "KEY-PEM");
  EXPECT_EQ(config->default_namespace, "mail");
  EXPECT_FALSE(config->insecure_skip_tls_verify);
}

TEST_F(ConfigTest, FileFieldsResolveAgainstTheKubeconfigFolder) {
  Write("kubeconfig", Kubeconfig("    certificate-authority: ca.pem\n",
                                 "    client-certificate: cert.pem\n"
                                 "    client-key: " +
                                     (dir_ / "key.pem").string() + "\n"));
  auto config = LoadKubeconfig((dir_ / "kubeconfig").string());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->ca_pem, "CA-PEM");
  EXPECT_EQ(config->client_cert_pem, "CERT-PEM");
  EXPECT_EQ(config->client_key_pem, "KEY-PEM");
}

TEST_F(ConfigTest, TokenAndTokenFileAndInsecure) {
  auto with_token = ParseKubeconfig(
      Kubeconfig("    insecure-skip-tls-verify: true\n", "    token: abc\n"), dir_.string());
  ASSERT_TRUE(with_token.ok()) << with_token.status().ToString();
  EXPECT_EQ(with_token->token, "abc");
  EXPECT_TRUE(with_token->insecure_skip_tls_verify);

  auto with_file = ParseKubeconfig(Kubeconfig("", "    tokenFile: token\n"), dir_.string());
  ASSERT_TRUE(with_file.ok()) << with_file.status().ToString();
  EXPECT_EQ(with_file->token_file, (dir_ / "token").string());
}

const std::string kExecV1 =
    "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
    "      interactiveMode: Never\n";

TEST_F(ConfigTest, ExecPluginIsRead) {
  auto config =
      ParseKubeconfig(Kubeconfig("", kExecV1 + "      command: bin/aws\n"
                                               "      args: [eks, get-token, --cluster-name, c1]\n"
                                               "      env: [{name: AWS_PROFILE, value: prod}]\n"
                                               "      provideClusterInfo: true\n"
                                               "      installHint: install the AWS CLI\n"),
                      dir_.string());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_TRUE(config->exec.has_value());
  EXPECT_EQ(config->exec->command, (dir_ / "bin/aws").string());  // a path: kubeconfig-relative
  EXPECT_EQ(config->exec->args,
            (std::vector<std::string>{"eks", "get-token", "--cluster-name", "c1"}));
  ASSERT_EQ(config->exec->env.size(), 1u);
  EXPECT_EQ(config->exec->env[0].first, "AWS_PROFILE");
  EXPECT_EQ(config->exec->env[0].second, "prod");
  EXPECT_EQ(config->exec->api_version, "client.authentication.k8s.io/v1");
  EXPECT_TRUE(config->exec->provide_cluster_info);
  EXPECT_EQ(config->exec->install_hint, "install the AWS CLI");

  // v1beta1 defaults interactiveMode; a bare command is left for PATH.
  auto beta = ParseKubeconfig(
      Kubeconfig("",
                 "    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n"
                 "      command: gke-gcloud-auth-plugin\n"),
      dir_.string());
  ASSERT_TRUE(beta.ok()) << beta.status().ToString();
  EXPECT_EQ(beta->exec->command, "gke-gcloud-auth-plugin");
}

TEST_F(ConfigTest, ATokenBesideAnExecPluginWins) {
  auto config = ParseKubeconfig(Kubeconfig("", "    token: abc\n" + kExecV1 + "      command: p\n"),
                                dir_.string());
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_FALSE(config->exec.has_value());
  EXPECT_EQ(config->token, "abc");
}

struct BadCase {
  const char* name;
  std::string yaml;
  std::string context;
  StatusCode code;
  const char* message_part;
};

TEST_F(ConfigTest, BadConfigsGiveErrorsThatSayWhatAndWhere) {
  const BadCase kCases[] = {
      {"no current context", "apiVersion: v1\nclusters: []\n", "", StatusCode::kInvalidArgument,
       "no current-context"},
      {"unknown context", Kubeconfig("", "    token: t\n"), "nope", StatusCode::kInvalidArgument,
       "names context \"nope\", which is not in contexts"},
      {"context names a missing cluster", Kubeconfig("", "    token: t\n"), "other",
       StatusCode::kInvalidArgument, "context \"other\" names cluster \"missing\""},
      {"cluster without server",
       "current-context: a\ncontexts:\n- name: a\n  context: {cluster: c}\n"
       "clusters:\n- name: c\n  cluster: {}\n",
       "", StatusCode::kInvalidArgument, "cluster \"c\" has no server"},
      {"certificate without key", Kubeconfig("", "    client-certificate-data: Q0VSVC1QRU0=\n"), "",
       StatusCode::kInvalidArgument, "needs both client-certificate and client-key"},
      {"bad base64", Kubeconfig("    certificate-authority-data: '%%%'\n", "    token: t\n"), "",
       StatusCode::kInvalidArgument, "certificate-authority-data: invalid base64"},
      {"missing CA file", Kubeconfig("    certificate-authority: nowhere.pem\n", "    token: t\n"),
       "", StatusCode::kFailedPrecondition, "nowhere.pem"},
      {"missing token file", Kubeconfig("", "    tokenFile: gone\n"), "",
       StatusCode::kFailedPrecondition, "tokenFile: cannot read"},
      {"not a map", "- a\n- b\n", "", StatusCode::kInvalidArgument, "not a YAML map"},
      {"broken YAML", "current-context: [a\n", "", StatusCode::kInvalidArgument, "kubeconfig: "},
      {"clusters not a list",
       "current-context: a\ncontexts:\n- name: a\n  context: {cluster: c}\n"
       "clusters: {c: 1}\n",
       "", StatusCode::kInvalidArgument, "clusters is not a list"},
      {"gcp auth-provider", Kubeconfig("", "    auth-provider: {name: gcp, config: {}}\n"), "",
       StatusCode::kInvalidArgument,
       "user \"u1\" uses auth-provider \"gcp\", which Kubernetes clients no longer support; "
       "install gke-gcloud-auth-plugin"},
      {"oidc auth-provider", Kubeconfig("", "    auth-provider: {name: oidc}\n"), "",
       StatusCode::kInvalidArgument, "kubelogin"},
      {"basic auth", Kubeconfig("", "    username: admin\n    password: secret\n"), "",
       StatusCode::kInvalidArgument, "uses a username and password"},
      {"exec without command", Kubeconfig("", kExecV1 + "      args: [x]\n"), "",
       StatusCode::kInvalidArgument, "exec has no command"},
      {"exec v1alpha1",
       Kubeconfig("",
                  "    exec:\n      apiVersion: client.authentication.k8s.io/v1alpha1\n"
                  "      command: p\n"),
       "", StatusCode::kInvalidArgument,
       "exec apiVersion \"client.authentication.k8s.io/v1alpha1\" is not supported"},
      {"exec v1 without interactiveMode",
       Kubeconfig("",
                  "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                  "      command: p\n"),
       "", StatusCode::kInvalidArgument, "exec interactiveMode must be set"},
      {"exec that needs a terminal",
       Kubeconfig("",
                  "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                  "      command: p\n      interactiveMode: Always\n"),
       "", StatusCode::kInvalidArgument, "exec plugin p needs a terminal"},
  };
  for (const BadCase& c : kCases) {
    auto config = ParseKubeconfig(c.yaml, dir_.string(), c.context);
    ASSERT_FALSE(config.ok()) << c.name;
    EXPECT_EQ(config.status().code(), c.code) << c.name << ": " << config.status().ToString();
    EXPECT_NE(config.status().message().find(c.message_part), std::string::npos)
        << c.name << ": " << config.status().message();
  }
}

TEST_F(ConfigTest, InClusterReadsTheServiceAccountFolder) {
  Write("ca.crt", "CLUSTER-CA");
  Write("namespace", "mail\n");
  setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  auto config = LoadInClusterConfig(dir_.string());
  unsetenv("KUBERNETES_SERVICE_HOST");
  unsetenv("KUBERNETES_SERVICE_PORT");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->server, "https://10.0.0.1:443");
  EXPECT_EQ(config->token, "file-token");
  EXPECT_EQ(config->token_file, (dir_ / "token").string());
  EXPECT_EQ(config->ca_pem, "CLUSTER-CA");
  EXPECT_EQ(config->default_namespace, "mail");
}

TEST_F(ConfigTest, InAPodWithoutATokenIsAnErrorNotAFallBackToHome) {
  // ~/.kube/config exists and is valid; the pod's token folder has no token.
  fs::create_directories(dir_ / "home/.kube");
  Write("home/.kube/config", Kubeconfig("", "    token: from-home\n"));
  fs::create_directories(dir_ / "sa");
  std::ofstream(dir_ / "sa/ca.crt") << "CLUSTER-CA";
  const char* home = std::getenv("HOME");
  std::string old_home = home != nullptr ? home : "";
  const char* kubeconfig = std::getenv("KUBECONFIG");
  std::optional<std::string> old_kubeconfig;
  if (kubeconfig != nullptr) old_kubeconfig = kubeconfig;
  setenv("HOME", (dir_ / "home").c_str(), 1);
  unsetenv("KUBECONFIG");
  setenv("KUBERNETES_SERVICE_HOST", "10.0.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  auto in_pod = LoadDefaultConfig("", (dir_ / "sa").string());
  unsetenv("KUBERNETES_SERVICE_HOST");
  unsetenv("KUBERNETES_SERVICE_PORT");
  auto outside = LoadDefaultConfig("", (dir_ / "sa").string());
  setenv("HOME", old_home.c_str(), 1);
  if (old_kubeconfig) setenv("KUBECONFIG", old_kubeconfig->c_str(), 1);

  ASSERT_FALSE(in_pod.ok()) << "used " << in_pod->source;
  EXPECT_EQ(in_pod.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(in_pod.status().message().find("service account token: cannot read"), std::string::npos)
      << in_pod.status().message();
  EXPECT_NE(in_pod.status().message().find("KUBERNETES_SERVICE_HOST is set"), std::string::npos);
  // Outside a pod, ~/.kube/config is still the last resort.
  ASSERT_TRUE(outside.ok()) << outside.status().ToString();
  EXPECT_EQ(outside->token, "from-home");
}

TEST(InClusterConfigTest, OutsideAClusterIsFailedPrecondition) {
  unsetenv("KUBERNETES_SERVICE_HOST");
  EXPECT_EQ(LoadInClusterConfig("/nonexistent").status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace mtasts::k8s
