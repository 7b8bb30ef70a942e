// Workers: N threads that take keys from a WorkQueue and run a handler on each.
//
// The handler's result decides what happens to the key next:
//   ok                      -> Forget (backoff reset); with requeue_after, queued again then.
//   kAborted (a conflict)   -> queued again at once and not counted as a failure: the handler
//                              re-reads and re-applies.
//   kCancelled              -> dropped: the work was cancelled (see below), the queue is closing.
//   any other error         -> queued again after the key's backoff (5 ms doubling to 5 min,
//                              within the queue's overall retry rate).
//                              kOwnershipConflict is one of these: another field manager owns a
//                              field the handler applies, and only a person can settle that (the
//                              handler reports it as a condition); retrying at once would spin.
// A handler that throws counts as an Internal error. Errors are logged with the key.
//
// The handler gets a stop token, stopped when the work must end at once: Stop(Drain::kNo), or
// the token given to Start (leadership lost). It checks the token before each write and returns
// kCancelled when it is stopped, so a replica that lost its lease stops writing before a
// successor can take the lease. Once that token is stopped no new key is handed out either.
//
// Thread-safety: Start and Stop are called by the owner, not concurrently with each other.
// The handler runs on several threads at once, but never for the same key at the same time.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "k8s/workqueue.h"

namespace mtasts::k8s {

struct ProcessResult {
  Status status;
  // With an ok status: process the key again after this long (periodic revalidation).
  std::optional<std::chrono::nanoseconds> requeue_after;

  static ProcessResult Done() { return {}; }
  static ProcessResult RequeueAfter(std::chrono::nanoseconds d) { return {OkStatus(), d}; }
  static ProcessResult Failed(Status s) { return {std::move(s), std::nullopt}; }
};

using KeyHandler = std::function<ProcessResult(const std::string& key, std::stop_token cancel)>;

class Workers {
 public:
  Workers(WorkQueue& queue, KeyHandler handler) : queue_(queue), handler_(std::move(handler)) {}
  Workers(const Workers&) = delete;
  Workers& operator=(const Workers&) = delete;
  ~Workers() { Stop(Drain::kNo); }

  // Starts `count` threads. Once `cancel` is stopped (LeaderCallbacks' token, say), the handlers'
  // token is stopped and the queue shut down without drain; Stop must still be called.
  void Start(int count, std::stop_token cancel = {});
  // Shuts the queue down and waits until every worker has finished its current key (and,
  // with Drain::kYes, every key already queued). Drain::kNo also stops the handlers' token.
  void Stop(Drain drain);

 private:
  void Run();
  void Settle(const std::string& key, const ProcessResult& result);

  WorkQueue& queue_;
  KeyHandler handler_;
  std::stop_source cancel_;
  std::optional<std::stop_callback<std::function<void()>>> follow_;  // cancel_ follows Start's
  std::vector<std::thread> threads_;
};

}  // namespace mtasts::k8s
