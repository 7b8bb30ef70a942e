// FakeApiServer and FakeClient: an in-memory Client for unit tests of code that reads and writes
// whole objects (Get, Create, Update, MergePatch, Delete). Writes bump metadata.resourceVersion;
// an Update carrying a stale resourceVersion fails with kAborted like a 409 Conflict. List, Watch
// and server-side apply are not modelled (they return kInternal).
//
// Several FakeClients may share one FakeApiServer, each with its own injected failures: Fail()
// makes every call return a status, Hang() makes every call block until Resume().
// Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "k8s/client.h"

namespace mtasts::k8s {

class FakeApiServer {
 public:
  StatusOr<Object> Get(const ResourceRef& ref, std::string_view ns, std::string_view name);
  StatusOr<Object> Create(const ResourceRef& ref, Object obj);
  StatusOr<Object> Update(const ResourceRef& ref, Object obj);
  StatusOr<Object> MergePatch(const ResourceRef& ref, std::string_view ns, std::string_view name,
                              const Object& patch);
  Status Delete(const ResourceRef& ref, std::string_view ns, std::string_view name);
  // Every stored object of the resource, in name order.
  std::vector<Object> All(const ResourceRef& ref) const;

 private:
  using Key = std::tuple<std::string, std::string, std::string>;  // collection path, ns, name
  static Key KeyOf(const ResourceRef& ref, std::string_view ns, std::string_view name);

  mutable std::mutex mu_;
  std::map<Key, Object> objects_;
  int64_t next_version_ = 1;
};

class FakeClient final : public Client {
 public:
  explicit FakeClient(FakeApiServer& server) : server_(server) {}

  // Every later call returns `status` (until Fail(OkStatus())).
  void Fail(Status status);
  // Every later call blocks until Resume(); calls already blocked stay blocked until then.
  void Hang();
  void Resume();
  // How many calls were made, per verb ("get", "create", "update", "patch", "delete").
  int Calls(const std::string& verb) const;

  StatusOr<Object> Get(const ResourceRef& ref, std::string_view ns, std::string_view name) override;
  StatusOr<ObjectList> List(const ResourceRef& ref, std::string_view ns,
                            const ListOptions& options) override;
  StatusOr<Object> Create(const ResourceRef& ref, const Object& obj) override;
  StatusOr<Object> Update(const ResourceRef& ref, const Object& obj) override;
  StatusOr<Object> Apply(const ResourceRef& ref, const Object& obj,
                         const ApplyOptions& options) override;
  StatusOr<Object> ApplyStatus(const ResourceRef& ref, const Object& obj,
                               const ApplyOptions& options) override;
  StatusOr<Object> MergePatch(const ResourceRef& ref, std::string_view ns, std::string_view name,
                              const Object& patch, std::string_view subresource) override;
  Status Delete(const ResourceRef& ref, std::string_view ns, std::string_view name,
                const DeleteOptions& options) override;
  StatusOr<std::unique_ptr<WatchStream>> Watch(const ResourceRef& ref, std::string_view ns,
                                               const WatchOptions& options) override;

 private:
  // Counts the call, waits while hung, and returns the injected failure if any.
  Status Enter(const std::string& verb);

  FakeApiServer& server_;
  mutable std::mutex mu_;
  std::condition_variable resumed_;
  Status failure_;
  bool hung_ = false;
  std::map<std::string, int> calls_;
};

}  // namespace mtasts::k8s
