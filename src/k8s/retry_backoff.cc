#include "k8s/retry_backoff.h"

#include <algorithm>
#include <random>

namespace mtasts::k8s {

RetryBackoff::RetryBackoff(RetryBackoffOptions options, std::function<double()> random)
    : options_(options), random_(std::move(random)), step_(options.initial) {
  if (!random_) {
    random_ = [rng = std::mt19937_64(std::random_device{}())]() mutable {
      return std::uniform_real_distribution<double>(0, 1)(rng);
    };
  }
}

RetryBackoff::Duration RetryBackoff::Next(SteadyTime now) {
  if (last_failure_ && now - *last_failure_ > options_.reset_after) step_ = options_.initial;
  last_failure_ = now;
  Duration wait = step_;
  step_ = std::min(step_ * 2, options_.max);
  auto stretch = std::chrono::duration<double, std::nano>(wait) * options_.jitter * random_();
  return wait + std::chrono::duration_cast<Duration>(stretch);
}

}  // namespace mtasts::k8s
