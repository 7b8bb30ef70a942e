// Syncer: in every replica (it needs no leadership), keeps the serve directory (serve_dir.h) equal
// to what the operator's objects say. It watches, by label alone, the policy ConfigMaps
// (mtasts.io/content=policy) and the Secrets cert-manager writes from the operator's Certificates
// (mtasts.io/content=certificate), never all Secrets, in the namespaces given or in all of them.
// Each object names its host in the mtasts.io/policy-host annotation (names.h).
//
// An added or changed object writes its host's file; a deleted one, or one that lost its label,
// removes it. Once every informer has made its first list, files that no object asks for (left by
// an earlier run) are removed, and only then is the syncer Ready(): a replica serves nothing stale
// from the moment it says it is ready.
//
// Memory: an object's bytes are written while it passes through its informer's transform and are
// not kept. The informers cache only what served_object.h's CachedForm keeps (metadata and a
// digest), so Secret data never stays in memory beyond the write.
//
// A bad object (a host the server would not admit, a ConfigMap without mta-sts.txt, a certificate
// that does not parse, a key that does not match) is logged with its key and the reason, counted
// in Stats().refused, and the host's last good file stays. A write that fails on the disk's side
// is logged, counted in Stats().failed, and tried again (re-read from the API) until it works.
//
// Thread-safety: Start() and Stop() are called from one owning thread; Ready() and Stats() from
// any. on_written runs on the syncer's threads, never under its locks; it should return quickly
// (the reconciler enqueues the policy). Policies and certificates are written in parallel, each
// kind one file at a time.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "controller/host_claims.h"
#include "controller/serve_dir.h"
#include "k8s/client.h"
#include "k8s/informer.h"

namespace mtasts::controller {

struct SyncerOptions {
  std::string serve_dir;
  std::vector<std::string> namespaces;  // empty: every namespace
  // How long a write that failed on the disk's side waits before it is tried again.
  std::chrono::milliseconds retry_after{std::chrono::seconds(10)};
  const Clock* clock = &RealClock::Get();
  ServeDirOptions serve_dir_options;
};

// Counts since Start(), for metrics.
struct SyncerStats {
  int64_t written = 0;  // files written with new bytes
  int64_t removed = 0;  // files removed
  int64_t refused = 0;  // bad objects, each time one was seen
  int64_t failed = 0;   // writes and removals that failed on the disk's side
};

class Syncer {
 public:
  // `on_written(policy_key)` ("namespace/name", from the mtasts.io/policy annotation) is called
  // right after a file of that policy was written with new bytes or removed. client must outlive
  // the syncer.
  Syncer(k8s::Client& client, SyncerOptions options,
         std::function<void(const std::string& policy_key)> on_written);
  ~Syncer();  // Stop()s

  // Opens the serve directory (an error when it cannot: it is not there, not a directory, or its
  // folders cannot be made) and starts watching. Called once.
  Status Start();
  void Stop();

  // True once every informer has made its first list and files nothing asks for are gone.
  bool Ready() const { return ready_; }
  SyncerStats Stats() const;

 private:
  using Notices = std::vector<std::string>;           // policy keys for on_written
  using Target = std::pair<ServedFile, std::string>;  // a kind of file and an object's key

  // The informers' transform: writes what `obj` asks for and returns what they cache of it.
  k8s::Object Admit(ServedFile file, const k8s::Object& obj);
  // The informers' on_delete: `cached` (as Admit returned it) asks for nothing any more.
  void Forget(ServedFile file, const k8s::Object& cached);

  // Under the kind's lock: writes the host's file from `obj`; returns the digest of what it asked
  // for.
  std::string AdmitLocked(ServedFile file, const k8s::Object& obj, Notices& notices,
                          std::vector<Target>& reloads);
  // Under the kind's lock: acts on a host that lost a claimant; `policy_key` is the policy of the
  // one gone.
  void Vacate(ServedFile file, const std::optional<HostClaims::Vacated>& vacated,
              const std::string& policy_key, Notices& notices, std::vector<Target>& reloads);
  // Reads the object again from the API and admits it.
  void Reload(const Target& target);
  void Finish(const Notices& notices, const std::vector<Target>& reloads);
  void Retry(const Target& target, bool again);

  // The background thread: removes orphans once every informer has synced, then retries.
  void Run();
  Status RemoveOrphans();
  bool SleepUnlessStopped(std::chrono::nanoseconds delay);

  // One kind of served file: its claims, and the lock its writes and removals are made under.
  // The two kinds live in different folders, so a policy and a certificate are written at once.
  struct Kind {
    std::mutex mu;
    HostClaims claims;
  };
  Kind& KindOf(ServedFile file) { return kinds_[static_cast<int>(file)]; }

  k8s::Client& client_;
  const SyncerOptions options_;
  const std::function<void(const std::string&)> on_written_;
  std::optional<ServeDir> dir_;  // set by Start() before any other thread runs
  Kind kinds_[2];

  std::mutex retries_mu_;     // taken after a kind's lock, never before
  std::set<Target> retries_;  // failed on the disk's side: read again and retried
  std::atomic<int64_t> written_{0}, removed_{0}, refused_{0}, failed_{0};

  std::vector<std::unique_ptr<k8s::Informer>> informers_;
  std::atomic<bool> ready_{false};
  std::mutex stop_mu_;
  bool stopping_ = false;  // guarded by stop_mu_; waits on wake_ see it
  std::condition_variable wake_;
  std::thread thread_;
};

}  // namespace mtasts::controller
