#include "fake_api_server.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <optional>
#include <utility>

namespace mtasts::k8s {
namespace {

std::string MetaField(const Object& obj, const char* field) {
  auto meta = obj.find("metadata");
  if (meta == obj.end() || !meta->contains(field) || !(*meta)[field].is_string()) return "";
  return (*meta)[field].get<std::string>();
}

Status NotFound(const ResourceRef& ref, std::string_view name) {
  return NotFoundError("NotFound: " + ref.resource + " \"" + std::string(name) + "\" not found");
}

Status Conflict() {
  return AbortedError(
      "Conflict: the object has been modified; please apply your changes to the latest version "
      "and try again");
}

// The part of an object that metadata.generation follows.
Object SpecPart(Object obj) {
  if (obj.is_object()) {
    obj.erase("metadata");
    obj.erase("status");
  }
  return obj;
}

// Merges an applied configuration in: objects key by key, anything else replaced.
void MergeApplied(Object* target, const Object& applied) {
  if (!applied.is_object() || !target->is_object()) {
    *target = applied;
    return;
  }
  for (const auto& [key, value] : applied.items()) MergeApplied(&(*target)[key], value);
}

// Removes from `target` the fields a manager applied `before` and does not apply `now`.
void RemoveDropped(Object* target, const Object& before, const Object& now) {
  if (!before.is_object() || !target->is_object()) return;
  for (const auto& [key, value] : before.items()) {
    if (!now.is_object() || !now.contains(key)) {
      target->erase(key);
    } else if (target->contains(key)) {
      RemoveDropped(&(*target)[key], value, now[key]);
    }
  }
}

// A parsed label and field selector; Matches() is what List and Watch keep.
class Selector {
 public:
  static StatusOr<Selector> Parse(const std::string& labels, const std::string& fields) {
    Selector s;
    for (const std::string& term : Split(labels)) {
      if (size_t eq = term.find("!="); eq != std::string::npos) {
        s.labels_.push_back({term.substr(0, eq), term.substr(eq + 2), false, true});
      } else if (size_t eq = term.find('='); eq != std::string::npos) {
        size_t value = term.compare(eq, 2, "==") == 0 ? eq + 2 : eq + 1;
        s.labels_.push_back({term.substr(0, eq), term.substr(value), true, true});
      } else if (term.find_first_of("() ") != std::string::npos) {
        return InvalidArgumentError("BadRequest: unable to parse requirement: " + term);
      } else if (term[0] == '!') {
        s.labels_.push_back({term.substr(1), "", false, false});
      } else {
        s.labels_.push_back({term, "", true, false});
      }
    }
    for (const std::string& term : Split(fields)) {
      size_t eq = term.find('=');
      std::string field = term.substr(0, eq);
      if (eq == std::string::npos || (field != "metadata.name" && field != "metadata.namespace")) {
        return InvalidArgumentError("BadRequest: field selector not supported: " + term);
      }
      s.fields_.emplace_back(field.substr(9), term.substr(eq + 1));
    }
    return s;
  }

  bool Matches(const Object& obj) const {
    for (const auto& [field, value] : fields_) {
      if (MetaField(obj, field.c_str()) != value) return false;
    }
    const Object labels = obj["metadata"].value("labels", Object::object());
    for (const Requirement& r : labels_) {
      auto it = labels.find(r.key);
      bool present = it != labels.end();
      bool equal = present && it->is_string() && it->get<std::string>() == r.value;
      bool holds = r.compare_value ? equal : present;
      if (holds != r.want) return false;
    }
    return true;
  }

 private:
  struct Requirement {
    std::string key;
    std::string value;
    bool want;           // the label must (or must not) be present / equal
    bool compare_value;  // compares the value, not only presence
  };

  static std::vector<std::string> Split(const std::string& text) {
    std::vector<std::string> terms;
    size_t start = 0;
    while (start < text.size()) {
      size_t comma = std::min(text.find(',', start), text.size());
      if (comma > start) terms.push_back(text.substr(start, comma - start));
      start = comma + 1;
    }
    return terms;
  }

  std::vector<Requirement> labels_;
  std::vector<std::pair<std::string, std::string>> fields_;
};

StatusOr<int64_t> ParseVersion(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) {
    return InvalidArgumentError("BadRequest: resourceVersion \"" + text + "\" is not a number");
  }
  return std::stoll(text);
}

Status TooOld(int64_t version) {
  return OutOfRangeError("Expired: too old resource version: " + std::to_string(version));
}

}  // namespace

