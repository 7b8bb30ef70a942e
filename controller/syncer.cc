#include "controller/syncer.h"

#include <algorithm>

#include "base/log.h"
#include "controller/names.h"
#include "controller/served_object.h"
#include "policy/policy_id.h"

namespace mtasts::controller {
namespace {

constexpr ServedFile kFiles[] = {ServedFile::kPolicy, ServedFile::kCertificate};

std::string_view FileName(ServedFile file) {
  return file == ServedFile::kPolicy ? "policy" : "certificate";
}

k8s::ResourceRef SourceOf(ServedFile file) {
  return file == ServedFile::kPolicy ? k8s::ConfigMaps() : k8s::Secrets();
}

std::string_view ContentOf(ServedFile file) {
  return file == ServedFile::kPolicy ? kContentPolicy : kContentCertificate;
}

// The policy an object is for, when its annotation says so in the right form.
std::string PolicyKeyOf(const k8s::Object& obj) {
  auto served = ReadServedFor(obj);
  return served.ok() ? served->policy_key : "";
}

// Writes what `obj` asks for into `dir`; sets *digest to the digest of those bytes.
StatusOr<bool> WriteFile(const ServeDir& dir, ServedFile file, const std::string& host,
                         const k8s::Object& obj, std::string* digest) {
  if (file == ServedFile::kPolicy) {
    ASSIGN_OR_RETURN(std::string policy, ReadPolicyFile(obj));
    *digest = policy::ContentDigest(policy);
    return dir.WritePolicy(host, policy);
  }
  ASSIGN_OR_RETURN(TlsPair pair, ReadTlsPair(obj));
  *digest = policy::ContentDigest(pair.chain_pem + pair.key_pem);
  return dir.WriteCertificate(host, pair.chain_pem, pair.key_pem);
}

}  // namespace

Syncer::Syncer(k8s::Client& client, SyncerOptions options,
               std::function<void(const std::string&)> on_written)
    : client_(client), options_(std::move(options)), on_written_(std::move(on_written)) {}

Syncer::~Syncer() { Stop(); }

Status Syncer::Start() {
  ServeDirOptions dir_options = options_.serve_dir_options;
  dir_options.clock = options_.clock;
  ASSIGN_OR_RETURN(ServeDir dir, ServeDir::Open(options_.serve_dir, std::move(dir_options)));
  dir_.emplace(std::move(dir));
  std::vector<std::string> namespaces = options_.namespaces;
  if (namespaces.empty()) namespaces.emplace_back();  // "": all namespaces
  std::sort(namespaces.begin(), namespaces.end());
  namespaces.erase(std::unique(namespaces.begin(), namespaces.end()), namespaces.end());
  for (const std::string& ns : namespaces) {
    for (ServedFile file : kFiles) {
      k8s::InformerOptions informer_options;
      informer_options.ns = ns;
      informer_options.label_selector = ContentSelector(ContentOf(file));
      informer_options.transform = [this, file](const k8s::Object& obj) {
        return Admit(file, obj);
      };
      informer_options.clock = options_.clock;
      k8s::InformerHandlers handlers;
      handlers.on_delete = [this, file](const k8s::Object& cached) { Forget(file, cached); };
      informers_.push_back(std::make_unique<k8s::Informer>(
          client_, SourceOf(file), std::move(informer_options), std::move(handlers)));
    }
  }
  for (auto& informer : informers_) informer->Start();
  thread_ = std::thread([this] { Run(); });
  return OkStatus();
}

void Syncer::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  for (auto& informer : informers_) informer->Stop();
}

SyncerStats Syncer::Stats() const { return {written_, removed_, refused_, failed_}; }

k8s::Object Syncer::Admit(ServedFile file, const k8s::Object& obj) {
  Notices notices;
  std::vector<Target> reloads;
  std::string digest;
  {
    std::lock_guard<std::mutex> lock(KindOf(file).mu);
    digest = AdmitLocked(file, obj, notices, reloads);
  }
  Finish(notices, reloads);
  return CachedForm(obj, digest);
}

std::string Syncer::AdmitLocked(ServedFile file, const k8s::Object& obj, Notices& notices,
                                std::vector<Target>& reloads) {
  const std::string key = ObjectKey(obj);
  HostClaims& claims = KindOf(file).claims;
  auto served_for = ReadServedFor(obj);
  if (!served_for.ok()) {
    ++refused_;
    LogWarning(
        "syncer: object refused; it serves nothing",
        {{"object", key}, {"file", FileName(file)}, {"reason", served_for.status().message()}});
    Retry({file, key}, false);
    Vacate(file, claims.Drop(key), PolicyKeyOf(obj), notices, reloads);
    return "";
  }
  const auto& [host, policy_key] = *served_for;
  Vacate(file, claims.Claim(key, host), policy_key, notices, reloads);
  std::string digest;
  StatusOr<bool> written = WriteFile(*dir_, file, host, obj, &digest);
  if (!written.ok()) {
    const Status& error = written.status();
    if (error.code() == StatusCode::kInvalidArgument) {
      ++refused_;
      Retry({file, key}, false);
      LogWarning("syncer: object refused; the host's last good file stays",
                 {{"object", key},
                  {"file", FileName(file)},
                  {"host", host},
                  {"policy", policy_key},
                  {"reason", error.message()}});
    } else {
      ++failed_;
      Retry({file, key}, true);
      LogError("syncer: writing failed; will retry", {{"object", key},
                                                      {"file", FileName(file)},
                                                      {"host", host},
                                                      {"policy", policy_key},
                                                      {"error", error.ToString()}});
    }
    return digest;
  }
  Retry({file, key}, false);
  claims.MarkServed(key);
  if (*written) {
    ++written_;
    LogInfo("syncer: wrote", {{"object", key},
                              {"file", FileName(file)},
                              {"host", host},
                              {"policy", policy_key},
                              {"digest", digest}});
    notices.push_back(policy_key);
  }
  return digest;
}

