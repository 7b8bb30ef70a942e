// CRUD, server-side apply, optimistic concurrency and preconditions against a real kube-apiserver.
#include <gtest/gtest.h>

#include <cstdlib>

#include "k8s/config.h"
#include "k8s/rest_client.h"
#include "k8s_env.h"

namespace mtasts::k8s {
namespace {

using test_env::ConfigMap;
using test_env::NewNamespace;
using test_env::TestClient;

bool Contains(const Status& status, const std::string& part) {
  return status.message().find(part) != std::string::npos;
}

TEST(ConfigMapCrudTest, CreateGetUpdateConflictPatchDelete) {
  Client& client = TestClient();
  std::string ns = NewNamespace("crud");
  auto created = client.Create(ConfigMaps(), ConfigMap(ns, "a", "k", "1"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)["kind"], "ConfigMap");

  auto again = client.Create(ConfigMaps(), ConfigMap(ns, "a", "k", "1"));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists) << again.status().ToString();
  EXPECT_TRUE(Contains(again.status(), "AlreadyExists: configmaps \"a\" already exists"));

  auto got = client.Get(ConfigMaps(), ns, "a");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ((*got)["data"]["k"], "1");

  Object fresh = *got;
  fresh["data"]["k"] = "2";
  auto updated = client.Update(ConfigMaps(), fresh);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)["data"]["k"], "2");

  Object stale = *got;  // still carries the first resourceVersion
  stale["data"]["k"] = "stale";
  auto conflict = client.Update(ConfigMaps(), stale);
  EXPECT_EQ(conflict.status().code(), StatusCode::kAborted) << conflict.status().ToString();
  EXPECT_TRUE(Contains(conflict.status(), "Conflict: ")) << conflict.status().ToString();
  EXPECT_TRUE(Contains(conflict.status(), "the object has been modified"));

  auto patched = client.MergePatch(ConfigMaps(), ns, "a", {{"data", {{"extra", "x"}}}});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["data"], (Object{{"k", "2"}, {"extra", "x"}}));

  DeleteOptions wrong_uid;
  wrong_uid.uid = "00000000-0000-0000-0000-000000000000";
  Status precondition = client.Delete(ConfigMaps(), ns, "a", wrong_uid);
  EXPECT_EQ(precondition.code(), StatusCode::kAborted) << precondition.ToString();
  EXPECT_TRUE(Contains(precondition, "the UID in the precondition")) << precondition.ToString();

  DeleteOptions right;
  right.uid = (*patched)["metadata"]["uid"];
  right.resource_version = (*patched)["metadata"]["resourceVersion"];
  EXPECT_TRUE(client.Delete(ConfigMaps(), ns, "a", right).ok());
  auto gone = client.Get(ConfigMaps(), ns, "a");
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(Contains(gone.status(), "NotFound: configmaps \"a\" not found"))
      << gone.status().ToString();
  EXPECT_EQ(client.Delete(ConfigMaps(), ns, "a").code(), StatusCode::kNotFound);
}

TEST(ConfigMapApplyTest, ServerSideApplyOwnsFieldsPerManager) {
  Client& client = TestClient();
  std::string ns = NewNamespace("ssa");
  auto first = client.Apply(ConfigMaps(), ConfigMap(ns, "p", "policy", "v1"), {"operator"});
  ASSERT_TRUE(first.ok()) << first.status().ToString();  // apply creates
  EXPECT_EQ((*first)["data"]["policy"], "v1");

  auto second = client.Apply(ConfigMaps(), ConfigMap(ns, "p", "policy", "v2"), {"operator"});
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ((*second)["data"]["policy"], "v2");

  // Another manager may not take a field the operator owns, unless it forces.
  auto taken = client.Apply(ConfigMaps(), ConfigMap(ns, "p", "policy", "theirs"), {"intruder"});
  EXPECT_EQ(taken.status().code(), StatusCode::kOwnershipConflict) << taken.status().ToString();
  EXPECT_TRUE(Contains(taken.status(), "conflict")) << taken.status().ToString();
  auto forced =
      client.Apply(ConfigMaps(), ConfigMap(ns, "p", "policy", "theirs"), {"intruder", true});
  ASSERT_TRUE(forced.ok()) << forced.status().ToString();
  EXPECT_EQ((*forced)["data"]["policy"], "theirs");

  auto no_manager = client.Apply(ConfigMaps(), ConfigMap(ns, "p", "policy", "x"), {});
  EXPECT_EQ(no_manager.status().code(), StatusCode::kInvalidArgument);
}

