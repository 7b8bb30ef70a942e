#include "base/clock.h"

namespace mtasts {

RealClock& RealClock::Get() {
  static RealClock clock;
  return clock;
}

Clock::TimePoint FakeClock::Now() const {
  std::lock_guard lock(mu_);
  return now_;
}

std::chrono::steady_clock::time_point FakeClock::SteadyNow() const {
  std::lock_guard lock(mu_);
  return std::chrono::steady_clock::time_point(steady_offset_);
}

void FakeClock::Advance(std::chrono::nanoseconds by) {
  std::lock_guard lock(mu_);
  now_ += std::chrono::duration_cast<TimePoint::duration>(by);
  steady_offset_ += by;
}

void FakeClock::Set(TimePoint to) {
  std::lock_guard lock(mu_);
  if (to > now_) steady_offset_ += to - now_;
  now_ = to;
}

}  // namespace mtasts
