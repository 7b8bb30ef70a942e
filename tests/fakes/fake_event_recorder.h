// FakeEventRecorder: an EventRecorder that keeps every event in memory, for unit tests of code
// that records events. Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "k8s/event_recorder.h"

namespace mtasts::k8s {

class FakeEventRecorder final : public EventRecorder {
 public:
  void Record(EventRecord event) override {
    std::lock_guard lock(mu_);
    events_.push_back(std::move(event));
  }

  std::vector<EventRecord> Events() const {
    std::lock_guard lock(mu_);
    return events_;
  }

  // "Warning MxNotCovered: mx2.example.com is not covered ..." for each event, in order: handy
  // for EXPECT_THAT(recorder.Lines(), ElementsAre(...)).
  std::vector<std::string> Lines() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> lines;
    for (const auto& e : events_) {
      lines.push_back(std::string(EventTypeName(e.type)) + " " + e.reason + ": " + e.note);
    }
    return lines;
  }

 private:
  mutable std::mutex mu_;
  std::vector<EventRecord> events_;
};

}  // namespace mtasts::k8s