// A value read from the network (a TXT record, an SMTP reply) may hold bytes that are not UTF-8,
// which JSON cannot carry: every write sends U+FFFD for them instead of throwing.
TEST(ConfigMapCrudTest, BytesThatAreNotUtf8AreSentAsReplacementCharacters) {
  Client& client = TestClient();
  std::string ns = NewNamespace("bytes");
  const std::string kReplaced = "id=\xef\xbf\xbd\xef\xbf\xbd";
  auto created = client.Create(ConfigMaps(), ConfigMap(ns, "a", "k", "id=\xff\xfe"));
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)["data"]["k"], kReplaced);

  Object changed = *created;
  changed["data"]["k"] = "id=\xc3";  // a sequence cut short
  auto updated = client.Update(ConfigMaps(), changed);
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)["data"]["k"], "id=\xef\xbf\xbd");

  auto patched = client.MergePatch(ConfigMaps(), ns, "a", {{"data", {{"k", "id=\xff\xfe"}}}});
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["data"]["k"], kReplaced);

  auto applied = client.Apply(ConfigMaps(), ConfigMap(ns, "b", "k", "id=\xff\xfe"), {"operator"});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ((*applied)["data"]["k"], kReplaced);
}

TEST(WidgetCrudTest, CustomResourceApplyStatusAndValidation) {
  Client& client = TestClient();
  ResourceRef widgets = test_env::Widgets();
  std::string ns = NewNamespace("crd");
  Object widget = {{"metadata", {{"namespace", ns}, {"name", "w"}}},
                   {"spec", {{"domain", "example.com"}, {"mode", "testing"}}}};
  auto applied = client.Apply(widgets, widget, {"operator"});
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ((*applied)["apiVersion"], "test.mtasts.io/v1");
  EXPECT_EQ((*applied)["spec"]["mode"], "testing");

  Object status = {{"metadata", {{"namespace", ns}, {"name", "w"}}},
                   {"status", {{"phase", "Testing"}, {"observedGeneration", 1}}}};
  auto with_status = client.ApplyStatus(widgets, status, {"operator"});
  ASSERT_TRUE(with_status.ok()) << with_status.status().ToString();
  EXPECT_EQ((*with_status)["status"]["phase"], "Testing");
  EXPECT_EQ((*with_status)["spec"]["mode"], "testing");  // the status write left spec alone

  auto patched =
      client.MergePatch(widgets, ns, "w", {{"status", {{"phase", "Enforcing"}}}}, "status");
  ASSERT_TRUE(patched.ok()) << patched.status().ToString();
  EXPECT_EQ((*patched)["status"]["phase"], "Enforcing");

  Object bad = {{"metadata", {{"namespace", ns}, {"name", "bad"}}},
                {"spec", {{"mode", "sometimes"}}}};
  auto invalid = client.Create(widgets, bad);
  EXPECT_EQ(invalid.status().code(), StatusCode::kInvalidArgument) << invalid.status().ToString();
  EXPECT_TRUE(Contains(invalid.status(), "Invalid: ")) << invalid.status().ToString();
  EXPECT_TRUE(Contains(invalid.status(), "spec.domain")) << invalid.status().ToString();
  EXPECT_TRUE(Contains(invalid.status(), "spec.mode")) << invalid.status().ToString();

  EXPECT_TRUE(client.Delete(widgets, ns, "w").ok());
}

TEST(ErrorMappingTest, WrongCredentialsAreUnauthenticated) {
  auto config = LoadKubeconfig(std::getenv("KUBECONFIG"));
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  config->client_cert_pem.clear();
  config->client_key_pem.clear();
  config->token = "not-a-valid-token";
  auto client = NewRestClient(*config);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto got = (*client)->Get(ConfigMaps(), "default", "x");
  EXPECT_EQ(got.status().code(), StatusCode::kUnauthenticated) << got.status().ToString();
  EXPECT_TRUE(Contains(got.status(), "Unauthorized")) << got.status().ToString();
}

TEST(ErrorMappingTest, UnreachableServerIsUnavailable) {
  Config config;
  config.server = "https://127.0.0.1:1";  // nothing listens on port 1
  config.insecure_skip_tls_verify = true;
  auto client = NewRestClient(config);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  EXPECT_EQ((*client)->Get(ConfigMaps(), "default", "x").status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace mtasts::k8s