// One open watch: events queued at open (the initial ADDED ones), then the server's changes
// after `seen_` that pass the filter.
class FakeApiServer::Stream final : public WatchStream {
 public:
  Stream(FakeApiServer& server, std::string collection, std::string ns, Selector selector,
         int64_t seen, int64_t epoch)
      : server_(server),
        collection_(std::move(collection)),
        ns_(std::move(ns)),
        selector_(std::move(selector)),
        epoch_(epoch),
        seen_(seen) {}

  void Queue(WatchEvent event) { pending_.push_back(std::move(event)); }

  StatusOr<std::optional<WatchEvent>> Next() override {
    std::unique_lock lock(server_.mu_);
    while (true) {
      if (cancelled_) return CancelledError("watch cancelled");
      if (!pending_.empty()) {
        WatchEvent event = std::move(pending_.front());
        pending_.pop_front();
        return std::optional<WatchEvent>(std::move(event));
      }
      if (ended_ || server_.closed_epoch_ != epoch_) return std::optional<WatchEvent>();
      if (seen_ < server_.compacted_version_) {
        // What kube-apiserver sends when the watch fell behind a compaction: relist.
        ended_ = true;
        return std::optional<WatchEvent>(WatchEvent{WatchEventType::kError,
                                                    {{"kind", "Status"},
                                                     {"code", 410},
                                                     {"reason", "Expired"},
                                                     {"message", TooOld(seen_).message()}}});
      }
      for (const Change& c : server_.changes_) {
        if (c.version <= seen_) continue;
        seen_ = c.version;
        if (auto event = EventFor(c)) Queue(std::move(*event));
      }
      if (pending_.empty()) server_.changed_.wait(lock);
    }
  }

  void Cancel() override {
    std::lock_guard lock(server_.mu_);
    cancelled_ = true;
    server_.changed_.notify_all();
  }

 private:
  // What this watch sees of a change: a modification that moves the object out of the selector
  // is a DELETED of the object as it was (with the new resourceVersion), one that moves it in an
  // ADDED, as kube-apiserver's watch cache sends them.
  std::optional<WatchEvent> EventFor(const Change& c) const {
    if (c.collection != collection_ || (!ns_.empty() && MetaField(c.object, "namespace") != ns_)) {
      return std::nullopt;
    }
    bool now = selector_.Matches(c.object);
    bool before = c.type == WatchEventType::kModified && selector_.Matches(c.previous);
    if (c.type != WatchEventType::kModified || now == before) {
      if (!now) return std::nullopt;
      return WatchEvent{c.type, c.object};
    }
    if (now) return WatchEvent{WatchEventType::kAdded, c.object};
    Object last = c.previous;
    last["metadata"]["resourceVersion"] = c.object["metadata"]["resourceVersion"];
    return WatchEvent{WatchEventType::kDeleted, std::move(last)};
  }

  FakeApiServer& server_;
  const std::string collection_;
  const std::string ns_;
  const Selector selector_;
  const int64_t epoch_;
  int64_t seen_;  // guarded by server_.mu_, as are the members below
  bool cancelled_ = false;
  bool ended_ = false;
  std::deque<WatchEvent> pending_;
};

FakeApiServer::Key FakeApiServer::KeyOf(const ResourceRef& ref, std::string_view ns,
                                        std::string_view name) {
  return {ref.CollectionPath(""), ref.namespaced ? std::string(ns) : "", std::string(name)};
}

Object FakeApiServer::Commit(const Key& key, Object obj, WatchEventType type) {
  auto it = objects_.find(key);
  int64_t generation = 1;
  Object previous;
  if (it != objects_.end()) {
    previous = it->second.object;
    const Object& old = it->second.object;
    generation = old["metadata"].value("generation", int64_t{1});
    if (SpecPart(old) != SpecPart(obj)) ++generation;
  }
  obj["metadata"]["resourceVersion"] = std::to_string(++version_);
  if (type != WatchEventType::kDeleted) {
    obj["metadata"]["generation"] = generation;
    objects_[key].object = obj;
  }
  changes_.push_back({version_, std::get<0>(key), type, obj, std::move(previous)});
  changed_.notify_all();
  return obj;
}

