#include "k8s/token_bucket.h"

#include <algorithm>

namespace mtasts::k8s {

TokenBucket::Duration TokenBucket::Reserve(SteadyTime now) {
  if (last_ && now > *last_) {
    double refill = std::chrono::duration<double>(now - *last_).count() * qps_;
    tokens_ = std::min<double>(burst_, tokens_ + refill);
  }
  if (!last_ || now > *last_) last_ = now;
  tokens_ -= 1;
  if (tokens_ >= 0) return Duration::zero();
  return std::chrono::duration_cast<Duration>(std::chrono::duration<double>(-tokens_ / qps_));
}

}  // namespace mtasts::k8s
