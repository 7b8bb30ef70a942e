#include "k8s/event_series.h"

#include <algorithm>
#include <cstdio>

namespace mtasts::k8s {

EventSeries::Step EventSeries::Observe(const EventRecord& event, Clock::TimePoint now) {
  std::string key = SeriesKey(event);
  auto it = series_.find(key);
  if (it != series_.end() && now - it->second.last_seen <= window_) {
    Entry& entry = it->second;
    ++entry.count;
    entry.last_seen = now;
    return {false, entry.name, entry.namespace_name, entry.count};
  }
  if (it == series_.end()) MakeRoom(now);
  const ObjectReference& regarding = event.regarding;
  Entry entry{NewEventName(regarding, now),
              regarding.namespace_name.empty() ? "default" : regarding.namespace_name, 1, now};
  Step step{true, entry.name, entry.namespace_name, 1};
  series_[key] = std::move(entry);
  return step;
}

std::string EventSeries::SeriesKey(const EventRecord& event) {
  // \x1f (unit separator) cannot occur in names, so distinct tuples give distinct keys.
  const ObjectReference& r = event.regarding;
  std::string key;
  for (const std::string* part : {&r.api_version, &r.kind, &r.namespace_name, &r.name, &r.uid,
                                  &event.reason, &event.action, &event.note_template}) {
    key += *part;
    key += '\x1f';
  }
  key += EventTypeName(event.type);
  return key;
}

std::string EventSeries::NewEventName(const ObjectReference& regarding, Clock::TimePoint now) {
  // "<regarding name>.<hex nanoseconds>" like client-go; strictly increasing stamps keep two
  // events created in the same instant apart.
  int64_t stamp =
      std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch()).count();
  stamp = std::max(stamp, last_stamp_ + 1);
  last_stamp_ = stamp;
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, ".%llx", static_cast<unsigned long long>(stamp));
  // Object names are at most 253 characters; keep room for the suffix.
  std::string name = regarding.name.empty() ? "event" : regarding.name.substr(0, 200);
  while (!name.empty() && (name.back() == '.' || name.back() == '-')) name.pop_back();
  return name + suffix;
}

void EventSeries::MakeRoom(Clock::TimePoint now) {
  if (series_.size() < max_series_) return;
  std::erase_if(series_, [&](const auto& kv) { return now - kv.second.last_seen > window_; });
  while (!series_.empty() && series_.size() >= max_series_) {
    auto stalest = std::min_element(series_.begin(), series_.end(), [](auto& a, auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    series_.erase(stalest);
  }
}

}  // namespace mtasts::k8s
