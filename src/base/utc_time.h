// UTC date-times as text: RFC 3339 ("2026-11-28T21:00:00Z") for people, logs, JSON and
// Kubernetes; its ISO 8601 basic form inside policy ids; and the one RFC 3339 reader. Pure
// functions; thread-safe. A system_clock time point spans the years 1677-2262, so the year always
// has four digits.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace mtasts {

using UtcTime = std::chrono::system_clock::time_point;

enum class SecondFraction { kNone, kMillis, kMicros };

// "2026-11-28T21:00:00Z", or with ".123" (kMillis) or ".123456" (kMicros) before the "Z";
// smaller units are cut off, not rounded.
std::string FormatUtc(UtcTime time, SecondFraction fraction = SecondFraction::kNone);

// "2026-11-28".
std::string FormatDate(UtcTime time);

// "20261128T210000Z" (ISO 8601 basic format).
std::string FormatUtcCompact(UtcTime time);

struct DateTime {
  std::chrono::sys_seconds utc;  // fractions dropped
  bool had_offset;               // false: no "Z" or "+hh:mm"; read as UTC
};

// The instant, or nullopt if `text` is not "YYYY-MM-DDTHH:MM:SS[.frac][Z|+hh:mm|-hh:mm]" with
// in-range fields. A missing offset is accepted here and reported through had_offset.
std::optional<DateTime> ParseDateTime(std::string_view text);

}  // namespace mtasts
