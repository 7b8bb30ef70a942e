// ApiEventRecorder against a real kube-apiserver: the API server accepts the events.k8s.io/v1
// Events it writes, and a repeat becomes a series on the same Event.
#include <gtest/gtest.h>
#include <unistd.h>

#include "k8s/api_event_recorder.h"
#include "k8s/config.h"
#include "k8s/rest_client.h"

namespace mtasts::k8s {
namespace {

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StatusOr<Config> config = LoadDefaultConfig();
    ASSERT_TRUE(config.ok()) << config.status().ToString();
    auto client = NewRestClient(*config);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value();
    // A real object for the Events to be about.
    Object config_map = {{"metadata", {{"name", name_}, {"namespace", "default"}}},
                         {"data", {{"purpose", "events test"}}}};
    auto created = client_->Create(ConfigMaps(), config_map);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    regarding_ = ReferenceTo(*created);
  }
  void TearDown() override {
    if (client_) client_->Delete(ConfigMaps(), "default", name_);
  }

  // The Events in "default" about this test's ConfigMap.
  std::vector<Object> EventsAboutIt() {
    std::vector<Object> found;
    auto list = client_->List(Events(), "default", {});
    EXPECT_TRUE(list.ok()) << list.status().ToString();
    if (!list.ok()) return found;
    for (const Object& event : list->items) {
      if (event["regarding"].value("uid", "") == regarding_.uid) found.push_back(event);
    }
    return found;
  }

  std::string name_ = "events-test-" + std::to_string(getpid());
  std::unique_ptr<Client> client_;
  ObjectReference regarding_;
};

TEST_F(EventsTest, EventIsCreatedAndRepeatsAggregateIntoASeries) {
  ApiEventRecorder recorder(*client_, {.reporting_instance = "events-test"});
  recorder.Eventf(regarding_, EventType::kWarning, "ProbeFailed", "Probe", "probe of {} failed: {}",
                  "mx1.example.test", "timeout");
  recorder.Flush();
  ASSERT_EQ(recorder.Failed(), 0u) << "the API server refused the Event (see the log above)";
  auto events = EventsAboutIt();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "Warning");
  EXPECT_EQ(events[0]["reason"], "ProbeFailed");
  EXPECT_EQ(events[0]["action"], "Probe");
  EXPECT_EQ(events[0]["note"], "probe of mx1.example.test failed: timeout");
  EXPECT_EQ(events[0]["reportingController"], "mtasts.io/operator");
  EXPECT_EQ(events[0]["reportingInstance"], "events-test");
  EXPECT_EQ(events[0]["regarding"]["kind"], "ConfigMap");
  EXPECT_FALSE(events[0].contains("series"));

  recorder.Eventf(regarding_, EventType::kWarning, "ProbeFailed", "Probe", "probe of {} failed: {}",
                  "mx2.example.test", "refused");
  recorder.Flush();
  recorder.Eventf(regarding_, EventType::kWarning, "ProbeFailed", "Probe", "probe of {} failed: {}",
                  "mx1.example.test", "timeout");
  recorder.Flush();
  ASSERT_EQ(recorder.Failed(), 0u);
  auto after = EventsAboutIt();
  ASSERT_EQ(after.size(), 1u) << "repeats must extend the series, not create Events";
  EXPECT_EQ(after[0]["metadata"]["name"], events[0]["metadata"]["name"]);
  EXPECT_EQ(after[0]["series"]["count"], 3);
  EXPECT_TRUE(after[0]["series"]["lastObservedTime"].is_string());

  // Another reason is another Event.
  recorder.Eventf(regarding_, EventType::kNormal, "PolicyServed", "Serve", "served");
  recorder.Flush();
  EXPECT_EQ(EventsAboutIt().size(), 2u);
  EXPECT_EQ(recorder.Failed(), 0u);
}

}  // namespace
}  // namespace mtasts::k8s
