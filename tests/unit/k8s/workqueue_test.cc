#include "k8s/workqueue.h"

#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;

class WorkQueueTest : public ::testing::Test {
 protected:
  FakeClock clock_{Clock::TimePoint(1000s)};
  WorkQueue queue_{{.clock = &clock_, .max_wait = 1ms}};
};

TEST_F(WorkQueueTest, AddingAQueuedKeyKeepsOneEntry) {
  queue_.Add("ns/a");
  queue_.Add("ns/b");
  queue_.Add("ns/a");
  EXPECT_EQ(queue_.Len(), 2u);
  EXPECT_EQ(queue_.Get(), "ns/a");
  EXPECT_EQ(queue_.Get(), "ns/b");
  EXPECT_EQ(queue_.Len(), 0u);
}

TEST_F(WorkQueueTest, KeyAddedWhileInFlightIsQueuedOnceAfterDone) {
  queue_.Add("ns/a");
  ASSERT_EQ(queue_.Get(), "ns/a");
  queue_.Add("ns/a");
  queue_.Add("ns/a");
  EXPECT_EQ(queue_.Len(), 0u) << "an in-flight key must not be handed out again";
  queue_.Done("ns/a");
  EXPECT_EQ(queue_.Len(), 1u);
  EXPECT_EQ(queue_.Get(), "ns/a");
  queue_.Done("ns/a");
  EXPECT_EQ(queue_.Len(), 0u);
}

TEST_F(WorkQueueTest, GetWaitsForAnAddFromAnotherThread) {
  auto got = std::async(std::launch::async, [&] { return queue_.Get(); });
  EXPECT_EQ(got.wait_for(20ms), std::future_status::timeout);
  queue_.Add("ns/late");
  EXPECT_EQ(got.get(), "ns/late");
}

TEST_F(WorkQueueTest, DelayedKeysBecomeReadyInDueOrder) {
  queue_.AddAfter("c", 30ms);
  queue_.AddAfter("a", 10ms);
  queue_.AddAfter("b", 20ms);
  EXPECT_EQ(queue_.Len(), 0u);
  clock_.Advance(9ms);
  EXPECT_EQ(queue_.Len(), 0u);
  clock_.Advance(1ms);
  EXPECT_EQ(queue_.Len(), 1u);
  EXPECT_EQ(queue_.Get(), "a");
  clock_.Advance(25ms);
  EXPECT_EQ(queue_.Get(), "b");
  EXPECT_EQ(queue_.Get(), "c");
}

TEST_F(WorkQueueTest, EarliestDelayWinsAndTheKeyIsQueuedOnce) {
  queue_.AddAfter("a", 50ms);
  queue_.AddAfter("a", 10ms);
  queue_.AddAfter("a", 40ms);
  clock_.Advance(10ms);
  EXPECT_EQ(queue_.Len(), 1u);
  EXPECT_EQ(queue_.Get(), "a");
  queue_.Done("a");
  clock_.Advance(100ms);
  EXPECT_EQ(queue_.Len(), 0u);
}

TEST_F(WorkQueueTest, DelayedKeyAlreadyQueuedIsNotDuplicated) {
  queue_.Add("a");
  queue_.AddAfter("a", 5ms);
  clock_.Advance(5ms);
  EXPECT_EQ(queue_.Len(), 1u);
}

TEST_F(WorkQueueTest, ZeroDelayIsAnImmediateAdd) {
  queue_.AddAfter("a", 0ms);
  EXPECT_EQ(queue_.Len(), 1u);
}

TEST_F(WorkQueueTest, BlockedGetWakesWhenTheFakeClockPassesTheDueTime) {
  queue_.AddAfter("a", 1h);
  auto got = std::async(std::launch::async, [&] { return queue_.Get(); });
  EXPECT_EQ(got.wait_for(20ms), std::future_status::timeout);
  clock_.Advance(1h);
  EXPECT_EQ(got.get(), "a");
}

