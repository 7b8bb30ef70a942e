#include "policy/policy_lines.h"

namespace mtasts::policy {

std::vector<PolicyLine> SplitPolicyLines(std::string_view body) {
  std::vector<PolicyLine> lines;
  int number = 1;
  while (!body.empty()) {
    size_t lf = body.find('\n');
    if (lf == std::string_view::npos) {
      lines.push_back({number, body, LineEnd::kNone});
      break;
    }
    std::string_view text = body.substr(0, lf);
    LineEnd end = LineEnd::kLf;
    if (text.ends_with('\r')) {
      text.remove_suffix(1);
      end = LineEnd::kCrLf;
    }
    lines.push_back({number++, text, end});
    body.remove_prefix(lf + 1);
  }
  return lines;
}

}  // namespace mtasts::policy
