#include "validate/check_text.h"

#include <chrono>

namespace mtasts::validate {

std::string JoinList(const std::vector<std::string>& items, const std::string& separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

}  // namespace mtasts::validate
