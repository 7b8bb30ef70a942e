#include "k8s/workers.h"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "eventually.h"

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;

TEST(WorkersTest, NeverProcessesOneKeyOnTwoThreadsAtOnce) {
  WorkQueue queue;
  std::mutex mu;
  std::map<std::string, int> active, processed;
  std::atomic<int> overlaps{0}, busy{0}, most_busy{0};
  Workers workers(queue, [&](const std::string& key, std::stop_token) {
    {
      std::lock_guard lock(mu);
      if (++active[key] > 1) ++overlaps;
      most_busy = std::max(most_busy.load(), ++busy);
    }
    std::this_thread::sleep_for(200us);
    std::lock_guard lock(mu);
    --active[key];
    --busy;
    ++processed[key];
    return ProcessResult::Done();
  });
  workers.Start(4);
  // Three producers hammer four keys while the four workers run.
  std::vector<std::thread> producers;
  for (int p = 0; p < 3; ++p) {
    producers.emplace_back([&] {
      for (int i = 0; i < 300; ++i) {
        queue.Add("ns/k" + std::to_string(i % 4));
        std::this_thread::sleep_for(50us);
      }
    });
  }
  for (auto& p : producers) p.join();
  workers.Stop(Drain::kYes);
  EXPECT_EQ(overlaps.load(), 0);
  EXPECT_GT(most_busy.load(), 1) << "the workers never ran side by side: the test proves nothing";
  ASSERT_EQ(processed.size(), 4u);
  int total = 0;
  for (auto& [key, count] : processed) total += count;
  EXPECT_GT(total, 4) << "no key was processed again after being queued while in flight";
}

TEST(WorkersTest, FailuresRetryWithBackoffUntilSuccessThenForget) {
  WorkQueue queue({.base_delay = 1ms});
  std::atomic<int> calls{0};
  std::atomic<int> requeues_seen_at_success{-1};
  Workers workers(queue, [&](const std::string& key, std::stop_token) {
    if (++calls < 4) return ProcessResult::Failed(UnavailableError("api server down"));
    requeues_seen_at_success = queue.NumRequeues(key);
    return ProcessResult::Done();
  });
  workers.Start(2);
  queue.Add("ns/a");
  ASSERT_TRUE(Eventually([&] { return requeues_seen_at_success.load() >= 0; }));
  EXPECT_EQ(requeues_seen_at_success.load(), 3);
  ASSERT_TRUE(Eventually([&] { return queue.NumRequeues("ns/a") == 0; }));
  workers.Stop(Drain::kNo);
  EXPECT_EQ(calls.load(), 4);
}

TEST(WorkersTest, ConflictIsRetriedAtOnceWithoutCountingAFailure) {
  // A huge base delay: a conflict retried through the backoff would never come back.
  WorkQueue queue({.base_delay = 1h});
  std::atomic<int> calls{0};
  Workers workers(queue, [&](const std::string&, std::stop_token) {
    return ++calls == 1 ? ProcessResult::Failed(AbortedError("Conflict: the object was modified"))
                        : ProcessResult::Done();
  });
  workers.Start(1);
  queue.Add("ns/a");
  ASSERT_TRUE(Eventually([&] { return calls.load() == 2; }));
  workers.Stop(Drain::kNo);
  EXPECT_EQ(queue.NumRequeues("ns/a"), 0);
}

TEST(WorkersTest, OwnershipConflictBacksOffInsteadOfSpinning) {
  FakeClock clock(Clock::TimePoint(0s));
  WorkQueue queue({.base_delay = 1min, .clock = &clock, .max_wait = 1ms});
  std::atomic<int> calls{0};
  Workers workers(queue, [&](const std::string&, std::stop_token) {
    return ++calls == 1 ? ProcessResult::Failed(OwnershipConflictError(
                              "Conflict: Apply failed with 1 conflict: .data.policy"))
                        : ProcessResult::Done();
  });
  workers.Start(1);
  queue.Add("ns/a");
  ASSERT_TRUE(Eventually([&] { return queue.NumRequeues("ns/a") == 1; }));
  EXPECT_EQ(calls.load(), 1) << "retried before its backoff";
  clock.Advance(1min);
  ASSERT_TRUE(Eventually([&] { return calls.load() == 2; }));
  workers.Stop(Drain::kNo);
}

