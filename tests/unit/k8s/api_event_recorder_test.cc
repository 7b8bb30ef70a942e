#include "k8s/api_event_recorder.h"

#include <gtest/gtest.h>

#include <thread>

#include "fakes/fake_client.h"

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;

class ApiEventRecorderTest : public ::testing::Test {
 protected:
  EventRecorderOptions Options() {
    EventRecorderOptions options;
    options.reporting_instance = "operator-0";
    options.clock = &clock_;
    return options;
  }
  void ProbeFailed(EventRecorder& recorder, const std::string& why) {
    recorder.Eventf(policy_, EventType::kWarning, "ProbeFailed", "Probe", "probe failed: {}", why);
  }
  // Waits (wall time) until the sender has started `count` calls of `verb`.
  void AwaitCalls(const std::string& verb, int count) {
    for (int i = 0; i < 5000 && client_.Calls(verb) < count; ++i) std::this_thread::sleep_for(1ms);
    ASSERT_GE(client_.Calls(verb), count);
  }

  FakeClock clock_{Clock::TimePoint(1795898712s)};
  FakeApiServer server_;
  FakeClient client_{server_};
  ObjectReference policy_{"mtasts.io/v1alpha1", "MtaStsPolicy", "mail", "example-com", "u-1"};
};

TEST_F(ApiEventRecorderTest, CreatesAnEventsV1Event) {
  ApiEventRecorder recorder(client_, Options());
  ProbeFailed(recorder, "timeout");
  recorder.Flush();
  auto events = server_.All(Events());
  ASSERT_EQ(events.size(), 1u);
  const Object& e = events[0];
  EXPECT_EQ(e["apiVersion"], "events.k8s.io/v1");
  EXPECT_EQ(e["metadata"]["namespace"], "mail");
  EXPECT_EQ(e["eventTime"], "2026-11-28T20:45:12.000000Z");
  EXPECT_EQ(e["reportingController"], "mtasts.io/operator");
  EXPECT_EQ(e["reportingInstance"], "operator-0");
  EXPECT_EQ(e["type"], "Warning");
  EXPECT_EQ(e["reason"], "ProbeFailed");
  EXPECT_EQ(e["action"], "Probe");
  EXPECT_EQ(e["note"], "probe failed: timeout");
  EXPECT_EQ(e["regarding"], (Object{{"apiVersion", "mtasts.io/v1alpha1"},
                                    {"kind", "MtaStsPolicy"},
                                    {"namespace", "mail"},
                                    {"name", "example-com"},
                                    {"uid", "u-1"}}));
  EXPECT_FALSE(e.contains("series"));
}

TEST_F(ApiEventRecorderTest, BytesFromOutsideAreShownEscaped) {
  ApiEventRecorder recorder(client_, Options());
  recorder.Eventf(policy_, EventType::kWarning, "Probe\x1b[2J", "Probe", "probe failed: {}",
                  "554 \xff\xfe\x1b[31mred\n");
  recorder.Flush();
  auto events = server_.All(Events());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["note"], "probe failed: 554 \\xff\\xfe\\x1b[31mred\\x0a");
  EXPECT_EQ(events[0]["reason"], "Probe\\x1b[2J");
}

TEST_F(ApiEventRecorderTest, RepeatsBecomeASeriesPatch) {
  ApiEventRecorder recorder(client_, Options());
  ProbeFailed(recorder, "timeout");
  recorder.Flush();
  clock_.Advance(30s);
  ProbeFailed(recorder, "refused");
  recorder.Flush();
  clock_.Advance(30s);
  ProbeFailed(recorder, "timeout");
  recorder.Flush();
  auto events = server_.All(Events());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["series"]["count"], 3);
  EXPECT_EQ(events[0]["series"]["lastObservedTime"], "2026-11-28T20:46:12.000000Z");
  EXPECT_EQ(client_.Calls("create"), 1);
  EXPECT_EQ(client_.Calls("patch"), 2);
}

TEST_F(ApiEventRecorderTest, ABurstOfRepeatsCostsOneCreateAndOnePatch) {
  ApiEventRecorder recorder(client_, Options());
  client_.Hang();
  ProbeFailed(recorder, "first");
  AwaitCalls("create", 1);  // the sender is now stuck in the first create
  for (int i = 0; i < 9; ++i) ProbeFailed(recorder, "again");
  client_.Resume();
  recorder.Flush();
  auto events = server_.All(Events());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["series"]["count"], 10);
  EXPECT_EQ(client_.Calls("patch"), 1);
}

