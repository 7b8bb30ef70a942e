#include "k8s/informer.h"

#include <algorithm>
#include <random>
#include <unordered_set>

#include "base/log.h"
#include "k8s/api_errors.h"
#include "k8s/watch_event.h"

namespace mtasts::k8s {
namespace {

// A watch the server ends sooner than this without an event failed (client-go's "very short
// watch"): resuming it at once would make a hot loop.
constexpr std::chrono::seconds kShortestWatch{1};

}  // namespace

Object StripForCache(Object obj) {
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->is_object()) return obj;
  meta->erase("managedFields");
  if (auto notes = meta->find("annotations"); notes != meta->end() && notes->is_object()) {
    notes->erase("kubectl.kubernetes.io/last-applied-configuration");
    if (notes->empty()) meta->erase(notes);
  }
  return obj;
}

Informer::Informer(Client& client, ResourceRef ref, InformerOptions options,
                   InformerHandlers handlers)
    : client_(client),
      ref_(std::move(ref)),
      options_(std::move(options)),
      handlers_(std::move(handlers)) {}

Informer::~Informer() { Stop(); }

void Informer::Start() {
  stop_ = std::stop_source();
  thread_ = std::thread([this] { Run(); });
}

void Informer::Stop() {
  stop_.request_stop();  // abandons a watch that is still opening
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stream_ != nullptr) stream_->Cancel();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Informer::WaitForSync(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return wake_.wait_for(lock, timeout, [this] { return synced_ || stop_.stop_requested(); }) &&
         synced_;
}

bool Informer::SleepUnlessStopped(std::chrono::nanoseconds delay) {
  std::unique_lock<std::mutex> lock(mu_);
  auto until = options_.clock->SteadyNow() + delay;
  while (!stop_.stop_requested()) {
    auto left = until - options_.clock->SteadyNow();
    if (left <= std::chrono::nanoseconds::zero()) return true;
    wake_.wait_for(lock, std::min<std::chrono::nanoseconds>(left, options_.max_wait));
  }
  return false;
}

std::chrono::seconds Informer::RandomWatchTimeout() {
  static thread_local std::mt19937 rng{std::random_device{}()};
  std::uniform_int_distribution<int64_t> pick(options_.min_watch_timeout.count(),
                                              options_.max_watch_timeout.count());
  return std::chrono::seconds(pick(rng));
}

InformerStep NextInformerStep(const Status& status) {
  switch (status.code()) {
    case StatusCode::kOk:
      return InformerStep::kWatch;
    case StatusCode::kCancelled:
      return InformerStep::kStop;
    case StatusCode::kOutOfRange:  // 410: the resume point is gone
      return InformerStep::kRelist;
    default:
      return InformerStep::kBackOff;
  }
}

void Informer::Run() {
  std::string resource_version;
  bool relist = true;
  RetryBackoff backoff(options_.backoff);         // the server unreachable, or failing
  RetryBackoff relist_backoff(options_.backoff);  // the server up, the resume point gone
  while (!stop_.stop_requested()) {
    Status status = relist ? Relist(&resource_version) : WatchOnce(&resource_version);
    switch (NextInformerStep(status)) {
      case InformerStep::kStop:
        return;
      case InformerStep::kWatch:
        if (relist) MarkSynced();
        relist = false;
        continue;
      case InformerStep::kRelist:
        LogInfo("informer: resume point gone, listing again",
                {{"resource", ref_.resource}, {"reason", status.message()}});
        relist = true;
        if (!SleepUnlessStopped(relist_backoff.Next(options_.clock->SteadyNow()))) return;
        continue;
      case InformerStep::kBackOff:
        // After a failed list, list again; after a failed watch, resume from where it was.
        LogWarning("informer: retrying after error",
                   {{"resource", ref_.resource}, {"error", status.ToString()}});
        if (!SleepUnlessStopped(backoff.Next(options_.clock->SteadyNow()))) return;
        continue;
    }
  }
}

void Informer::MarkSynced() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    synced_ = true;
  }
  wake_.notify_all();
}

// Each page is cached and delivered as it arrives: holding a whole list of thousands of parsed
// objects (and then their changes) was most of the operator's peak memory.
Status Informer::Relist(std::string* resource_version) {
  ListOptions list_options{options_.label_selector, options_.field_selector, options_.page_size, "",
                           ""};
  std::unordered_set<std::string> listed;
  do {
    ASSIGN_OR_RETURN(ObjectList page, client_.List(ref_, options_.ns, list_options));
    for (Object& item : page.items) {
      Object kept = options_.transform(std::move(item));
      listed.insert(ObjectStore::KeyOf(kept));
      if (auto change = store_.Upsert(std::move(kept))) Deliver(std::move(*change));
    }
    list_options.continue_token = page.continue_token;
    *resource_version = page.resource_version;
  } while (!list_options.continue_token.empty());
  ++list_count_;
  for (StoreChange& change : store_.RemoveAllExcept(listed)) Deliver(std::move(change));
  return OkStatus();
}

Status Informer::WatchOnce(std::string* resource_version) {
  WatchOptions watch_options{.label_selector = options_.label_selector,
                             .field_selector = options_.field_selector,
                             .resource_version = *resource_version,
                             .allow_bookmarks = true,
                             .timeout = RandomWatchTimeout(),
                             .max_silence = options_.max_silence,
                             .stop = stop_.get_token()};
  auto opened = options_.clock->SteadyNow();
  ASSIGN_OR_RETURN(std::unique_ptr<WatchStream> stream,
                   client_.Watch(ref_, options_.ns, watch_options));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_.stop_requested()) return CancelledError("informer stopped");
    stream_ = stream.get();
  }
  int events = 0;
  Status status;
  while (true) {
    auto next = stream->Next();
    if (!next.ok()) {
      status = next.status();
      break;
    }
    if (!next->has_value()) {  // the server ended the stream: resume, unless it ended at once
      if (events == 0 && options_.clock->SteadyNow() - opened < kShortestWatch) {
        status = UnavailableError("watch ended within a second of opening, before any event");
      }
      break;
    }
    ++events;
    WatchEvent& event = **next;
    if (event.type == WatchEventType::kError) {
      status = StatusFromApiStatus(event.object);
      break;
    }
    *resource_version = ResourceVersionOf(event.object);
    if (event.type == WatchEventType::kBookmark) continue;
    Object obj = options_.transform(std::move(event.object));
    auto change =
        event.type == WatchEventType::kDeleted ? store_.Remove(obj) : store_.Upsert(std::move(obj));
    if (change) Deliver(std::move(*change));
  }
  std::lock_guard<std::mutex> lock(mu_);
  stream_ = nullptr;
  return status;
}

void Informer::Deliver(StoreChange change) {
  switch (change.kind) {
    case StoreChange::kAdded:
      if (handlers_.on_add) handlers_.on_add(*change.new_object);
      break;
    case StoreChange::kUpdated:
      if (handlers_.on_update) handlers_.on_update(*change.old_object, *change.new_object);
      break;
    case StoreChange::kDeleted:
      if (handlers_.on_delete) handlers_.on_delete(*change.old_object);
      break;
  }
}

}  // namespace mtasts::k8s
