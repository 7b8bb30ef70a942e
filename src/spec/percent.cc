#include "spec/percent.h"

namespace mtasts::spec {

std::optional<std::int64_t> ParsePercent(std::string_view text) {
  if (!text.ends_with('%')) return std::nullopt;
  text.remove_suffix(1);
  const size_t dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  const auto digits = [](std::string_view s) {
    for (const char c : s) {
      if (c < '0' || c > '9') return false;
    }
    return true;
  };
  if (whole.empty() || whole.size() > 3 || !digits(whole)) return std::nullopt;
  if (dot != std::string_view::npos && (fraction.empty() || fraction.size() > 2))
    return std::nullopt;
  if (!digits(fraction)) return std::nullopt;
  std::int64_t points = std::stoll(std::string(whole)) * 100;
  if (!fraction.empty()) {
    points += std::stoll(std::string(fraction)) * (fraction.size() == 1 ? 10 : 1);
  }
  if (points > 10000) return std::nullopt;
  return points;
}

std::string PercentText(std::int64_t basis_points) {
  std::string text = std::to_string(basis_points / 100);
  if (const std::int64_t rest = basis_points % 100; rest != 0) {
    text += (rest < 10 ? ".0" : ".") + std::to_string(rest);
    if (text.ends_with('0')) text.pop_back();
  }
  return text + "%";
}

}  // namespace mtasts::spec
