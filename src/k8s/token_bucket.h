// TokenBucket: an overall rate limit on retries, so that many keys failing at once (the API
// server is down, say) cannot retry faster than `qps` once the first `burst` have gone.
//
// Each Reserve takes one token and returns how long its holder must wait for it: zero while
// tokens are left, then 1/qps more for each reservation beyond them (client-go's
// BucketRateLimiter over golang.org/x/time/rate: 10 qps, burst 100 by default). Tokens come back
// at `qps` per second of the steady time passed in, up to `burst`.
// Thread-compatible: the owner serialises calls (WorkQueue holds its lock around them).
#pragma once

#include <chrono>
#include <optional>

namespace mtasts::k8s {

class TokenBucket {
 public:
  using Duration = std::chrono::nanoseconds;
  using SteadyTime = std::chrono::steady_clock::time_point;

  TokenBucket(double qps, int burst) : qps_(qps), burst_(burst), tokens_(burst) {}

  // Takes one token at `now` and returns the wait until it is really available (>= 0).
  Duration Reserve(SteadyTime now);

 private:
  double qps_;
  int burst_;
  double tokens_;  // negative: reservations already made against tokens still to come
  std::optional<SteadyTime> last_;  // when tokens_ was last brought up to date
};

}  // namespace mtasts::k8s
