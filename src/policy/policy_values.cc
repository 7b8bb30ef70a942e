// The value checks of ParsePolicy, one per standard field (RFC 8461 §3.2).
#include "policy/policy_values.h"

#include <string>

#include "policy/mx_pattern.h"
#include "policy/syntax.h"

namespace mtasts::policy {

void CheckVersion(int line, std::string_view value, IssueList* issues) {
  if (value != "STSv1") {
    issues->Error(line, "bad_version",
                  "version is " + Quote(value) + "; write \"version: STSv1\" (case-sensitive)");
  }
}

std::optional<Mode> ReadMode(int line, std::string_view value, IssueList* issues) {
  if (std::optional<Mode> mode = ModeFromName(value)) return mode;
  std::string hint = "use enforce, testing or none";
  if (ModeFromName(AsciiLowercase(value))) {
    hint = "modes are case-sensitive; write it in lower case";
  }
  if (value == "report") hint = "\"report\" is from a draft; use testing";
  issues->Error(line, "bad_mode", "mode " + Quote(value) + " is not a mode; " + hint);
  return std::nullopt;
}

std::optional<int64_t> ReadMaxAge(int line, std::string_view value, IssueList* issues) {
  bool digits = !value.empty() && value.size() <= 10;
  for (char c : value) digits = digits && IsDigit(c);
  if (!digits) {
    issues->Error(line, "bad_max_age",
                  "max_age " + Quote(value) +
                      " is not a number of seconds; write 1-10 digits, e.g. \"max_age: 604800\"");
    return std::nullopt;
  }
  int64_t seconds = 0;
  for (char c : value) seconds = seconds * 10 + (c - '0');
  if (seconds > kMaxMaxAge) {
    issues->Error(line, "max_age_out_of_range",
                  "max_age " + std::string(value) + " is more than the maximum " +
                      std::to_string(kMaxMaxAge) + " (365.25 days); lower it");
    return std::nullopt;
  }
  if (seconds == 0) {
    issues->Warning(line, issue_code::kMaxAgeZero,
                    "max_age 0 tells senders not to cache the policy, and some (chasquid) "
                    "reject it; use at least 86400");
  } else if (seconds < kShortMaxAge) {
    issues->Warning(line, issue_code::kMaxAgeShort,
                    "max_age " + std::string(value) +
                        " is under one day; senders refetch constantly and some cache it as "
                        "86400 anyway; use weeks once the policy is stable");
  }
  return seconds;
}

bool CheckMx(int line, std::string_view value, const std::vector<std::string>& earlier_mx,
             IssueList* issues) {
  if (Status s = ValidateMxPattern(value); !s.ok()) {
    issues->Error(line, "bad_mx", s.message());
    return false;
  }
  for (const std::string& earlier : earlier_mx) {
    if (AsciiEqualsIgnoreCase(earlier, value)) {
      issues->Warning(line, "duplicate_mx", "mx " + Quote(value) + " is listed twice");
      break;
    }
  }
  if (IsWeakWildcard(value)) {
    issues->Warning(line, "weak_wildcard",
                    "mx " + Quote(value) +
                        " covers every host under a top-level name (RFC 8461 §10.4); list your "
                        "MX hosts or a wildcard under your own domain");
  } else if (LooksLikeIpAddress(value)) {
    issues->Warning(line, "ip_like_mx",
                    "mx " + Quote(value) +
                        " looks like an IP address, which never matches an MX host name; use "
                        "the host name the MX record points to");
  }
  return true;
}

void CheckLineEndings(const std::vector<PolicyLine>& lines, IssueList* issues) {
  const PolicyLine* first_lf = nullptr;
  bool crlf = false;
  for (const PolicyLine& line : lines) {
    if (line.end == LineEnd::kLf && first_lf == nullptr) first_lf = &line;
    if (line.end == LineEnd::kCrLf) crlf = true;
  }
  if (first_lf == nullptr) return;
  if (crlf) {
    issues->Warning(first_lf->number, "mixed_line_endings",
                    "some lines end in LF, others in CRLF; end every line with CRLF");
  } else {
    issues->Warning(first_lf->number, "lf_line_endings",
                    "lines end in LF; RFC 8461's prose says CRLF, and CRLF satisfies every "
                    "reading, so prefer CRLF");
  }
}

}  // namespace mtasts::policy
