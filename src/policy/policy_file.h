// The MTA-STS policy file (RFC 8461 §3.2): a strict parser and the canonical renderer.
//
// ParsePolicy reads a response body exactly as a strict sender would (LF or CRLF endings, free
// field order, first occurrence wins for duplicated non-mx fields) and reports every problem with
// its line number and a fix hint. RenderPolicy writes the one canonical form the project serves:
//
//   version: STSv1\r\n  mode: enforce\r\n  mx: <sorted, lower-case, unique>\r\n...  max_age: N\r\n
//   followed by any extensions in the order given.
//
// Pure functions over value types; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "policy/issue.h"

namespace mtasts::policy {

enum class Mode { kEnforce, kTesting, kNone };

// "enforce", "testing", "none".
std::string_view ModeName(Mode mode);
// Exact, case-sensitive (RFC 7405 %s): "Enforce" is not a mode.
std::optional<Mode> ModeFromName(std::string_view name);

inline constexpr int64_t kMaxMaxAge = 31557600;       // 365.25 days, RFC 8461 §3.2
inline constexpr int64_t kShortMaxAge = 86400;        // below one day earns a warning
inline constexpr size_t kMaxPolicyBytes = 64 * 1024;  // what mox and postfix-mta-sts-resolver read

struct Policy {
  std::string version = "STSv1";
  Mode mode = Mode::kTesting;
  int64_t max_age = 0;
  std::vector<std::string> mx;  // as written, in order
  // Unknown fields, first occurrence of each name, in order of appearance.
  std::vector<std::pair<std::string, std::string>> extensions;

  friend bool operator==(const Policy&, const Policy&) = default;
};

using ParsedPolicy = Parsed<Policy>;

// Issue codes. Errors: empty, too_large, not_utf8, bad_line, missing_version, bad_version,
// missing_mode, bad_mode, missing_max_age, bad_max_age, max_age_out_of_range, bad_mx,
// bad_extension, missing_mx. Warnings: lf_line_endings, mixed_line_endings, max_age_zero,
// max_age_short, duplicate_field, duplicate_mx, unknown_field, weak_wildcard, ip_like_mx, key_case.
ParsedPolicy ParsePolicy(std::string_view body);

// The canonical bytes of `policy` (CRLF, version, mode, each mx sorted, lower-cased and
// de-duplicated, max_age, then extensions). InvalidArgument, naming the field and the fix, if the
// policy would not parse back: a bad mx, max_age out of range, no mx outside mode none, an
// extension with a bad name or value or named like a standard field.
StatusOr<std::string> RenderPolicy(const Policy& policy);

// The mx patterns as RenderPolicy writes them: lower-cased, sorted, unique.
std::vector<std::string> CanonicalMxList(const std::vector<std::string>& mx);

}  // namespace mtasts::policy
