// FakeApiServer: an in-memory Kubernetes API server behind FakeClient, for unit tests of code
// that reads, writes, lists and watches objects. It models what a controller's decisions rest on:
//
//  - Every write bumps metadata.resourceVersion (one counter for the server, as etcd's revision).
//    An Update or Apply carrying a stale resourceVersion, or a Delete whose preconditions do not
//    hold, fails with kAborted like a 409 Conflict. metadata.generation counts the changes outside
//    metadata and status, as for a custom resource with a status subresource.
//  - Server-side apply per field manager: the applied fields are merged in (objects key by key,
//    anything else replaced), and fields the same manager applied before but applies no longer
//    are removed. Apply ignores status, ApplyStatus everything but status. Ownership conflicts
//    between managers are not modelled: inject them with FakeClient::FailOn("apply", ...).
//  - List by namespace, label selector (k=v, k!=v, k, !k; comma means and), field selector
//    (metadata.name, metadata.namespace) and pages (limit and continue token).
//  - Watch from a resourceVersion: each later change as ADDED, MODIFIED or DELETED, filtered as
//    List filters; from "" the current objects first, as ADDED. As kube-apiserver's watch cache
//    does, a change that takes an object out of a watch's selector reaches that watch as DELETED
//    (with the object as it was before), and one that brings it in as ADDED. Compact() forgets the
//    history: a watch or continue token from before it then fails with kOutOfRange, and an open
//    watch that fell behind gets an ERROR event (code 410) and ends. CloseWatches() ends every open
//    watch as the server's timeout does (Next() returns std::nullopt).
//
// Thread-safe. Watches must not outlive their server.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "k8s/client.h"

namespace mtasts::k8s {

class FakeApiServer {
 public:
  StatusOr<Object> Get(const ResourceRef& ref, std::string_view ns, std::string_view name);
  StatusOr<ObjectList> List(const ResourceRef& ref, std::string_view ns,
                            const ListOptions& options);
  StatusOr<Object> Create(const ResourceRef& ref, Object obj);
  StatusOr<Object> Update(const ResourceRef& ref, Object obj);
  StatusOr<Object> Apply(const ResourceRef& ref, const Object& obj, const ApplyOptions& options);
  StatusOr<Object> ApplyStatus(const ResourceRef& ref, const Object& obj,
                               const ApplyOptions& options);
  StatusOr<Object> MergePatch(const ResourceRef& ref, std::string_view ns, std::string_view name,
                              const Object& patch, std::string_view subresource = "");
  Status Delete(const ResourceRef& ref, std::string_view ns, std::string_view name,
                const DeleteOptions& options = {});
  StatusOr<std::unique_ptr<WatchStream>> Watch(const ResourceRef& ref, std::string_view ns,
                                               const WatchOptions& options);

  // Every stored object of the resource, in namespace and name order.
  std::vector<Object> All(const ResourceRef& ref) const;
  // Forgets every change so far: older resourceVersions become too old to watch or page from.
  void Compact();
  // Ends every open watch as a server-side timeout does.
  void CloseWatches();

 private:
  class Stream;
  using Key = std::tuple<std::string, std::string, std::string>;  // collection path, ns, name
  struct Stored {
    Object object;
    std::map<std::string, Object> applied;  // per field manager (+ "/status"): its last config
  };
  struct Change {
    int64_t version;
    std::string collection;
    WatchEventType type;
    Object object;
    Object previous;  // for kModified: the object before the change
  };

  static Key KeyOf(const ResourceRef& ref, std::string_view ns, std::string_view name);
  // Stamps a new resourceVersion (and generation) on `obj`, stores it and logs the change.
  Object Commit(const Key& key, Object obj, WatchEventType type);
  StatusOr<Object> ApplyLocked(const ResourceRef& ref, Object config, const std::string& manager,
                               bool status);

  mutable std::mutex mu_;
  std::condition_variable changed_;  // a change was logged, a watch cancelled or closed
  std::map<Key, Stored> objects_;
  std::vector<Change> changes_;
  int64_t version_ = 0;            // the latest resourceVersion
  int64_t compacted_version_ = 0;  // changes up to this one are forgotten
  int64_t closed_epoch_ = 0;       // bumped by CloseWatches()
};

}  // namespace mtasts::k8s
