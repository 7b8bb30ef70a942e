// RFC 3339 date-times as TLS reports carry them ("2016-04-01T00:00:00Z",
// "2024-08-02T00:00:00.123+02:00"). Pure; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace mtasts::tlsrpt {

struct DateTime {
  std::chrono::sys_seconds utc;  // fractions dropped
  bool had_offset;               // false: no "Z" or "+hh:mm"; read as UTC
};

// The instant, or nullopt if `text` is not "YYYY-MM-DDTHH:MM:SS[.frac][Z|+hh:mm|-hh:mm]" with
// in-range fields. A missing offset is accepted here and reported through had_offset.
std::optional<DateTime> ParseDateTime(std::string_view text);

}  // namespace mtasts::tlsrpt
