// ApiEventRecorder: the EventRecorder that writes events.k8s.io/v1 Events through a Client.
//
// Record() only queues (it never waits for the API server): a bounded queue feeds one sender
// thread, and an event that finds the queue full is dropped and counted (Dropped()). The sender
// folds repeats into series (event_series.h): the first occurrence is created, repeats within
// the window merge-patch series.count and series.lastObservedTime, and a burst of repeats queued
// together costs one patch. Events are best effort: a write the API server refuses is logged,
// counted (Failed()) and not retried.
//
// Thread-safe. The destructor sends what is still queued for at most shutdown_grace (plus one
// request already in flight), drops the rest, and stops the sender.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "k8s/client.h"
#include "k8s/event_recorder.h"
#include "k8s/event_series.h"

namespace mtasts::k8s {

struct EventRecorderOptions {
  std::string reporting_controller = "mtasts.io/operator";
  std::string reporting_instance;  // this replica, e.g. the pod name; required
  std::chrono::nanoseconds series_window = std::chrono::minutes(6);
  size_t max_series = 4096;
  size_t queue_limit = 1000;
  std::chrono::nanoseconds shutdown_grace = std::chrono::seconds(2);
  const Clock* clock = &RealClock::Get();
};

class ApiEventRecorder final : public EventRecorder {
 public:
  ApiEventRecorder(Client& client, EventRecorderOptions options);
  ApiEventRecorder(const ApiEventRecorder&) = delete;
  ApiEventRecorder& operator=(const ApiEventRecorder&) = delete;
  ~ApiEventRecorder() override;

  void Record(EventRecord event) override;
  // Blocks until every event recorded before the call has been sent (or has failed).
  void Flush();

  // Event writes not made: the queue was full, or the shutdown grace ran out.
  uint64_t Dropped() const;
  uint64_t Failed() const;  // refused by the API server

 private:
  struct Occurrence {
    EventRecord event;
    Clock::TimePoint time;
  };

  void SendLoop();
  void SendBatch(std::vector<Occurrence> batch);
  void Create(const Occurrence& occurrence, const EventSeries::Step& step);
  void PatchSeries(const Occurrence& occurrence, const EventSeries::Step& step);
  void CountFailure(const EventRecord& event, const Status& status);
  // True once the destructor's grace period is over: what is left is dropped.
  bool GivingUp();
  void CountDropped(uint64_t writes);

  Client& client_;
  const EventRecorderOptions options_;
  EventSeries series_;  // sender thread only

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Occurrence> queue_;
  uint64_t recorded_ = 0;  // occurrences accepted into the queue
  uint64_t settled_ = 0;   // occurrences sent or failed
  uint64_t dropped_ = 0;
  uint64_t failed_ = 0;
  bool stopping_ = false;
  std::chrono::steady_clock::time_point give_up_at_{};
  std::thread sender_;
};

}  // namespace mtasts::k8s
