// Exec credential plugins against a real kube-apiserver: one that hands out the admin client
// certificate, and one whose first token the server rejects (401), so the plugin runs again.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "k8s/base64.h"
#include "k8s/config.h"
#include "k8s/rest_client.h"
#include "k8s_env.h"

namespace mtasts::k8s {
namespace {

namespace fs = std::filesystem;
using test_env::NewNamespace;
using test_env::TestClient;

// A folder with a plugin script that prints credential-<run>.json (the last one once runs
// exceed the files) and a kubeconfig whose user runs it.
class ExecAuthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("exec-auth-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    auto admin = LoadKubeconfig(std::getenv("KUBECONFIG"));
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    admin_ = *admin;
    std::ofstream(dir_ / "plugin.sh")
        << "#!/bin/sh\ncd \"$(dirname \"$0\")\"\n"
           "run=$(($(cat runs 2>/dev/null || echo 0) + 1)); echo $run > runs\n"
           "[ -f credential-$run.json ] || run=$(ls credential-*.json | wc -l)\n"
           "cat credential-$run.json\n";
    fs::permissions(dir_ / "plugin.sh", fs::perms::owner_all);
    std::ofstream(dir_ / "kubeconfig")
        << "apiVersion: v1\nkind: Config\ncurrent-context: exec\n"
           "contexts:\n- name: exec\n  context: {cluster: local, user: plugin}\n"
           "clusters:\n- name: local\n  cluster:\n    server: "
        << admin_.server << "\n    certificate-authority-data: " << Base64Encode(admin_.ca_pem)
        << "\nusers:\n- name: plugin\n  user:\n    exec:\n"
           "      apiVersion: client.authentication.k8s.io/v1\n"
           "      interactiveMode: Never\n      command: ./plugin.sh\n";
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Hand(int run, const nlohmann::json& status) {
    nlohmann::json credential = {{"apiVersion", "client.authentication.k8s.io/v1"},
                                 {"kind", "ExecCredential"},
                                 {"status", status}};
    std::ofstream(dir_ / ("credential-" + std::to_string(run) + ".json")) << credential.dump();
  }
  int Runs() {
    std::ifstream in(dir_ / "runs");
    int runs = 0;
    in >> runs;
    return runs;
  }
  StatusOr<std::unique_ptr<Client>> PluginClient() {
    auto config = LoadKubeconfig((dir_ / "kubeconfig").string());
    if (!config.ok()) return config.status();
    return NewRestClient(*config);
  }

  fs::path dir_;
  Config admin_;
};

// What `kubectl create token` prints for a service account.
std::string CreateToken(const std::string& ns, const std::string& account) {
  std::string command = std::string(std::getenv("MTASTS_CONTROLPLANE")) + " kubectl -n " + ns +
                        " create token " + account;
  FILE* out = popen(command.c_str(), "r");
  std::string token;
  char buf[4096];
  while (out != nullptr && fgets(buf, sizeof buf, out) != nullptr) token += buf;
  if (out != nullptr) pclose(out);
  token.erase(token.find_last_not_of("\r\n") + 1);
  return token;
}

TEST_F(ExecAuthTest, AClientCertificateFromThePlugin) {
  Hand(1, {{"clientCertificateData", admin_.client_cert_pem},
           {"clientKeyData", admin_.client_key_pem}});
  auto client = PluginClient();
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  ResourceRef namespaces{"", "v1", "namespaces", "Namespace", false};
  auto got = (*client)->Get(namespaces, "", "default");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(Runs(), 1);
}

TEST_F(ExecAuthTest, ARejectedTokenRunsThePluginAgain) {
  std::string ns = NewNamespace("exec-auth");
  ResourceRef accounts{"", "v1", "serviceaccounts", "ServiceAccount", true};
  ResourceRef roles{"rbac.authorization.k8s.io", "v1", "roles", "Role", true};
  ResourceRef bindings{"rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true};
  ASSERT_TRUE(
      TestClient().Create(accounts, {{"metadata", {{"name", "plugin"}, {"namespace", ns}}}}).ok());
  // A role of its own: the aggregated "view" role stays empty without a controller manager.
  ASSERT_TRUE(TestClient()
                  .Create(roles, {{"metadata", {{"name", "read"}, {"namespace", ns}}},
                                  {"rules",
                                   {{{"apiGroups", {""}},
                                     {"resources", {"configmaps"}},
                                     {"verbs", {"get", "list"}}}}}})
                  .ok());
  ASSERT_TRUE(
      TestClient()
          .Create(
              bindings,
              {{"metadata", {{"name", "plugin-read"}, {"namespace", ns}}},
               {"roleRef",
                {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "Role"}, {"name", "read"}}},
               {"subjects", {{{"kind", "ServiceAccount"}, {"name", "plugin"}, {"namespace", ns}}}}})
          .ok());
  std::string token = CreateToken(ns, "plugin");
  ASSERT_FALSE(token.empty());
  Hand(1, {{"token", "revoked-token"}});
  Hand(2, {{"token", token}, {"expirationTimestamp", "2999-01-01T00:00:00Z"}});

  auto client = PluginClient();
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto listed = (*client)->List(ConfigMaps(), ns, {});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  EXPECT_EQ(Runs(), 2);
  // The service account may only read: the server knows who is asking.
  auto denied = (*client)->Create(ConfigMaps(), test_env::ConfigMap(ns, "x", "k", "v"));
  EXPECT_EQ(denied.status().code(), StatusCode::kPermissionDenied) << denied.status().ToString();
  EXPECT_NE(denied.status().message().find("system:serviceaccount:" + ns + ":plugin"),
            std::string::npos);
  EXPECT_EQ(Runs(), 2);
}

}  // namespace
}  // namespace mtasts::k8s
