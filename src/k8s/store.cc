#include "k8s/store.h"

#include "base/json_text.h"
#include "base/log.h"
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

std::shared_ptr<const DictionaryCodec> ObjectStore::CodecFor(const std::string& json) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!codec_) codec_ = std::make_shared<const DictionaryCodec>(json);
  return codec_;
}

// Our own bytes: a failure would be a bug, so it is logged, and the empty object it returns
// covers nothing, which makes the operator apply its object again and so replace this entry.
Object ObjectStore::Unpack(const DictionaryCodec& codec, const std::string& packed) {
  StatusOr<std::string> json = codec.Decompress(packed);
  if (!json.ok()) {
    LogError("object store: cannot read a cached object", {{"error", json.status().ToString()}});
    return Object::object();
  }
  return Object::parse(*json);
}

std::optional<StoreChange> ObjectStore::Upsert(Object obj) {
  std::string key = KeyOf(obj);
  std::string version = ResourceVersionOf(obj);
  // A duplicate (a relist returns every unchanged object again) is dropped before it is
  // serialised and compressed, the costly part.
  if (IsCached(key, version)) return std::nullopt;
  const std::string json = DumpJson(obj);
  std::shared_ptr<const DictionaryCodec> codec = CodecFor(json);
  Entry entry{std::move(version), codec->Compress(json)};
  std::string old_packed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
      entries_.emplace(std::move(key), std::move(entry));
      return StoreChange{StoreChange::kAdded, std::nullopt, std::move(obj)};
    }
    // Checked again: another Upsert of this version may have come in meanwhile.
    if (it->second.resource_version == entry.resource_version) return std::nullopt;
    old_packed = std::exchange(it->second, std::move(entry)).packed;
  }
  return StoreChange{StoreChange::kUpdated, Unpack(*codec, old_packed), std::move(obj)};
}

bool ObjectStore::IsCached(const std::string& key, const std::string& version) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  return it != entries_.end() && it->second.resource_version == version;
}

std::optional<StoreChange> ObjectStore::Remove(const Object& obj) {
  std::shared_ptr<const DictionaryCodec> codec;
  std::string old_packed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(KeyOf(obj));
    if (it == entries_.end()) return std::nullopt;
    codec = codec_;
    old_packed = std::move(it->second.packed);
    entries_.erase(it);
  }
  return StoreChange{StoreChange::kDeleted, Unpack(*codec, old_packed), std::nullopt};
}

std::vector<StoreChange> ObjectStore::RemoveAllExcept(
    const std::unordered_set<std::string>& listed) {
  std::shared_ptr<const DictionaryCodec> codec;
  std::vector<std::string> removed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    codec = codec_;
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (listed.contains(it->first)) {
        ++it;
        continue;
      }
      removed.push_back(std::move(it->second.packed));
      it = entries_.erase(it);
    }
  }
  std::vector<StoreChange> changes;
  changes.reserve(removed.size());
  for (const std::string& packed : removed) {
    changes.push_back(StoreChange{StoreChange::kDeleted, Unpack(*codec, packed), std::nullopt});
  }
  return changes;
}

std::optional<Object> ObjectStore::Get(std::string_view key) const {
  std::shared_ptr<const DictionaryCodec> codec;
  std::string packed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(std::string(key));
    if (it == entries_.end()) return std::nullopt;
    codec = codec_;
    packed = it->second.packed;
  }
  return Unpack(*codec, packed);
}

std::vector<Object> ObjectStore::List() const {
  std::shared_ptr<const DictionaryCodec> codec;
  std::vector<std::string> packed;
  {
    std::lock_guard<std::mutex> lock(mu_);
    codec = codec_;
    packed.reserve(entries_.size());
    for (const auto& [key, entry] : entries_) packed.push_back(entry.packed);
  }
  std::vector<Object> out;
  out.reserve(packed.size());
  for (const std::string& p : packed) out.push_back(Unpack(*codec, p));
  return out;
}

size_t ObjectStore::Size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace mtasts::k8s