TEST_F(ApiEventRecorderTest, RecordNeverBlocksAndDropsWhenTheQueueIsFull) {
  EventRecorderOptions options = Options();
  options.queue_limit = 5;
  ApiEventRecorder recorder(client_, options);
  client_.Hang();
  ProbeFailed(recorder, "0");
  AwaitCalls("create", 1);
  auto start = std::chrono::steady_clock::now();
  for (int i = 1; i < 10; ++i) ProbeFailed(recorder, std::to_string(i));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "Record waited for the API server";
  EXPECT_EQ(recorder.Dropped(), 4u);  // one in flight, five queued, four dropped
  client_.Resume();
  recorder.Flush();
  EXPECT_EQ(server_.All(Events())[0]["series"]["count"], 6);
}

TEST_F(ApiEventRecorderTest, ExpiredEventIsCreatedAfresh) {
  ApiEventRecorder recorder(client_, Options());
  ProbeFailed(recorder, "x");
  recorder.Flush();
  std::string name = server_.All(Events())[0]["metadata"]["name"];
  ASSERT_TRUE(server_.Delete(Events(), "mail", name).ok());  // the event TTL ran out
  clock_.Advance(1s);
  ProbeFailed(recorder, "x");
  recorder.Flush();
  auto events = server_.All(Events());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_NE(events[0]["metadata"]["name"], name);
  EXPECT_FALSE(events[0].contains("series"));
  EXPECT_EQ(recorder.Failed(), 0u);
}

TEST_F(ApiEventRecorderTest, RefusedWriteIsCountedAndTheNextOccurrenceCreates) {
  ApiEventRecorder recorder(client_, Options());
  client_.Fail(UnavailableError("connection refused"));
  ProbeFailed(recorder, "x");
  recorder.Flush();
  EXPECT_EQ(recorder.Failed(), 1u);
  client_.Fail(OkStatus());
  ProbeFailed(recorder, "x");
  recorder.Flush();
  EXPECT_EQ(server_.All(Events()).size(), 1u);
  EXPECT_EQ(client_.Calls("patch"), 0);
}

TEST_F(ApiEventRecorderTest, LongNotesAreCutToTheApiLimitOnACharacterBoundary) {
  ApiEventRecorder recorder(client_, Options());
  std::string note;
  for (int i = 0; i < 600; ++i) note += "\xC3\xA9";  // "é", two bytes each
  recorder.Eventf(policy_, EventType::kNormal, std::string(200, 'R'), "Act", "{}", "x" + note);
  recorder.Flush();
  auto event = server_.All(Events())[0];
  std::string stored = event["note"];
  EXPECT_EQ(stored.size(), 1023u);  // 1 + 511 * 2: the 512th "é" would cross 1024 bytes
  EXPECT_EQ(event["reason"].get<std::string>().size(), 128u);
}

TEST_F(ApiEventRecorderTest, DestructorSendsWhatIsQueued) {
  {
    ApiEventRecorder recorder(client_, Options());
    for (int i = 0; i < 3; ++i) {
      recorder.Eventf(policy_, EventType::kNormal, "R" + std::to_string(i), "Act", "n");
    }
  }
  EXPECT_EQ(server_.All(Events()).size(), 3u);
}

TEST_F(ApiEventRecorderTest, DestructorGivesUpAfterTheGraceInsteadOfHanging) {
  EventRecorderOptions options = Options();
  options.shutdown_grace = 0s;
  auto recorder = std::make_unique<ApiEventRecorder>(client_, options);
  client_.Hang();  // the API server stops answering
  recorder->Eventf(policy_, EventType::kNormal, "First", "Act", "n");
  AwaitCalls("create", 1);
  recorder->Eventf(policy_, EventType::kNormal, "Second", "Act", "n");
  recorder->Eventf(policy_, EventType::kNormal, "Third", "Act", "n");
  std::thread destroy([&] { recorder.reset(); });
  std::this_thread::sleep_for(100ms);  // the destructor has begun and waits for the sender
  client_.Resume();                    // ends the one request in flight
  destroy.join();
  EXPECT_EQ(client_.Calls("create"), 1) << "queued events were still sent after the grace";
  EXPECT_EQ(server_.All(Events()).size(), 1u);
}

}  // namespace
}  // namespace mtasts::k8s
