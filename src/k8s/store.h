// ObjectStore: the informer's cache of objects keyed by "namespace/name" ("name" when
// cluster-scoped). Objects are kept serialised (compact JSON text) with their resourceVersion
// beside them: a parsed nlohmann::json costs 3-5x the bytes of its text, and the operator reads
// far less often than it caches. The text is compressed against the first object the store held
// (DictionaryCodec): objects of one type are near copies, so each keeps a fifth of its text or
// less. Thread-safe: all methods may be called concurrently; decompressing and parsing happen
// outside the lock.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "k8s/client.h"
#include "k8s/dictionary_codec.h"

namespace mtasts::k8s {

// What one change to the store did, for the informer to turn into a callback.
struct StoreChange {
  enum Kind { kAdded, kUpdated, kDeleted } kind;
  std::optional<Object> old_object;  // kUpdated, kDeleted
  std::optional<Object> new_object;  // kAdded, kUpdated
};

class ObjectStore {
 public:
  static std::string KeyOf(const Object& obj);

  // Inserts or replaces. nullopt when the stored object already has this resourceVersion (a
  // duplicate event), so callers never see the same state twice.
  std::optional<StoreChange> Upsert(Object obj);
  // Removes; nullopt when absent.
  std::optional<StoreChange> Remove(const Object& obj);
  // Ends a relist: removes every object whose key is not in `listed` (the keys the list returned,
  // each already Upsert()ed) and returns those deletes. A relist upserts page by page and calls
  // this last, so it never holds the whole list at once.
  std::vector<StoreChange> RemoveAllExcept(const std::unordered_set<std::string>& listed);

  std::optional<Object> Get(std::string_view key) const;
  std::vector<Object> List() const;
  size_t Size() const;

 private:
  struct Entry {
    std::string resource_version;
    std::string packed;  // codec_->Compress(compact JSON)
  };
  // The codec, made from `json` when this is the store's first object (never changed after).
  std::shared_ptr<const DictionaryCodec> CodecFor(const std::string& json);
  static Object Unpack(const DictionaryCodec& codec, const std::string& packed);
  // Whether `key` is cached at `version`.
  bool IsCached(const std::string& key, const std::string& version) const;

  mutable std::mutex mu_;
  std::shared_ptr<const DictionaryCodec> codec_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace mtasts::k8s