void Syncer::Forget(ServedFile file, const k8s::Object& cached) {
  Notices notices;
  std::vector<Target> reloads;
  {
    std::lock_guard<std::mutex> lock(KindOf(file).mu);
    const std::string key = ObjectKey(cached);
    Retry({file, key}, false);
    Vacate(file, KindOf(file).claims.Drop(key), PolicyKeyOf(cached), notices, reloads);
  }
  Finish(notices, reloads);
}

void Syncer::Vacate(ServedFile file, const std::optional<HostClaims::Vacated>& vacated,
                    const std::string& policy_key, Notices& notices, std::vector<Target>& reloads) {
  if (!vacated) return;
  if (!vacated->successor.empty()) {
    // Another object claims the host: its bytes go in, and only the API still has them.
    reloads.emplace_back(file, vacated->successor);
    return;
  }
  StatusOr<bool> removed = dir_->Remove(file, vacated->host);
  if (!removed.ok()) {
    ++failed_;
    LogError("syncer: removing failed", {{"host", vacated->host},
                                         {"file", FileName(file)},
                                         {"policy", policy_key},
                                         {"error", removed.status().ToString()}});
    return;
  }
  if (!*removed) return;
  ++removed_;
  LogInfo("syncer: removed",
          {{"host", vacated->host}, {"file", FileName(file)}, {"policy", policy_key}});
  notices.push_back(policy_key);
}

void Syncer::Finish(const Notices& notices, const std::vector<Target>& reloads) {
  for (const std::string& policy_key : notices) {
    if (!policy_key.empty() && on_written_) on_written_(policy_key);
  }
  for (const Target& target : reloads) Reload(target);
}

void Syncer::Reload(const Target& target) {
  const auto& [file, key] = target;
  const size_t slash = key.find('/');
  Notices notices;
  std::vector<Target> reloads;
  {
    // Read under the lock: an event the informer brings meanwhile waits and is admitted after
    // this, so an older version read here can never overwrite a newer one.
    std::lock_guard<std::mutex> lock(KindOf(file).mu);
    auto obj = client_.Get(SourceOf(file), key.substr(0, slash), key.substr(slash + 1));
    if (obj.ok()) {
      AdmitLocked(file, *obj, notices, reloads);
    } else if (obj.status().code() != StatusCode::kNotFound) {  // NotFound: its delete follows
      ++failed_;
      Retry(target, true);
      LogWarning("syncer: reading an object again failed; will retry",
                 {{"object", key}, {"file", FileName(file)}, {"error", obj.status().ToString()}});
    }
  }
  Finish(notices, reloads);
}

void Syncer::Retry(const Target& target, bool again) {
  std::lock_guard<std::mutex> lock(retries_mu_);
  if (again) {
    retries_.insert(target);
  } else {
    retries_.erase(target);
  }
}

void Syncer::Run() {
  for (const auto& informer : informers_) {
    while (!informer->WaitForSync(std::chrono::milliseconds(100))) {
      std::lock_guard<std::mutex> lock(stop_mu_);
      if (stopping_) return;
    }
  }
  while (true) {
    Status swept = RemoveOrphans();
    if (swept.ok()) break;
    LogError("syncer: listing the serve directory failed; will retry",
             {{"error", swept.ToString()}});
    if (!SleepUnlessStopped(options_.retry_after)) return;
  }
  ready_ = true;
  SyncerStats stats = Stats();
  LogInfo("syncer: ready: first sync done", {{"written", std::to_string(stats.written)},
                                             {"removed", std::to_string(stats.removed)},
                                             {"refused", std::to_string(stats.refused)},
                                             {"failed", std::to_string(stats.failed)}});
  while (SleepUnlessStopped(options_.retry_after)) {
    std::set<Target> due;
    {
      std::lock_guard<std::mutex> lock(retries_mu_);
      due.swap(retries_);
    }
    for (const Target& target : due) Reload(target);
  }
}

Status Syncer::RemoveOrphans() {
  for (ServedFile file : kFiles) {
    std::lock_guard<std::mutex> lock(KindOf(file).mu);
    ASSIGN_OR_RETURN(std::vector<std::string> hosts, dir_->Hosts(file));
    for (const std::string& host : hosts) {
      if (KindOf(file).claims.IsClaimed(host)) continue;
      ASSIGN_OR_RETURN(bool removed, dir_->Remove(file, host));
      if (!removed) continue;
      ++removed_;
      LogInfo("syncer: removed a file nothing asks for",
              {{"host", host}, {"file", FileName(file)}});
    }
  }
  return OkStatus();
}

bool Syncer::SleepUnlessStopped(std::chrono::nanoseconds delay) {
  std::unique_lock<std::mutex> lock(stop_mu_);
  const auto until = options_.clock->SteadyNow() + delay;
  while (!stopping_) {
    auto left = until - options_.clock->SteadyNow();
    if (left <= std::chrono::nanoseconds::zero()) return true;
    // Re-reads the clock at least every 100 ms, so a FakeClock advanced by a test takes effect.
    wake_.wait_for(lock, std::min<std::chrono::nanoseconds>(left, std::chrono::milliseconds(100)));
  }
  return false;
}

}  // namespace mtasts::controller
