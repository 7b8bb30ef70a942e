// Clock: the one seam for time, so decisions that depend on "now" run against a fake in tests.
// RealClock is thread-safe. FakeClock is thread-safe; Advance() wakes nobody (callers poll).
#pragma once

#include <chrono>
#include <mutex>

namespace mtasts {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  // Wall-clock time (certificate expiry, testing periods, policy ids).
  virtual TimePoint Now() const = 0;
  // Monotonic time (timeouts, backoff).
  virtual std::chrono::steady_clock::time_point SteadyNow() const = 0;
};

class RealClock final : public Clock {
 public:
  TimePoint Now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::now();
  }
  // A process-wide instance for callers that do not inject one.
  static RealClock& Get();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint Now() const override;
  std::chrono::steady_clock::time_point SteadyNow() const override;
  void Advance(std::chrono::nanoseconds by);
  void Set(TimePoint to);

 private:
  mutable std::mutex mu_;
  TimePoint now_;
  std::chrono::nanoseconds steady_offset_{0};
};

}  // namespace mtasts