TEST_F(WorkQueueTest, RateLimitedAddsFollowTheBackoffAndForgetResetsIt) {
  const std::chrono::milliseconds delays[] = {5ms, 10ms, 20ms, 40ms};
  for (auto delay : delays) {
    queue_.AddRateLimited("a");
    clock_.Advance(delay - 1ms);
    EXPECT_EQ(queue_.Len(), 0u) << "ready before its " << delay.count() << " ms backoff";
    clock_.Advance(1ms);
    ASSERT_EQ(queue_.Get(), "a");
    queue_.Done("a");
  }
  EXPECT_EQ(queue_.NumRequeues("a"), 4);
  queue_.Forget("a");
  EXPECT_EQ(queue_.NumRequeues("a"), 0);
  queue_.AddRateLimited("a");
  clock_.Advance(5ms);
  EXPECT_EQ(queue_.Len(), 1u);
}

TEST_F(WorkQueueTest, RetriesOfAllKeysTogetherAreRateLimitedAfterTheBurst) {
  WorkQueue queue({.base_delay = 1ns, .clock = &clock_, .max_wait = 1ms});
  for (int i = 0; i < 110; ++i) queue.AddRateLimited("ns/k" + std::to_string(i));
  clock_.Advance(1ns);
  EXPECT_EQ(queue.Len(), 100u) << "the burst of 100 goes at once, the rest at 10 a second";
  clock_.Advance(100ms);
  EXPECT_EQ(queue.Len(), 101u);
  clock_.Advance(900ms);
  EXPECT_EQ(queue.Len(), 110u);
}

TEST_F(WorkQueueTest, ThePerKeyBackoffStillAppliesWithinTheBurst) {
  WorkQueue queue({.base_delay = 1s, .clock = &clock_, .max_wait = 1ms});
  queue.AddRateLimited("ns/a");
  clock_.Advance(999ms);
  EXPECT_EQ(queue.Len(), 0u);
  clock_.Advance(1ms);
  EXPECT_EQ(queue.Len(), 1u);
}

TEST_F(WorkQueueTest, ShutDownWithoutDrainStopsHandingOutKeys) {
  queue_.Add("a");
  queue_.Add("b");
  queue_.AddAfter("c", 1ms);
  ASSERT_EQ(queue_.Get(), "a");
  queue_.Add("a");  // would be re-queued after Done, but the queue is closing
  queue_.ShutDown();
  EXPECT_TRUE(queue_.ShuttingDown());
  EXPECT_EQ(queue_.Get(), std::nullopt);
  queue_.Add("d");
  queue_.Done("a");
  clock_.Advance(1s);
  EXPECT_EQ(queue_.Get(), std::nullopt);
}

TEST_F(WorkQueueTest, ShutDownWithDrainHandsOutQueuedAndRequeuedKeys) {
  queue_.Add("a");
  queue_.Add("b");
  ASSERT_EQ(queue_.Get(), "a");
  queue_.Add("a");  // dirty while in flight: processed once more during the drain
  queue_.AddAfter("late", 1ms);
  queue_.ShutDown(Drain::kYes);
  queue_.Add("new");  // refused
  EXPECT_EQ(queue_.Get(), "b");
  queue_.Done("b");
  // "a" is still in flight: a drained Get waits for it instead of returning nothing.
  auto next = std::async(std::launch::async, [&] { return queue_.Get(); });
  EXPECT_EQ(next.wait_for(20ms), std::future_status::timeout);
  queue_.Done("a");
  EXPECT_EQ(next.get(), "a");
  queue_.Done("a");
  clock_.Advance(1s);
  EXPECT_EQ(queue_.Get(), std::nullopt);
}

TEST_F(WorkQueueTest, ShutDownWakesEveryWaitingGet) {
  std::vector<std::future<std::optional<std::string>>> waiting;
  for (int i = 0; i < 3; ++i) {
    waiting.push_back(std::async(std::launch::async, [&] { return queue_.Get(); }));
  }
  std::this_thread::sleep_for(10ms);
  queue_.ShutDown();
  for (auto& w : waiting) EXPECT_EQ(w.get(), std::nullopt);
}

TEST_F(WorkQueueTest, DrainCannotBeRestartedAfterAPlainShutDown) {
  queue_.Add("a");
  queue_.ShutDown(Drain::kNo);
  queue_.ShutDown(Drain::kYes);
  EXPECT_EQ(queue_.Get(), std::nullopt);
}

}  // namespace
}  // namespace mtasts::k8s
