#include "k8s/micro_time.h"

#include "base/utc_time.h"

namespace mtasts::k8s {

std::string FormatMicroTime(Clock::TimePoint time) {
  return FormatUtc(time, SecondFraction::kMicros);
}

std::optional<Clock::TimePoint> ParseTime(std::string_view text) {
  // metav1.Time always carries its offset; a time without one is not read as UTC here.
  std::optional<DateTime> parsed = ParseDateTime(text);
  if (!parsed || !parsed->had_offset) return std::nullopt;
  // Past what the clock can count (nanoseconds: the year 2262), a time is as good as never.
  constexpr auto kLast =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::TimePoint::duration::max()) -
      std::chrono::hours(48);
  if (parsed->utc.time_since_epoch() > kLast) return Clock::TimePoint::max();
  return Clock::TimePoint(parsed->utc);
}

}  // namespace mtasts::k8s