TEST(WorkersTest, RequeueAfterComesBackAfterTheDelay) {
  FakeClock clock(Clock::TimePoint(0s));
  WorkQueue queue({.clock = &clock, .max_wait = 1ms});
  std::atomic<int> calls{0};
  Workers workers(queue, [&](const std::string&, std::stop_token) {
    ++calls;
    return ProcessResult::RequeueAfter(10min);
  });
  workers.Start(1);
  queue.Add("ns/a");
  ASSERT_TRUE(Eventually([&] { return calls.load() == 1; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(calls.load(), 1);
  clock.Advance(10min);
  ASSERT_TRUE(Eventually([&] { return calls.load() == 2; }));
  workers.Stop(Drain::kNo);
}

TEST(WorkersTest, ThrowingHandlerIsRetriedNotFatal) {
  WorkQueue queue({.base_delay = 1ms});
  std::atomic<int> calls{0};
  Workers workers(queue, [&](const std::string&, std::stop_token) -> ProcessResult {
    if (++calls == 1) throw std::runtime_error("bad object");
    return ProcessResult::Done();
  });
  workers.Start(1);
  queue.Add("ns/a");
  ASSERT_TRUE(Eventually([&] { return calls.load() == 2; }));
  workers.Stop(Drain::kNo);
}

TEST(WorkersTest, StopWaitsForInFlightWorkAndDrainFinishesTheQueue) {
  WorkQueue queue;
  std::atomic<int> started{0}, finished{0};
  Workers workers(queue, [&](const std::string&, std::stop_token) {
    ++started;
    std::this_thread::sleep_for(5ms);
    ++finished;
    return ProcessResult::Done();
  });
  for (int i = 0; i < 10; ++i) queue.Add("ns/k" + std::to_string(i));
  workers.Start(2);
  workers.Stop(Drain::kYes);
  EXPECT_EQ(started.load(), 10);
  EXPECT_EQ(finished.load(), 10);
}

TEST(WorkersTest, StopWithoutDrainFinishesInFlightWorkOnly) {
  WorkQueue queue;
  std::atomic<int> started{0}, finished{0};
  std::atomic<bool> release{false};
  Workers workers(queue, [&](const std::string&, std::stop_token) {
    ++started;
    while (!release) std::this_thread::sleep_for(1ms);
    ++finished;
    return ProcessResult::Done();
  });
  for (int i = 0; i < 10; ++i) queue.Add("ns/k" + std::to_string(i));
  workers.Start(2);
  ASSERT_TRUE(Eventually([&] { return started.load() == 2; }));
  std::thread stopper([&] { workers.Stop(Drain::kNo); });
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(finished.load(), 0) << "Stop must wait, not abandon, the in-flight keys";
  release = true;
  stopper.join();
  EXPECT_EQ(started.load(), 2);
  EXPECT_EQ(finished.load(), 2);
}

TEST(WorkersTest, LostLeadershipCancelsTheHandlerInFlightAndHandsOutNoMoreKeys) {
  WorkQueue queue;
  std::atomic<int> started{0}, cancelled{0};
  Workers workers(queue, [&](const std::string&, std::stop_token cancel) {
    ++started;
    // A reconcile between two writes: it sees the cancellation before the next one.
    while (!cancel.stop_requested()) std::this_thread::sleep_for(1ms);
    ++cancelled;
    return ProcessResult::Failed(CancelledError("leadership lost"));
  });
  std::stop_source leadership;
  for (int i = 0; i < 3; ++i) queue.Add("ns/k" + std::to_string(i));
  workers.Start(1, leadership.get_token());
  ASSERT_TRUE(Eventually([&] { return started.load() == 1; }));
  leadership.request_stop();
  ASSERT_TRUE(Eventually([&] { return cancelled.load() == 1; }));
  workers.Stop(Drain::kNo);
  EXPECT_EQ(started.load(), 1) << "a key was handed out after leadership was lost";
}

TEST(WorkersTest, StopWithoutDrainCancelsTheHandlersToken) {
  WorkQueue queue;
  std::atomic<bool> saw_cancel{false};
  std::atomic<int> started{0};
  Workers workers(queue, [&](const std::string&, std::stop_token cancel) {
    ++started;
    while (!cancel.stop_requested()) std::this_thread::sleep_for(1ms);
    saw_cancel = true;
    return ProcessResult::Failed(CancelledError("stopping"));
  });
  queue.Add("ns/a");
  workers.Start(1);
  ASSERT_TRUE(Eventually([&] { return started.load() == 1; }));
  workers.Stop(Drain::kNo);
  EXPECT_TRUE(saw_cancel.load());
}

}  // namespace
}  // namespace mtasts::k8s
