// EventSeries: decides for each occurrence of an event whether it creates a new Event object or
// extends the series of an earlier one, the events.k8s.io/v1 way: the first occurrence is
// created; a repeat (same regarding, type, reason, action and note template) within `window` of
// the previous one patches series.count (2 at the first repeat, then 3, ...) and
// series.lastObservedTime; a repeat after a quiet `window` starts a new Event.
// At most `max_series` series are remembered; the stalest go first.
// Thread-compatible: ApiEventRecorder calls it from its one sender thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "base/clock.h"
#include "k8s/event_recorder.h"

namespace mtasts::k8s {

class EventSeries {
 public:
  struct Step {
    bool create = true;          // true: create the Event; false: patch its series
    std::string name;            // the Event's metadata.name
    std::string namespace_name;  // the Event's namespace
    int32_t count = 1;           // occurrences so far (the series count when patching)
  };

  EventSeries(std::chrono::nanoseconds window, size_t max_series)
      : window_(window), max_series_(max_series) {}

  Step Observe(const EventRecord& event, Clock::TimePoint now);
  // Forgets the event's series (its Event is gone or was never created): the next occurrence
  // creates a new Event.
  void Forget(const EventRecord& event) { series_.erase(SeriesKey(event)); }
  size_t size() const { return series_.size(); }

 private:
  struct Entry {
    std::string name;
    std::string namespace_name;
    int32_t count;
    Clock::TimePoint last_seen;
  };

  static std::string SeriesKey(const EventRecord& event);
  std::string NewEventName(const ObjectReference& regarding, Clock::TimePoint now);
  void MakeRoom(Clock::TimePoint now);

  std::chrono::nanoseconds window_;
  size_t max_series_;
  std::unordered_map<std::string, Entry> series_;
  int64_t last_stamp_ = 0;
};

}  // namespace mtasts::k8s
