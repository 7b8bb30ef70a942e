// RetryBackoff: how long to wait before listing or watching again after a failure, as
// client-go's reflector waits (wait.NewExponentialBackoffManager(800ms, 30s, 2min, 2.0, 1.0)).
//
// The waits double from `initial` up to `max`, and each is stretched by a random part of up to
// `jitter` times itself (800 ms..1.6 s, 1.6..3.2 s, ... 30..60 s), so that many informers that
// failed together do not retry together. After `reset_after` without a failure the waits start
// again from `initial`: a watch that broke after running well retries soon, one that fails at
// once every time (a poison event, a server that ends every watch) backs off to the cap.
// Thread-compatible.
#pragma once

#include <chrono>
#include <functional>
#include <optional>

namespace mtasts::k8s {

struct RetryBackoffOptions {
  std::chrono::nanoseconds initial = std::chrono::milliseconds(800);
  std::chrono::nanoseconds max = std::chrono::seconds(30);
  std::chrono::nanoseconds reset_after = std::chrono::minutes(2);
  double jitter = 1.0;
};

class RetryBackoff {
 public:
  using Duration = std::chrono::nanoseconds;
  using SteadyTime = std::chrono::steady_clock::time_point;

  // `random` returns a number in [0, 1); by default from a generator seeded per instance.
  explicit RetryBackoff(RetryBackoffOptions options = {}, std::function<double()> random = {});

  // Records a failure at `now` and returns how long to wait before the next attempt.
  Duration Next(SteadyTime now);

 private:
  RetryBackoffOptions options_;
  std::function<double()> random_;
  Duration step_;
  std::optional<SteadyTime> last_failure_;
};

}  // namespace mtasts::k8s
