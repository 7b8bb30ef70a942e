// Client: the one seam between the operator and the Kubernetes API.
//
// Objects are nlohmann::json values exactly as the API server sends them. Every call returns a
// Status from base/status.h; an API server error keeps its `reason` and `message` in the Status
// message after the request, as "<METHOD> <path>: <Reason>: <message>" (e.g.
// "GET /api/v1/namespaces/mail/configmaps/x: NotFound: configmaps \"x\" not found"). Mapping:
//
//   HTTP / reason                     StatusCode            what the caller should do
//   404 NotFound                      kNotFound             treat as absent
//   409 AlreadyExists                 kAlreadyExists        the object exists already
//   409 Conflict                      kAborted              re-read, re-apply at once
//   409 Conflict, FieldManagerConflict kOwnershipConflict   another field manager owns a field
//     (server-side apply)                                   this one sets: back off, surface it
//   422 Invalid, 400 BadRequest       kInvalidArgument      the object is wrong: report it
//   410 Gone / Expired                kOutOfRange           resourceVersion too old: relist
//   401 Unauthorized                  kUnauthenticated      credentials are wrong
//   403 Forbidden                     kPermissionDenied     RBAC is missing
//   429 TooManyRequests               kResourceExhausted    back off
//   5xx, connection failure           kUnavailable          retry with backoff
//   504, client timeout               kDeadlineExceeded     retry with backoff
//
// A 429 or 5xx carrying Retry-After is retried inside the client (after that many seconds, at most
// a few times) before it is returned. Implementations are thread-safe: one Client is shared by all
// controllers, informers and the leader elector.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "k8s/resource.h"

namespace mtasts::k8s {

using Object = nlohmann::json;

struct ListOptions {
  std::string label_selector;    // "app=mta-sts,shard in (a,b)"
  std::string field_selector;    // "metadata.name=x"
  int64_t limit = 0;             // 0 = no paging; otherwise at most this many items per page
  std::string continue_token;    // from the previous page's ObjectList::continue_token
  std::string resource_version;  // "" = most recent (quorum read); "0" = any (from cache)
};

struct ObjectList {
  std::vector<Object> items;
  std::string resource_version;  // of the list: start a watch from here
  std::string continue_token;    // non-empty when more pages follow
};

struct ApplyOptions {
  std::string field_manager;  // required: server-side apply tracks ownership per manager
  bool force = false;         // take ownership of fields another manager owns
};

struct DeleteOptions {
  // Preconditions: the delete fails with kAborted (Conflict) unless the live object matches.
  std::string uid;
  std::string resource_version;
  std::string propagation_policy;  // "", "Foreground", "Background", "Orphan"
};

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;  // resume point: events after this version are delivered
  bool allow_bookmarks = true;
  // Server-side timeout: the server ends the stream after this long (then resume).
  std::chrono::seconds timeout{300};
  // A stream silent for this long is taken for a dead connection (Next returns
  // kDeadlineExceeded: resume). With bookmarks, the API server's watch cache sends one about
  // every minute even when nothing changes, so a few minutes of silence mean a lost connection,
  // not a quiet resource. Without bookmarks only the server's timeout bounds the silence, and
  // the client waits that long plus a minute instead.
  std::chrono::seconds max_silence{180};
  // Once requested, a watch still opening is abandoned (kCancelled); an open one is cancelled
  // with WatchStream::Cancel.
  std::stop_token stop;
};

enum class WatchEventType { kAdded, kModified, kDeleted, kBookmark, kError };

struct WatchEvent {
  WatchEventType type;
  // The object; for kBookmark only metadata.resourceVersion is meaningful; for kError a
  // metav1.Status (code 410 = the resume point is gone: relist).
  Object object;
};

// One open watch. Next() blocks; it is called from one thread at a time. Cancel() may be called
// from any thread and makes a pending or later Next() return kCancelled promptly.
class WatchStream {
 public:
  virtual ~WatchStream() = default;
  // The next event; std::nullopt when the server ended the stream (timeout): resume from the last
  // resourceVersion seen. A broken connection or a malformed line is an error (kUnavailable).
  virtual StatusOr<std::optional<WatchEvent>> Next() = 0;
  virtual void Cancel() = 0;
};

class Client {
 public:
  virtual ~Client() = default;

  // GET one object. ns is ignored for cluster-scoped resources.
  virtual StatusOr<Object> Get(const ResourceRef& ref, std::string_view ns,
                               std::string_view name) = 0;
  // One page of a list (all namespaces when ns is empty). Follow continue_token for more pages;
  // a continue token that expired returns kOutOfRange: start over.
  virtual StatusOr<ObjectList> List(const ResourceRef& ref, std::string_view ns,
                                    const ListOptions& options) = 0;
  // POST. Namespace comes from obj.metadata.namespace; apiVersion/kind are filled from ref when
  // absent. Returns the created object. kAlreadyExists if the name is taken.
  virtual StatusOr<Object> Create(const ResourceRef& ref, const Object& obj) = 0;
  // PUT the whole object. With metadata.resourceVersion set, the write is conditional: a stale
  // version returns kAborted (Conflict). Returns the stored object.
  virtual StatusOr<Object> Update(const ResourceRef& ref, const Object& obj) = 0;
  // Server-side apply (PATCH application/apply-patch+yaml) of a partial object carrying only the
  // fields this manager owns; creates the object if absent. Returns the resulting object, or
  // kOwnershipConflict when another manager owns a field it sets (unless options.force).
  virtual StatusOr<Object> Apply(const ResourceRef& ref, const Object& obj,
                                 const ApplyOptions& options) = 0;
  // Server-side apply to the status subresource (spec is ignored by the server there).
  virtual StatusOr<Object> ApplyStatus(const ResourceRef& ref, const Object& obj,
                                       const ApplyOptions& options) = 0;
  // JSON merge patch (RFC 7386) of ns/name, or of its subresource ("status") when non-empty.
  virtual StatusOr<Object> MergePatch(const ResourceRef& ref, std::string_view ns,
                                      std::string_view name, const Object& patch,
                                      std::string_view subresource = "") = 0;
  // DELETE with optional preconditions. Deleting an absent object returns kNotFound.
  virtual Status Delete(const ResourceRef& ref, std::string_view ns, std::string_view name,
                        const DeleteOptions& options = {}) = 0;
  // Opens a watch (headers received). kOutOfRange if options.resource_version is too old.
  virtual StatusOr<std::unique_ptr<WatchStream>> Watch(const ResourceRef& ref, std::string_view ns,
                                                       const WatchOptions& options) = 0;
};

}  // namespace mtasts::k8s
