// Percentages as the CRD writes them: "1%", "0.5%", "2.25%", from 0% to 100% with at most two
// decimals, read exactly as basis points (hundredths of a percent) so no float is involved.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mtasts::spec {

// 150 for "1.5%"; nullopt unless text is <digits>[.<1-2 digits>]% and at most 100%.
std::optional<std::int64_t> ParsePercent(std::string_view text);

// "1.5%" for 150.
std::string PercentText(std::int64_t basis_points);

}  // namespace mtasts::spec