StatusOr<Object> FakeApiServer::Get(const ResourceRef& ref, std::string_view ns,
                                    std::string_view name) {
  std::lock_guard lock(mu_);
  auto it = objects_.find(KeyOf(ref, ns, name));
  if (it == objects_.end()) return NotFound(ref, name);
  return it->second.object;
}

StatusOr<ObjectList> FakeApiServer::List(const ResourceRef& ref, std::string_view ns,
                                         const ListOptions& options) {
  ASSIGN_OR_RETURN(Selector selector,
                   Selector::Parse(options.label_selector, options.field_selector));
  std::lock_guard lock(mu_);
  size_t skip = 0;
  if (!options.continue_token.empty()) {
    // "<resourceVersion of the first page>:<items already returned>"
    size_t colon = options.continue_token.find(':');
    ASSIGN_OR_RETURN(int64_t version, ParseVersion(options.continue_token.substr(0, colon)));
    if (version < compacted_version_) return TooOld(version);
    skip = std::stoul(options.continue_token.substr(colon + 1));
  }
  ObjectList list;
  list.resource_version = std::to_string(version_);
  size_t matched = 0;
  for (const auto& [key, stored] : objects_) {
    if (std::get<0>(key) != ref.CollectionPath("")) continue;
    if (!ns.empty() && ref.namespaced && std::get<1>(key) != ns) continue;
    if (!selector.Matches(stored.object) || matched++ < skip) continue;
    if (options.limit > 0 && static_cast<int64_t>(list.items.size()) == options.limit) {
      list.continue_token = std::to_string(version_) + ":" + std::to_string(matched - 1);
      break;
    }
    list.items.push_back(stored.object);
  }
  return list;
}

StatusOr<Object> FakeApiServer::Create(const ResourceRef& ref, Object obj) {
  std::lock_guard lock(mu_);
  std::string name = MetaField(obj, "name");
  if (name.empty()) return InvalidArgumentError("Invalid: metadata.name: Required value");
  Key key = KeyOf(ref, MetaField(obj, "namespace"), name);
  if (objects_.count(key) != 0) {
    return AlreadyExistsError("AlreadyExists: " + ref.resource + " \"" + name +
                              "\" already exists");
  }
  if (!obj.contains("apiVersion")) obj["apiVersion"] = ref.ApiVersion();
  if (!obj.contains("kind")) obj["kind"] = ref.kind;
  obj["metadata"]["uid"] = "uid-" + name;
  return Commit(key, std::move(obj), WatchEventType::kAdded);
}

StatusOr<Object> FakeApiServer::Update(const ResourceRef& ref, Object obj) {
  std::lock_guard lock(mu_);
  std::string name = MetaField(obj, "name");
  Key key = KeyOf(ref, MetaField(obj, "namespace"), name);
  auto it = objects_.find(key);
  if (it == objects_.end()) return NotFound(ref, name);
  std::string version = MetaField(obj, "resourceVersion");
  if (!version.empty() && version != MetaField(it->second.object, "resourceVersion")) {
    return Conflict();
  }
  return Commit(key, std::move(obj), WatchEventType::kModified);
}

StatusOr<Object> FakeApiServer::Apply(const ResourceRef& ref, const Object& obj,
                                      const ApplyOptions& options) {
  std::lock_guard lock(mu_);
  Object config = obj;
  config.erase("status");
  return ApplyLocked(ref, std::move(config), options.field_manager, /*status=*/false);
}

StatusOr<Object> FakeApiServer::ApplyStatus(const ResourceRef& ref, const Object& obj,
                                            const ApplyOptions& options) {
  std::lock_guard lock(mu_);
  Object config = {{"metadata", obj.value("metadata", Object::object())},
                   {"status", obj.value("status", Object::object())}};
  return ApplyLocked(ref, std::move(config), options.field_manager, /*status=*/true);
}

