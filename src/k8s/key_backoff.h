// KeyBackoff: per-key exponential backoff for retrying failed work items.
//
// The n-th consecutive failure of a key waits base * 2^(n-1), capped at max (5 ms, 10 ms,
// 20 ms, ... 5 min by default); Forget(key) resets the key after a success.
// Thread-compatible: the owner serialises calls (WorkQueue holds its lock around them).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <unordered_map>

namespace mtasts::k8s {

class KeyBackoff {
 public:
  using Duration = std::chrono::nanoseconds;

  KeyBackoff(Duration base, Duration max) : base_(base), max_(max) {}

  // Records one more failure of `key` and returns how long to wait before retrying it.
  Duration NextDelay(const std::string& key);
  // Clears the key's failure count.
  void Forget(const std::string& key) { failures_.erase(key); }
  // Consecutive failures recorded for `key` since it was last forgotten.
  int Failures(const std::string& key) const;
  // How many keys have a failure count (a forgotten key has none): for tests and metrics.
  size_t TrackedKeys() const { return failures_.size(); }

 private:
  Duration base_;
  Duration max_;
  std::unordered_map<std::string, int> failures_;
};

}  // namespace mtasts::k8s
