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
  return Clock::TimePoint(parsed->utc);
}

}  // namespace mtasts::k8s
