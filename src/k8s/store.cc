#include "k8s/store.h"

#include "base/json_text.h"
#include "k8s/watch_event.h"

namespace mtasts::k8s {

std::string ObjectStore::KeyOf(const Object& obj) {
  static const Object kEmpty = Object::object();
  auto it = obj.find("metadata");
  const Object& meta = it != obj.end() && it->is_object() ? *it : kEmpty;
  std::string name = meta.value("name", "");
  std::string ns = meta.value("namespace", "");
  return ns.empty() ? name : ns + "/" + name;
}

Object ObjectStore::Parse(const Entry& entry) { return Object::parse(entry.json); }

std::optional<StoreChange> ObjectStore::Upsert(Object obj) {
  std::string key = KeyOf(obj);
  Entry entry{ResourceVersionOf(obj), DumpJson(obj)};
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    entries_.emplace(std::move(key), std::move(entry));
    return StoreChange{StoreChange::kAdded, std::nullopt, std::move(obj)};
  }
  if (it->second.resource_version == entry.resource_version) return std::nullopt;
  Object old = Parse(it->second);
  it->second = std::move(entry);
  return StoreChange{StoreChange::kUpdated, std::move(old), std::move(obj)};
}

std::optional<StoreChange> ObjectStore::Remove(const Object& obj) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(KeyOf(obj));
  if (it == entries_.end()) return std::nullopt;
  Object old = Parse(it->second);
  entries_.erase(it);
  return StoreChange{StoreChange::kDeleted, std::move(old), std::nullopt};
}

std::vector<StoreChange> ObjectStore::RemoveAllExcept(
    const std::unordered_set<std::string>& listed) {
  std::vector<StoreChange> changes;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (listed.count(it->first) != 0) {
      ++it;
      continue;
    }
    changes.push_back(StoreChange{StoreChange::kDeleted, Parse(it->second), std::nullopt});
    it = entries_.erase(it);
  }
  return changes;
}

std::optional<Object> ObjectStore::Get(std::string_view key) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(std::string(key));
  if (it == entries_.end()) return std::nullopt;
  return Parse(it->second);
}

std::vector<Object> ObjectStore::List() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Object> out;
  out.reserve(entries_.size());
  for (const auto& [key, entry] : entries_) out.push_back(Parse(entry));
  return out;
}

size_t ObjectStore::Size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace mtasts::k8s
