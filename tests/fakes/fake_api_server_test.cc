// FakeApiServer behaves as the real API server does where controllers depend on it: apply merges
// and drops per manager, versions and generations, selectors, pages and watches.
#include "fakes/fake_api_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_client.h"
#include "matchers/status_matchers.h"

namespace mtasts::k8s {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Object Cm(const std::string& name, Object data, Object labels = Object::object()) {
  return {{"metadata", {{"name", name}, {"namespace", "mail"}, {"labels", labels}}},
          {"data", data}};
}

std::vector<std::string> Names(const std::vector<Object>& objects) {
  std::vector<std::string> names;
  for (const Object& o : objects) names.push_back(o["metadata"]["name"]);
  return names;
}

TEST(FakeApiServerTest, ApplyCreatesMergesAndDropsWhatTheManagerNoLongerApplies) {
  FakeApiServer server;
  ASSERT_THAT(server.Apply(ConfigMaps(), Cm("c", {{"a", "1"}, {"b", "2"}}), {"ctl"}), IsOk());
  ASSERT_THAT(server.Apply(ConfigMaps(), Cm("c", {{"x", "9"}}), {"other"}), IsOk());
  auto applied = server.Apply(ConfigMaps(), Cm("c", {{"a", "3"}}), {"ctl"});
  ASSERT_THAT(applied, IsOk());
  EXPECT_EQ((*applied)["data"], Object({{"a", "3"}, {"x", "9"}}));  // b dropped, x kept
  EXPECT_EQ((*applied)["metadata"]["resourceVersion"], "3");
  EXPECT_EQ((*applied)["metadata"]["generation"], 3);
  // The same configuration again changes nothing, so no new version.
  auto again = server.Apply(ConfigMaps(), Cm("c", {{"a", "3"}}), {"ctl"});
  EXPECT_EQ((*again)["metadata"]["resourceVersion"], "3");
}

TEST(FakeApiServerTest, ApplyStatusTouchesOnlyStatusAndKeepsTheGeneration) {
  FakeApiServer server;
  ASSERT_THAT(server.ApplyStatus(ConfigMaps(), Cm("c", {}), {"ctl"}),
              StatusIs(StatusCode::kNotFound));
  ASSERT_THAT(server.Apply(ConfigMaps(), Cm("c", {{"a", "1"}}), {"ctl"}), IsOk());
  Object status = Cm("c", {{"a", "ignored"}});
  status["status"] = {{"phase", "Ready"}};
  auto got = server.ApplyStatus(ConfigMaps(), status, {"ctl"});
  ASSERT_THAT(got, IsOk());
  EXPECT_EQ((*got)["status"]["phase"], "Ready");
  EXPECT_EQ((*got)["data"]["a"], "1");
  EXPECT_EQ((*got)["metadata"]["generation"], 1);
  EXPECT_THAT(server.Apply(ConfigMaps(), Cm("c", {}), {""}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("fieldManager")));
}

TEST(FakeApiServerTest, StaleResourceVersionsAndFailedPreconditionsAreConflicts) {
  FakeApiServer server;
  Object created = *server.Create(ConfigMaps(), Cm("c", {}));
  ASSERT_THAT(server.Update(ConfigMaps(), created), IsOk());
  EXPECT_THAT(server.Update(ConfigMaps(), created), StatusIs(StatusCode::kAborted));
  EXPECT_THAT(server.Delete(ConfigMaps(), "mail", "c", {.uid = "another"}),
              StatusIs(StatusCode::kAborted));
  EXPECT_THAT(server.Delete(ConfigMaps(), "mail", "c"), IsOk());
  EXPECT_THAT(server.Delete(ConfigMaps(), "mail", "c"), StatusIs(StatusCode::kNotFound));
}

TEST(FakeApiServerTest, ListFiltersBySelectorsAndPages) {
  FakeApiServer server;
  for (const char* name : {"a", "b", "c", "d"}) {
    Object labels = {{"app", name[0] == 'c' ? "other" : "mta-sts"}};
    ASSERT_THAT(server.Create(ConfigMaps(), Cm(name, {}, labels)), IsOk());
  }
  ListOptions options{.label_selector = "app=mta-sts", .limit = 2};
  auto first = server.List(ConfigMaps(), "mail", options);
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(Names(first->items), ElementsAre("a", "b"));
  options.continue_token = first->continue_token;
  auto second = server.List(ConfigMaps(), "mail", options);
  EXPECT_THAT(Names(second->items), ElementsAre("d"));
  EXPECT_EQ(second->continue_token, "");
  EXPECT_THAT(Names(server.List(ConfigMaps(), "", {.field_selector = "metadata.name=c"})->items),
              ElementsAre("c"));
  EXPECT_THAT(server.List(ConfigMaps(), "other-ns", {}), IsOk());
  EXPECT_THAT(server.List(ConfigMaps(), "", {.label_selector = "app in (x"}),
              StatusIs(StatusCode::kInvalidArgument));
  // A write and a compaction make the first page's snapshot unreadable.
  ASSERT_THAT(server.Create(ConfigMaps(), Cm("e", {})), IsOk());
  server.Compact();
  EXPECT_THAT(server.List(ConfigMaps(), "mail", options), StatusIs(StatusCode::kOutOfRange));
}

TEST(FakeApiServerTest, WatchDeliversTheCurrentObjectsThenEachChange) {
  FakeApiServer server;
  ASSERT_THAT(server.Create(ConfigMaps(), Cm("a", {})), IsOk());
  auto watch = server.Watch(ConfigMaps(), "mail", {});
  ASSERT_THAT(watch, IsOk());
  ASSERT_THAT(server.MergePatch(ConfigMaps(), "mail", "a", {{"data", {{"k", "v"}}}}), IsOk());
  ASSERT_THAT(server.Delete(ConfigMaps(), "mail", "a"), IsOk());
  std::vector<WatchEventType> types;
  for (int i = 0; i < 3; ++i) types.push_back((*(*watch)->Next())->type);
  EXPECT_THAT(types, ElementsAre(WatchEventType::kAdded, WatchEventType::kModified,
                                 WatchEventType::kDeleted));
  server.CloseWatches();
  EXPECT_EQ(*(*watch)->Next(), std::nullopt);
}

TEST(FakeApiServerTest, AnObjectLeavingOrEnteringTheSelectorIsDeletedOrAdded) {
  FakeApiServer server;
  ASSERT_THAT(server.Create(ConfigMaps(), Cm("a", {{"k", "1"}}, {{"app", "mta-sts"}})), IsOk());
  WatchOptions selected;
  selected.label_selector = "app=mta-sts";
  auto watch = server.Watch(ConfigMaps(), "mail", selected);
  ASSERT_THAT(watch, IsOk());
  ASSERT_THAT((*watch)->Next(), IsOk());  // the initial ADDED
  auto unlabelled =
      server.MergePatch(ConfigMaps(), "mail", "a",
                        {{"metadata", {{"labels", {{"app", nullptr}}}}}, {"data", {{"k", "2"}}}});
  ASSERT_THAT(unlabelled, IsOk());
  ASSERT_THAT(server.MergePatch(ConfigMaps(), "mail", "a", {{"data", {{"k", "3"}}}}), IsOk());
  ASSERT_THAT(server.MergePatch(ConfigMaps(), "mail", "a",
                                {{"metadata", {{"labels", {{"app", "mta-sts"}}}}}}),
              IsOk());
  WatchEvent left = **(*watch)->Next();
  EXPECT_EQ(left.type, WatchEventType::kDeleted);
  EXPECT_EQ(left.object["data"]["k"], "1");  // as it was before it left
  EXPECT_EQ(left.object["metadata"]["resourceVersion"],
            (*unlabelled)["metadata"]["resourceVersion"]);
  WatchEvent back = **(*watch)->Next();  // the change outside the selector is not seen
  EXPECT_EQ(back.type, WatchEventType::kAdded);
  EXPECT_EQ(back.object["data"]["k"], "3");
}

TEST(FakeApiServerTest, WatchResumesFromAVersionUntilCompacted) {
  FakeApiServer server;
  Object a = *server.Create(ConfigMaps(), Cm("a", {}));
  ASSERT_THAT(server.Create(ConfigMaps(), Cm("b", {})), IsOk());
  WatchOptions from_a{.resource_version = a["metadata"]["resourceVersion"]};
  auto watch = server.Watch(ConfigMaps(), "mail", from_a);
  EXPECT_EQ((*(*watch)->Next())->object["metadata"]["name"], "b");
  server.Compact();
  EXPECT_THAT(server.Watch(ConfigMaps(), "mail", from_a), StatusIs(StatusCode::kOutOfRange));
  (*watch)->Cancel();
  EXPECT_THAT((*watch)->Next(), StatusIs(StatusCode::kCancelled));
}

TEST(FakeClientTest, InjectedFailuresPerVerb) {
  FakeApiServer server;
  FakeClient client(server);
  client.FailOn("apply", AbortedError("Conflict: field manager conflict"));
  EXPECT_THAT(client.Apply(ConfigMaps(), Cm("c", {}), {"ctl"}), StatusIs(StatusCode::kAborted));
  EXPECT_THAT(client.Create(ConfigMaps(), Cm("c", {})), IsOk());
  EXPECT_THAT(client.Get(ConfigMaps(), "mail", "c"), Not(StatusIs(StatusCode::kNotFound)));
  EXPECT_EQ(client.Calls("apply"), 1);
}

}  // namespace
}  // namespace mtasts::k8s
