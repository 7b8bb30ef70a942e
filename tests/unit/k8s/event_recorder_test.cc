#include "k8s/event_recorder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "fakes/fake_event_recorder.h"
#include "k8s/event_series.h"
#include "k8s/micro_time.h"

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;

TEST(MicroTimeTest, FormatsUtcWithMicroseconds) {
  // 2026-11-28T20:45:12Z is 1795898712 s after the epoch.
  Clock::TimePoint t = Clock::TimePoint(1795898712s) + 123456us;
  EXPECT_EQ(FormatMicroTime(t), "2026-11-28T20:45:12.123456Z");
  EXPECT_EQ(FormatMicroTime(Clock::TimePoint(0s)), "1970-01-01T00:00:00.000000Z");
}

TEST(FormatNoteTest, FillsPlaceholdersInOrder) {
  struct Case {
    const char* note_template;
    std::vector<std::string> args;
    const char* want;
  } cases[] = {
      {"no placeholders", {}, "no placeholders"},
      {"{} is not covered by {}",
       {"mx2.example.com", "*.example.com"},
       "mx2.example.com is not covered by *.example.com"},
      {"{}{}", {"a", "b"}, "ab"},
      {"missing {} and {}", {"one"}, "missing one and {}"},
      {"extra {}", {"one", "two"}, "extra one"},
      {"brace { and }", {"x"}, "brace { and }"},
  };
  for (const auto& c : cases) EXPECT_EQ(FormatNote(c.note_template, c.args), c.want);
}

TEST(ReferenceToTest, ReadsTypeAndMetadata) {
  nlohmann::json policy = {
      {"apiVersion", "mtasts.io/v1alpha1"},
      {"kind", "MtaStsPolicy"},
      {"metadata", {{"name", "example-com"}, {"namespace", "mail"}, {"uid", "u-1"}}}};
  EXPECT_EQ(ReferenceTo(policy),
            (ObjectReference{"mtasts.io/v1alpha1", "MtaStsPolicy", "mail", "example-com", "u-1"}));
  EXPECT_EQ(ReferenceTo(nlohmann::json::object()), ObjectReference{});
  EXPECT_EQ(ReferenceTo(nlohmann::json{{"metadata", 7}}), ObjectReference{});
}

TEST(FakeEventRecorderTest, KeepsFormattedEventsInOrder) {
  FakeEventRecorder recorder;
  ObjectReference ref{"v1", "ConfigMap", "mail", "policy", ""};
  recorder.Eventf(ref, EventType::kNormal, "PolicyPublished", "Publish", "published id {}",
                  "20261128T204512");
  recorder.Eventf(ref, EventType::kWarning, "MxNotCovered", "Validate", "{} MX host(s) uncovered",
                  2);
  EXPECT_THAT(recorder.Lines(), ElementsAre("Normal PolicyPublished: published id 20261128T204512",
                                            "Warning MxNotCovered: 2 MX host(s) uncovered"));
  EXPECT_EQ(recorder.Events()[1].note_template, "{} MX host(s) uncovered");
}

class EventSeriesTest : public ::testing::Test {
 protected:
  EventRecord Event(const std::string& reason, const std::string& note) {
    return {{"v1", "ConfigMap", "mail", "policy", "u-1"},
            EventType::kWarning,
            reason,
            "Probe",
            "probe failed: {}",
            note};
  }
  Clock::TimePoint t0_ = Clock::TimePoint(1795898712s);
  EventSeries series_{6min, 3};
};

TEST_F(EventSeriesTest, RepeatsWithinTheWindowExtendOneSeries) {
  auto first = series_.Observe(Event("ProbeFailed", "timeout"), t0_);
  EXPECT_TRUE(first.create);
  EXPECT_EQ(first.namespace_name, "mail");
  EXPECT_EQ(first.name.rfind("policy.", 0), 0u) << first.name;
  // Different arguments, same template: the same series.
  auto second = series_.Observe(Event("ProbeFailed", "refused"), t0_ + 5min);
  EXPECT_FALSE(second.create);
  EXPECT_EQ(second.name, first.name);
  EXPECT_EQ(second.count, 2);
  auto third = series_.Observe(Event("ProbeFailed", "timeout"), t0_ + 10min);
  EXPECT_EQ(third.count, 3);
}

TEST_F(EventSeriesTest, QuietWindowStartsANewEvent) {
  auto first = series_.Observe(Event("ProbeFailed", "x"), t0_);
  auto later = series_.Observe(Event("ProbeFailed", "x"), t0_ + 6min + 1s);
  EXPECT_TRUE(later.create);
  EXPECT_NE(later.name, first.name);
}

TEST_F(EventSeriesTest, DifferentReasonIsADifferentSeries) {
  series_.Observe(Event("ProbeFailed", "x"), t0_);
  EXPECT_TRUE(series_.Observe(Event("ProbeTimedOut", "x"), t0_).create);
}

TEST_F(EventSeriesTest, SameInstantStillGivesDistinctNames) {
  auto a = series_.Observe(Event("A", "x"), t0_);
  auto b = series_.Observe(Event("B", "x"), t0_);
  EXPECT_NE(a.name, b.name);
}

TEST_F(EventSeriesTest, ForgetMakesTheNextOccurrenceCreate) {
  series_.Observe(Event("ProbeFailed", "x"), t0_);
  series_.Forget(Event("ProbeFailed", "y"));
  EXPECT_TRUE(series_.Observe(Event("ProbeFailed", "x"), t0_ + 1s).create);
}

TEST_F(EventSeriesTest, RemembersAtMostMaxSeriesDroppingTheStalest) {
  series_.Observe(Event("A", "x"), t0_);
  series_.Observe(Event("B", "x"), t0_ + 1s);
  series_.Observe(Event("C", "x"), t0_ + 2s);
  series_.Observe(Event("D", "x"), t0_ + 3s);
  EXPECT_EQ(series_.size(), 3u);
  EXPECT_TRUE(series_.Observe(Event("A", "x"), t0_ + 4s).create) << "A was the stalest";
  EXPECT_FALSE(series_.Observe(Event("D", "x"), t0_ + 5s).create);
}

TEST_F(EventSeriesTest, ClusterScopedObjectsGetEventsInDefault) {
  EventRecord event = Event("A", "x");
  event.regarding.namespace_name.clear();
  EXPECT_EQ(series_.Observe(event, t0_).namespace_name, "default");
}

}  // namespace
}  // namespace mtasts::k8s
