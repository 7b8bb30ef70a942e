// WorkQueue: the queue of object keys ("namespace/name") that controller workers reconcile.
//
// - One entry per key: adding a queued key does nothing.
// - A key is never handed out twice at once: a key added while a worker holds it is queued
//   again, once, when that worker calls Done.
// - AddAfter queues a key once a delay has passed (the earliest of several requests wins);
//   AddRateLimited does so after the longer of the key's exponential backoff (which Forget
//   resets, leaving nothing of the key behind) and the overall retry rate limit (a token bucket
//   shared by all keys), as client-go's default controller rate limiter does.
// - ShutDown stops accepting keys. Without drain, Get returns nothing more; with drain, Get
//   hands out what is already queued (and keys queued again by in-flight work) until none is
//   left and nothing is in flight. Delayed keys are dropped either way.
//
// Time comes from an injectable Clock. A waiting Get re-reads the clock at least every
// `options.max_wait`, which is how a FakeClock advanced by a test takes effect.
// Thread-safe: every method may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "base/clock.h"
#include "k8s/key_backoff.h"
#include "k8s/token_bucket.h"

namespace mtasts::k8s {

struct WorkQueueOptions {
  std::chrono::nanoseconds base_delay = std::chrono::milliseconds(5);
  std::chrono::nanoseconds max_delay = std::chrono::minutes(5);
  // Overall: retries of all keys together, after the first `burst`, at most `qps` a second.
  double qps = 10;
  int burst = 100;
  const Clock* clock = &RealClock::Get();
  // Longest a waiting Get sleeps before it re-reads `clock` (keep it small with a FakeClock).
  std::chrono::nanoseconds max_wait = std::chrono::seconds(1);
};

enum class Drain { kNo, kYes };

class WorkQueue {
 public:
  explicit WorkQueue(WorkQueueOptions options = {});
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // Queues `key` unless it is already queued; ignored after ShutDown.
  void Add(const std::string& key);
  // Queues `key` once `delay` has passed on the clock.
  void AddAfter(const std::string& key, std::chrono::nanoseconds delay);
  // Queues `key` after its next backoff delay (one more failure counted) or later, when retries
  // overall are over their rate.
  void AddRateLimited(const std::string& key);
  // Resets the key's backoff after a success.
  void Forget(const std::string& key);
  int NumRequeues(const std::string& key) const;

  // Blocks until a key is ready and hands it out; std::nullopt once shut down (see above).
  // The caller must call Done(key) when it has finished with it.
  std::optional<std::string> Get();
  void Done(const std::string& key);

  void ShutDown(Drain drain = Drain::kNo);
  bool ShuttingDown() const;
  // Keys ready to be handed out now (delayed keys whose time has come count; in-flight don't).
  size_t Len();

 private:
  using SteadyTime = std::chrono::steady_clock::time_point;

  void AddLocked(const std::string& key);
  void AddAfterLocked(const std::string& key, std::chrono::nanoseconds delay);
  // Moves the delayed keys whose time has come into the queue.
  void PromoteDueLocked();
  bool FinishedLocked() const;

  const WorkQueueOptions options_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<std::string> queue_;
  std::unordered_set<std::string> dirty_;       // queued, or to be queued again after Done
  std::unordered_set<std::string> processing_;  // handed out, Done not yet called
  std::set<std::pair<SteadyTime, std::string>> delayed_;  // ordered by due time
  std::unordered_map<std::string, SteadyTime> delayed_due_;
  KeyBackoff backoff_;
  TokenBucket retry_budget_;
  bool shutting_down_ = false;
  bool draining_ = false;
};

}  // namespace mtasts::k8s
