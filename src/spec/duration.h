// Go-style durations as the CRD writes them: whole hours, minutes and seconds, e.g. "168h",
// "1h30m", "90s" (fractions and ms/us/ns are not accepted). Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace mtasts::spec {

// nullopt unless `text` is one or more <digits><h|m|s> groups totalling at most kMaxDuration.
std::optional<std::chrono::seconds> ParseDuration(std::string_view text);

inline constexpr std::chrono::hours kMaxDuration{24 * 366};

}  // namespace mtasts::spec
