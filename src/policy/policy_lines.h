// Splits a policy body into lines the way RFC 8461 §3.2 defines them: each line ends in LF or
// CRLF, the last terminator is optional, and a bare CR is not a terminator. Internal to the policy
// parser; pure; thread-safe.
#pragma once

#include <string_view>
#include <vector>

namespace mtasts::policy {

enum class LineEnd { kLf, kCrLf, kNone };

struct PolicyLine {
  int number;             // 1-based
  std::string_view text;  // without its terminator
  LineEnd end;
};

// Every line, including empty ones; the empty remainder after a final terminator is not a line.
std::vector<PolicyLine> SplitPolicyLines(std::string_view body);

}  // namespace mtasts::policy
