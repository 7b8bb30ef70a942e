#include "spec/duration.h"

#include <cstdint>

#include "policy/syntax.h"

namespace mtasts::spec {

std::optional<std::chrono::seconds> ParseDuration(std::string_view text) {
  constexpr std::int64_t kMaxSeconds = std::chrono::seconds(kMaxDuration).count();
  if (text.empty()) return std::nullopt;
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t number = 0;
    const std::size_t start = i;
    for (; i < text.size() && policy::IsDigit(text[i]); ++i) {
      number = number * 10 + (text[i] - '0');
      if (number > kMaxSeconds) return std::nullopt;  // also keeps the sum from overflowing
    }
    if (i == start || i == text.size()) return std::nullopt;
    switch (text[i++]) {
      case 'h':
        total += number * 3600;
        break;
      case 'm':
        total += number * 60;
        break;
      case 's':
        total += number;
        break;
      default:
        return std::nullopt;
    }
    if (total > kMaxSeconds) return std::nullopt;
  }
  return std::chrono::seconds(total);
}

}  // namespace mtasts::spec
