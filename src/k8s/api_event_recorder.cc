#include "k8s/api_event_recorder.h"

#include <map>

#include "base/log.h"
#include "base/printable.h"
#include "k8s/micro_time.h"

namespace mtasts::k8s {
namespace {

// The API server's limits for events.k8s.io/v1 (longer values are rejected as Invalid).
constexpr size_t kMaxNoteBytes = 1024;
constexpr size_t kMaxShortFieldBytes = 128;  // reason, action

// Cuts text to at most max bytes without splitting a UTF-8 sequence.
std::string Truncate(const std::string& text, size_t max) {
  if (text.size() <= max) return text;
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

Object RegardingJson(const ObjectReference& ref) {
  Object json = {{"apiVersion", ref.api_version}, {"kind", ref.kind}, {"name", ref.name}};
  if (!ref.namespace_name.empty()) json["namespace"] = ref.namespace_name;
  if (!ref.uid.empty()) json["uid"] = ref.uid;
  return json;
}

}  // namespace

ApiEventRecorder::ApiEventRecorder(Client& client, EventRecorderOptions options)
    : client_(client),
      options_(std::move(options)),
      series_(options_.series_window, options_.max_series),
      sender_([this] { SendLoop(); }) {}

ApiEventRecorder::~ApiEventRecorder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    give_up_at_ = options_.clock->SteadyNow() + options_.shutdown_grace;
  }
  changed_.notify_all();
  sender_.join();
}

void ApiEventRecorder::Record(EventRecord event) {
  Clock::TimePoint now = options_.clock->Now();
  std::lock_guard lock(mu_);
  if (stopping_ || queue_.size() >= options_.queue_limit) {
    // Logged once per power of two so a flood of drops cannot flood the log too.
    uint64_t dropped = ++dropped_;
    if ((dropped & (dropped - 1)) == 0) {
      LogWarning("event dropped: the event queue is full",
                 {{"reason", event.reason}, {"dropped", std::to_string(dropped)}});
    }
    return;
  }
  queue_.push_back({std::move(event), now});
  ++recorded_;
  changed_.notify_all();
}

void ApiEventRecorder::Flush() {
  std::unique_lock lock(mu_);
  uint64_t target = recorded_;
  changed_.wait(lock, [&] { return settled_ >= target; });
}

uint64_t ApiEventRecorder::Dropped() const {
  std::lock_guard lock(mu_);
  return dropped_;
}

uint64_t ApiEventRecorder::Failed() const {
  std::lock_guard lock(mu_);
  return failed_;
}

void ApiEventRecorder::SendLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    changed_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) return;  // stopping, and everything is sent
    std::vector<Occurrence> batch(std::make_move_iterator(queue_.begin()),
                                  std::make_move_iterator(queue_.end()));
    queue_.clear();
    lock.unlock();
    size_t size = batch.size();
    SendBatch(std::move(batch));
    lock.lock();
    settled_ += size;
    changed_.notify_all();
  }
}

void ApiEventRecorder::SendBatch(std::vector<Occurrence> batch) {
  // Creates go out in order; of several repeats of one series only the last patch is sent.
  std::map<std::string, std::pair<const Occurrence*, EventSeries::Step>> patches;
  for (size_t i = 0; i < batch.size(); ++i) {
    if (GivingUp()) {
      CountDropped(batch.size() - i);
      break;
    }
    EventSeries::Step step = series_.Observe(batch[i].event, batch[i].time);
    if (step.create) {
      Create(batch[i], step);
    } else {
      patches.insert_or_assign(step.namespace_name + "/" + step.name,
                               std::make_pair(&batch[i], step));
    }
  }
  for (const auto& [key, patch] : patches) {
    if (GivingUp()) {
      CountDropped(1);
    } else {
      PatchSeries(*patch.first, patch.second);
    }
  }
}

bool ApiEventRecorder::GivingUp() {
  std::lock_guard lock(mu_);
  return stopping_ && options_.clock->SteadyNow() >= give_up_at_;
}

void ApiEventRecorder::CountDropped(uint64_t writes) {
  std::lock_guard lock(mu_);
  dropped_ += writes;
}

void ApiEventRecorder::Create(const Occurrence& occurrence, const EventSeries::Step& step) {
  const EventRecord& event = occurrence.event;
  Object json = {
      {"apiVersion", "events.k8s.io/v1"},
      {"kind", "Event"},
      {"metadata", {{"name", step.name}, {"namespace", step.namespace_name}}},
      {"eventTime", FormatMicroTime(occurrence.time)},
      {"reportingController", options_.reporting_controller},
      {"reportingInstance", options_.reporting_instance},
      {"type", EventTypeName(event.type)},
      // kubectl prints these as they are: shown, never passed raw to a terminal.
      {"reason", Truncate(Printable(event.reason), kMaxShortFieldBytes)},
      {"action", Truncate(Printable(event.action), kMaxShortFieldBytes)},
      {"note", Truncate(Printable(event.note), kMaxNoteBytes)},
      {"regarding", RegardingJson(event.regarding)},
  };
  StatusOr<Object> created = client_.Create(Events(), json);
  if (!created.ok()) {
    series_.Forget(event);
    CountFailure(event, created.status());
  }
}

void ApiEventRecorder::PatchSeries(const Occurrence& occurrence, const EventSeries::Step& step) {
  Object patch = {
      {"series", {{"count", step.count}, {"lastObservedTime", FormatMicroTime(occurrence.time)}}}};
  StatusOr<Object> patched = client_.MergePatch(Events(), step.namespace_name, step.name, patch);
  if (patched.ok()) return;
  series_.Forget(occurrence.event);
  if (patched.status().code() != StatusCode::kNotFound) {
    CountFailure(occurrence.event, patched.status());
    return;
  }
  // The Event expired (the API server's event TTL): this occurrence starts a new one.
  Create(occurrence, series_.Observe(occurrence.event, occurrence.time));
}

void ApiEventRecorder::CountFailure(const EventRecord& event, const Status& status) {
  {
    std::lock_guard lock(mu_);
    ++failed_;
  }
  LogWarning("could not write event",
             {{"reason", event.reason},
              {"regarding", event.regarding.namespace_name + "/" + event.regarding.name},
              {"error", status.ToString()}});
}

}  // namespace mtasts::k8s
