// Informer: keeps a local cache of one resource type in step with the API server, and tells
// handlers about every change in order.
//
// It lists (paged), then watches from the list's resourceVersion with bookmarks and a randomised
// 5-10 minute server timeout, resuming from the last resourceVersion it saw. When that version is
// gone (410, as an HTTP status or an in-stream ERROR event) it relists and reports the difference
// as adds, updates and deletes, so no change is lost across a compaction. Every retry (a relist
// after 410, a list or watch after a failure) waits as client-go's reflector does (RetryBackoff:
// 800 ms doubling to 30 s, jittered, afresh after 2 healthy minutes). Relists after 410 back off
// on their own: a 410 comes from a server that is up again, and the waits grown while it was
// down (tens of seconds) would hold every change made meanwhile unseen. A watch that the server
// ends within a second without a single event counts as a failure, so neither a server that ends
// every watch at once nor a poison event can make a hot loop. A watch silent for `max_silence` is
// taken for a dead connection and resumed.
//
// Objects pass through a transform before they are cached and delivered (by default
// StripForCache), so the cache holds only what the operator reads.
//
// Thread-safety: Get/List/Size/HasSynced may be called from any thread. Handlers run on the
// informer's own thread, one at a time, in event order; they must not call Stop(). Start() (once)
// and Stop() are called from one owning thread; Stop() is prompt even in the middle of a watch or
// while one is opening (a list in flight finishes first, bounded by the client's request
// timeout). Time (backoff waits, watch durations) comes from `options.clock`; a wait re-reads it
// at least every `options.max_wait`, which is how a FakeClock advanced by a test takes effect.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "base/clock.h"
#include "k8s/client.h"
#include "k8s/retry_backoff.h"
#include "k8s/store.h"

namespace mtasts::k8s {

// Drops metadata.managedFields and the kubectl last-applied-configuration annotation: on a
// small object they are most of its bytes, and nothing in the operator reads them.
Object StripForCache(Object obj);

// What the informer does after a list or a watch ends with `status`: kWatch (resume from the last
// resourceVersion), kRelist (410: the version is gone), kBackOff (then retry), kStop (cancelled).
enum class InformerStep { kWatch, kRelist, kBackOff, kStop };
InformerStep NextInformerStep(const Status& status);

struct InformerOptions {
  std::string ns;  // "" = all namespaces
  std::string label_selector;
  std::string field_selector;
  // A page is parsed whole (3-5x its text) before its objects are cached as text, and the
  // informers of a process list at once: small pages keep that peak, and the heap the process
  // holds on to afterwards, low (with 10,000 policies, 100 Secrets a page instead of 500 took the
  // syncer from 66 to 56 MiB resident: tests/bench/syncer_bench.cc).
  int64_t page_size = 100;
  std::function<Object(Object)> transform = StripForCache;
  std::chrono::seconds min_watch_timeout{300};
  std::chrono::seconds max_watch_timeout{600};
  std::chrono::seconds max_silence = WatchOptions().max_silence;
  RetryBackoffOptions backoff;
  const Clock* clock = &RealClock::Get();
  std::chrono::nanoseconds max_wait = std::chrono::milliseconds(100);
};

struct InformerHandlers {
  std::function<void(const Object&)> on_add;
  std::function<void(const Object& old_object, const Object& new_object)> on_update;
  std::function<void(const Object&)> on_delete;
};

class Informer {
 public:
  // client must outlive the informer.
  Informer(Client& client, ResourceRef ref, InformerOptions options, InformerHandlers handlers);
  ~Informer();  // Stop()s

  void Start();
  void Stop();

  // True once the first full list is in the cache and its handlers have run.
  bool HasSynced() const { return synced_; }
  bool WaitForSync(std::chrono::milliseconds timeout);

  // Key: "namespace/name", or "name" for cluster-scoped resources.
  std::optional<Object> Get(std::string_view key) const { return store_.Get(key); }
  std::vector<Object> List() const { return store_.List(); }
  size_t Size() const { return store_.Size(); }

  // How many full lists were made (1 after the first sync; more after relists). For tests and
  // metrics.
  int ListCount() const { return list_count_; }

 private:
  void Run();
  Status Relist(std::string* resource_version);
  // Reads one watch until it ends, advancing *resource_version with every event.
  Status WatchOnce(std::string* resource_version);
  void MarkSynced();
  void Deliver(StoreChange change);
  bool SleepUnlessStopped(std::chrono::nanoseconds delay);
  std::chrono::seconds RandomWatchTimeout();

  Client& client_;
  const ResourceRef ref_;
  const InformerOptions options_;
  const InformerHandlers handlers_;
  ObjectStore store_;

  std::atomic<bool> synced_{false};
  std::atomic<int> list_count_{0};
  std::stop_source stop_;
  std::mutex mu_;  // guards stream_; waits on wake_ see a requested stop under it
  std::condition_variable wake_;
  WatchStream* stream_ = nullptr;
  std::thread thread_;
};

}  // namespace mtasts::k8s
