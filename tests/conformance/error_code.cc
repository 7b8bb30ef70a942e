#include "error_code.h"

#include <map>
#include <regex>
#include <set>
#include <utility>
#include <vector>

namespace mtasts::conformance {
namespace {

// Vector codes the parsers name differently; every other vector code is the issue code itself.
const std::map<std::string, std::set<std::string>>& Aliases() {
  static const auto* aliases = new std::map<std::string, std::set<std::string>>{
      {"not_sts_version_first", {"not_version_first"}},
      {"not_tlsrpt_version_first", {"not_version_first"}},
      {"missing_or_bad_id", {"missing_id", "bad_id"}},
  };
  return *aliases;
}

// The TLS-RPT report parser returns a message, not a code: the vector code is read from what
// the message says, "$1" standing for the field it names.
std::string ReportErrorCode(const std::string& message) {
  static const auto* rules = new std::vector<std::pair<std::regex, std::string>>{
      {std::regex(R"(^JSON: member .* appears twice)"), "duplicate_key"},
      {std::regex(R"(^JSON: )"), "json_syntax"},
      {std::regex(R"(^the report must be a JSON object)"), "bad_type"},
      {std::regex(R"(([a-z-]+)(\[[0-9]+\])?: missing \(a required field\)$)"), "missing_field:$1"},
      {std::regex(R"(([a-z-]+)(\[[0-9]+\])?: (must be an? (object|array|string)|a string, read))"),
       "bad_type:$1"},
      {std::regex(R"(: must be a non-negative integer)"), "bad_count"},
      {std::regex(R"(is not an RFC 3339 date-time|has no UTC offset)"), "bad_datetime"},
      {std::regex(R"(is not an IPv4 or IPv6 address)"), "bad_ip"},
      {std::regex(R"(\.policy-type: )"), "bad_policy_type"},
  };
  for (const auto& [pattern, code] : *rules) {
    std::smatch match;
    if (std::regex_search(message, match, pattern)) return match.format(code);
  }
  return "";
}

}  // namespace

std::string CompareErrorCode(const std::string& kind, const std::string& expected,
                             const Rejection& got) {
  std::string code = kind == "tlsrpt_report" ? ReportErrorCode(got.message) : got.code;
  auto alias = Aliases().find(expected);
  bool same = alias == Aliases().end() ? code == expected : alias->second.count(code) != 0;
  if (same) return "";
  return "expected " + expected + ", got " + (code.empty() ? "no known code" : code) + " (" +
         got.message + ")";
}

}  // namespace mtasts::conformance
