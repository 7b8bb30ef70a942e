#include "k8s/informer.h"

#include <algorithm>
#include <random>

#include "base/log.h"
#include "k8s/api_errors.h"
#include "k8s/watch_event.h"

namespace mtasts::k8s {

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
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void Informer::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    if (stream_ != nullptr) stream_->Cancel();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool Informer::WaitForSync(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return wake_.wait_for(lock, timeout, [this] { return synced_ || stopping_; }) && synced_;
}

bool Informer::SleepUnlessStopped(std::chrono::milliseconds delay) {
  std::unique_lock<std::mutex> lock(mu_);
  return !wake_.wait_for(lock, delay, [this] { return stopping_; });
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
  std::chrono::milliseconds backoff = options_.initial_backoff;
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
    }
    watch_opened_ = false;
    Status status = relist ? Relist(&resource_version) : WatchOnce(&resource_version);
    switch (NextInformerStep(status)) {
      case InformerStep::kStop:
        return;
      case InformerStep::kRelist:
        LogInfo("informer: resume point gone, listing again",
                {{"resource", ref_.resource}, {"reason", status.message()}});
        relist = true;
        continue;
      case InformerStep::kWatch:
        if (relist) MarkSynced();
        relist = false;
        backoff = options_.initial_backoff;
        continue;
      case InformerStep::kBackOff:
        // After a failed list, list again; after a failed watch, resume from where it was.
        // A watch that opened and then broke starts the backoff afresh.
        if (watch_opened_) backoff = options_.initial_backoff;
        LogWarning("informer: retrying after error",
                   {{"resource", ref_.resource}, {"error", status.ToString()}});
        if (!SleepUnlessStopped(backoff)) return;
        backoff = std::min(backoff * 2, options_.max_backoff);
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

Status Informer::Relist(std::string* resource_version) {
  ListOptions list_options{options_.label_selector, options_.field_selector, options_.page_size, "",
                           ""};
  std::vector<Object> items;
  do {
    ASSIGN_OR_RETURN(ObjectList page, client_.List(ref_, options_.ns, list_options));
    for (Object& item : page.items) items.push_back(options_.transform(std::move(item)));
    list_options.continue_token = page.continue_token;
    *resource_version = page.resource_version;
  } while (!list_options.continue_token.empty());
  ++list_count_;
  for (StoreChange& change : store_.Replace(std::move(items))) Deliver(std::move(change));
  return OkStatus();
}

Status Informer::WatchOnce(std::string* resource_version) {
  WatchOptions watch_options{options_.label_selector, options_.field_selector, *resource_version,
                             true, RandomWatchTimeout()};
  ASSIGN_OR_RETURN(std::unique_ptr<WatchStream> stream,
                   client_.Watch(ref_, options_.ns, watch_options));
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return CancelledError("informer stopped");
    stream_ = stream.get();
  }
  watch_opened_ = true;
  Status status;
  while (true) {
    auto next = stream->Next();
    if (!next.ok() || !next->has_value()) {
      status = next.status();  // ok at the server's timeout: resume
      break;
    }
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