StatusOr<Object> FakeApiServer::ApplyLocked(const ResourceRef& ref, Object config,
                                            const std::string& manager, bool status) {
  if (manager.empty()) return InvalidArgumentError("BadRequest: fieldManager is required");
  std::string name = MetaField(config, "name");
  if (name.empty()) return InvalidArgumentError("Invalid: metadata.name: Required value");
  Key key = KeyOf(ref, MetaField(config, "namespace"), name);
  auto it = objects_.find(key);
  std::string version = MetaField(config, "resourceVersion");
  config["metadata"].erase("resourceVersion");
  if (it == objects_.end()) {
    if (status) return NotFound(ref, name);
    if (!version.empty()) return Conflict();
    Object created = config;
    if (!created.contains("apiVersion")) created["apiVersion"] = ref.ApiVersion();
    if (!created.contains("kind")) created["kind"] = ref.kind;
    created["metadata"]["uid"] = "uid-" + name;
    Object result = Commit(key, std::move(created), WatchEventType::kAdded);
    objects_[key].applied[manager] = std::move(config);
    return result;
  }
  if (!version.empty() && version != MetaField(it->second.object, "resourceVersion")) {
    return Conflict();
  }
  const std::string slot = status ? manager + "/status" : manager;
  Object merged = it->second.object;
  auto before = it->second.applied.find(slot);
  if (before != it->second.applied.end()) RemoveDropped(&merged, before->second, config);
  MergeApplied(&merged, config);
  it->second.applied[slot] = std::move(config);
  if (merged == it->second.object) return merged;  // nothing changed: no new version
  return Commit(key, std::move(merged), WatchEventType::kModified);
}

StatusOr<Object> FakeApiServer::MergePatch(const ResourceRef& ref, std::string_view ns,
                                           std::string_view name, const Object& patch,
                                           std::string_view subresource) {
  std::lock_guard lock(mu_);
  Key key = KeyOf(ref, ns, name);
  auto it = objects_.find(key);
  if (it == objects_.end()) return NotFound(ref, name);
  Object patched = it->second.object;
  if (subresource == "status") {
    patched.merge_patch({{"status", patch.value("status", Object::object())}});
  } else {
    patched.merge_patch(patch);
  }
  return Commit(key, std::move(patched), WatchEventType::kModified);
}

Status FakeApiServer::Delete(const ResourceRef& ref, std::string_view ns, std::string_view name,
                             const DeleteOptions& options) {
  std::lock_guard lock(mu_);
  Key key = KeyOf(ref, ns, name);
  auto it = objects_.find(key);
  if (it == objects_.end()) return NotFound(ref, name);
  const Object& live = it->second.object;
  if ((!options.uid.empty() && options.uid != MetaField(live, "uid")) ||
      (!options.resource_version.empty() &&
       options.resource_version != MetaField(live, "resourceVersion"))) {
    return Conflict();
  }
  Object last = live;
  objects_.erase(it);
  Commit(key, std::move(last), WatchEventType::kDeleted);
  return OkStatus();
}

StatusOr<std::unique_ptr<WatchStream>> FakeApiServer::Watch(const ResourceRef& ref,
                                                            std::string_view ns,
                                                            const WatchOptions& options) {
  ASSIGN_OR_RETURN(Selector selector,
                   Selector::Parse(options.label_selector, options.field_selector));
  std::lock_guard lock(mu_);
  int64_t from = version_;
  if (!options.resource_version.empty()) {
    ASSIGN_OR_RETURN(from, ParseVersion(options.resource_version));
    if (from < compacted_version_) return TooOld(from);
  }
  std::string collection = ref.CollectionPath("");
  std::string in_ns = ref.namespaced ? std::string(ns) : "";
  auto stream = std::make_unique<Stream>(*this, collection, in_ns, selector, from, closed_epoch_);
  if (options.resource_version.empty()) {
    for (const auto& [key, stored] : objects_) {
      if (std::get<0>(key) != collection || (!in_ns.empty() && std::get<1>(key) != in_ns)) continue;
      if (selector.Matches(stored.object)) stream->Queue({WatchEventType::kAdded, stored.object});
    }
  }
  return std::unique_ptr<WatchStream>(std::move(stream));
}

std::vector<Object> FakeApiServer::All(const ResourceRef& ref) const {
  std::lock_guard lock(mu_);
  std::vector<Object> found;
  for (const auto& [key, stored] : objects_) {
    if (std::get<0>(key) == ref.CollectionPath("")) found.push_back(stored.object);
  }
  return found;
}

void FakeApiServer::Compact() {
  std::lock_guard lock(mu_);
  compacted_version_ = version_;
  changes_.clear();
  changed_.notify_all();
}

void FakeApiServer::CloseWatches() {
  std::lock_guard lock(mu_);
  ++closed_epoch_;
  changed_.notify_all();
}

}  // namespace mtasts::k8s
