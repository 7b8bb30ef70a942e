#include "k8s/config.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

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

TEST(InClusterConfigTest, OutsideAClusterIsFailedPrecondition) {
  unsetenv("KUBERNETES_SERVICE_HOST");
  EXPECT_EQ(LoadInClusterConfig("/nonexistent").status().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace mtasts::k8s
