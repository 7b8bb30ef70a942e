#include "k8s/micro_time.h"

#include "base/utc_time.h"

namespace mtasts::k8s {

std::string FormatMicroTime(Clock::TimePoint time) {
  return FormatUtc(time, SecondFraction::kMicros);
}

}  // namespace mtasts::k8s
