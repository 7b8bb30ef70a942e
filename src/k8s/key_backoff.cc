#include "k8s/key_backoff.h"

#include <algorithm>

namespace mtasts::k8s {

KeyBackoff::Duration KeyBackoff::NextDelay(const std::string& key) {
  int exponent = failures_[key]++;
  // Doubling stops once the cap is reached, so a long failure streak cannot overflow.
  Duration delay = base_;
  for (int i = 0; i < exponent && delay < max_; ++i) delay *= 2;
  return std::min(delay, max_);
}

int KeyBackoff::Failures(const std::string& key) const {
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

}  // namespace mtasts::k8s
