// FakeClient: a k8s::Client over a FakeApiServer (fake_api_server.h says what the server models),
// with failures injected per client. Several FakeClients may share one server, like several
// processes sharing a cluster, each with its own injected failures:
//   Fail(status)            every later call returns status (until Fail(OkStatus()));
//   FailOn(verb, status)    every later call of that verb does (e.g. an apply conflict);
//   Hang() / Resume()       every later call blocks until Resume().
// Verbs: "get", "list", "create", "update", "apply" (Apply and ApplyStatus), "patch", "delete",
// "watch"; "VERB RESOURCE" (e.g. "apply certificates") fails only that resource, as a missing CRD
// does. Thread-safe.
#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>

#include "fake_api_server.h"
#include "k8s/client.h"

namespace mtasts::k8s {

class FakeClient final : public Client {
 public:
  explicit FakeClient(FakeApiServer& server) : server_(server) {}

  void Fail(Status status);
  void FailOn(const std::string& verb, Status status);
  void Hang();
  void Resume();
  // How many calls were made of `verb`, failed ones included.
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
  Status Enter(const std::string& verb, const ResourceRef& ref);

  FakeApiServer& server_;
  mutable std::mutex mu_;
  std::condition_variable resumed_;
  Status failure_;
  std::map<std::string, Status> verb_failures_;
  bool hung_ = false;
  std::map<std::string, int> calls_;
};

}  // namespace mtasts::k8s
