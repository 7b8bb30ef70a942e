// Suggestions for misspelt names: "testingPerod" -> "testingPeriod". Pure; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace mtasts {

// The candidate closest to `name` if it is close enough to be a likely typo: equal ignoring
// case, or within an edit distance of max(2, length / 3) (insert, delete, substitute, swap).
std::optional<std::string_view> ClosestName(std::string_view name,
                                            std::span<const std::string_view> candidates);

}  // namespace mtasts
