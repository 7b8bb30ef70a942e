// OncePerKey: computes a value at most once per key for the lifetime of the object, however many
// threads ask at once; later askers wait for the first one's result instead of computing again.
// One run of `mtasts check` uses it to share what providers' common MX hosts answered.
//
// Thread-safe. An exception thrown by `compute` reaches every caller waiting for that key.
#pragma once

#include <future>
#include <map>
#include <mutex>
#include <utility>

namespace mtasts::validate {

template <typename Key, typename Value>
class OncePerKey {
 public:
  // Returns the value for `key`, calling `compute()` if no caller has asked for it before.
  template <typename Compute>
  Value Get(const Key& key, Compute&& compute) {
    std::promise<Value> promise;
    std::shared_future<Value> result;
    bool mine = false;
    {
      std::lock_guard lock(mu_);
      auto [it, inserted] = results_.try_emplace(key);
      if (inserted) {
        it->second = promise.get_future().share();
        ++computed_;
        mine = true;
      }
      result = it->second;
    }
    if (mine) {
      try {
        promise.set_value(compute());
      } catch (...) {
        promise.set_exception(std::current_exception());
      }
    }
    return result.get();
  }

  // How many values were computed (the rest of the Get calls were answered from them).
  int computed() const {
    std::lock_guard lock(mu_);
    return computed_;
  }

 private:
  mutable std::mutex mu_;
  std::map<Key, std::shared_future<Value>> results_;
  int computed_ = 0;
};

}  // namespace mtasts::validate
