// Kubernetes MicroTime: RFC 3339 in UTC with microseconds, "2026-11-28T20:45:12.123456Z", the
// format of Event eventTime/series.lastObservedTime and Lease acquireTime/renewTime.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"

namespace mtasts::k8s {

std::string FormatMicroTime(Clock::TimePoint time);

// Any RFC 3339 time ("2026-11-28T20:45:12Z", with or without a fraction, "Z" or an offset):
// what metav1.Time fields hold, to the second (fractions dropped). nullopt when `text` is not
// one.
std::optional<Clock::TimePoint> ParseTime(std::string_view text);

}  // namespace mtasts::k8s
