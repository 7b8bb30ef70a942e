// The value checks of ParsePolicy, one per standard field (RFC 8461 §3.2). Each reads one value,
// reports its errors and warnings against `line`, and returns what it could read. Internal to the
// policy parser; pure; thread-compatible (the IssueList is the caller's).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/issue.h"
#include "policy/policy_file.h"
#include "policy/policy_lines.h"

namespace mtasts::policy {

void CheckVersion(int line, std::string_view value, IssueList* issues);
std::optional<Mode> ReadMode(int line, std::string_view value, IssueList* issues);
// The seconds when they are 1-10 digits and at most kMaxMaxAge; warns below one day.
std::optional<int64_t> ReadMaxAge(int line, std::string_view value, IssueList* issues);
// Whether `value` is a valid pattern; warns on duplicates of `earlier_mx` and risky patterns.
bool CheckMx(int line, std::string_view value, const std::vector<std::string>& earlier_mx,
             IssueList* issues);
// Warns once if any line ends in LF alone (all LF, or mixed with CRLF).
void CheckLineEndings(const std::vector<PolicyLine>& lines, IssueList* issues);

}  // namespace mtasts::policy
