#include "k8s/store.h"

#include <gtest/gtest.h>

#include "k8s/informer.h"

namespace mtasts::k8s {
namespace {

Object Cm(const std::string& name, const std::string& rv, const std::string& value = "v") {
  return {{"metadata", {{"namespace", "ns"}, {"name", name}, {"resourceVersion", rv}}},
          {"data", {{"k", value}}}};
}

TEST(ObjectStoreTest, UpsertAddsUpdatesAndDropsDuplicates) {
  ObjectStore store;
  auto added = store.Upsert(Cm("a", "1"));
  ASSERT_TRUE(added);
  EXPECT_EQ(added->kind, StoreChange::kAdded);
  EXPECT_FALSE(store.Upsert(Cm("a", "1")));  // same version again: nothing happened
  auto updated = store.Upsert(Cm("a", "2", "w"));
  ASSERT_TRUE(updated);
  EXPECT_EQ(updated->kind, StoreChange::kUpdated);
  EXPECT_EQ((*updated->old_object)["data"]["k"], "v");
  EXPECT_EQ((*updated->new_object)["data"]["k"], "w");
  EXPECT_EQ((*store.Get("ns/a"))["data"]["k"], "w");
}

TEST(ObjectStoreTest, RemoveReturnsTheLastKnownState) {
  ObjectStore store;
  store.Upsert(Cm("a", "1", "last"));
  auto removed = store.Remove(Cm("a", "9"));
  ASSERT_TRUE(removed);
  EXPECT_EQ((*removed->old_object)["data"]["k"], "last");
  EXPECT_FALSE(store.Remove(Cm("a", "9")));
  EXPECT_EQ(store.Size(), 0u);
}

TEST(ObjectStoreTest, RemoveAllExceptDeletesWhatARelistDidNotList) {
  ObjectStore store;
  store.Upsert(Cm("same", "1"));
  store.Upsert(Cm("gone", "1"));
  store.Upsert(Cm("also-gone", "1"));
  auto changes = store.RemoveAllExcept({"ns/same", "ns/new"});
  ASSERT_EQ(changes.size(), 2u);
  for (const StoreChange& change : changes) {
    EXPECT_EQ(change.kind, StoreChange::kDeleted);
    EXPECT_NE((*change.old_object)["metadata"]["name"], "same");
  }
  EXPECT_EQ(store.Size(), 1u);
  EXPECT_TRUE(store.Get("ns/same"));
}

TEST(ObjectStoreTest, ClusterScopedKeyIsTheName) {
  EXPECT_EQ(ObjectStore::KeyOf({{"metadata", {{"name", "n"}}}}), "n");
  EXPECT_EQ(ObjectStore::KeyOf(Cm("a", "1")), "ns/a");
}

TEST(StripForCacheTest, DropsManagedFieldsAndLastApplied) {
  Object obj = {{"metadata",
                 {{"name", "a"},
                  {"managedFields", Object::array({{{"manager", "kubectl"}}})},
                  {"annotations", {{"kubectl.kubernetes.io/last-applied-configuration", "{}"}}},
                  {"labels", {{"app", "x"}}}}},
                {"spec", {{"domain", "example.com"}}}};
  Object stripped = StripForCache(obj);
  EXPECT_FALSE(stripped["metadata"].contains("managedFields"));
  EXPECT_FALSE(stripped["metadata"].contains("annotations"));
  EXPECT_EQ(stripped["metadata"]["labels"]["app"], "x");
  EXPECT_EQ(stripped["spec"], obj["spec"]);
}

TEST(NextInformerStepTest, DecisionPerOutcome) {
  EXPECT_EQ(NextInformerStep(OkStatus()), InformerStep::kWatch);
  EXPECT_EQ(NextInformerStep(OutOfRangeError("Expired: too old")), InformerStep::kRelist);
  EXPECT_EQ(NextInformerStep(CancelledError("stop")), InformerStep::kStop);
  EXPECT_EQ(NextInformerStep(UnavailableError("refused")), InformerStep::kBackOff);
  EXPECT_EQ(NextInformerStep(ResourceExhaustedError("429")), InformerStep::kBackOff);
  EXPECT_EQ(NextInformerStep(PermissionDeniedError("rbac")), InformerStep::kBackOff);
}

}  // namespace
}  // namespace mtasts::k8s
