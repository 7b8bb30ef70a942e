// Kubernetes MicroTime: RFC 3339 in UTC with microseconds, "2026-11-28T20:45:12.123456Z", the
// format of Event eventTime/series.lastObservedTime and Lease acquireTime/renewTime.
// Pure functions; thread-safe.
#pragma once

#include <string>

#include "base/clock.h"

namespace mtasts::k8s {

std::string FormatMicroTime(Clock::TimePoint time);

}  // namespace mtasts::k8s
