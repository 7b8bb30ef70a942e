// MX host patterns of an MTA-STS policy (RFC 8461 §3.2 syntax, §4.1 matching).
//
// A pattern is an RFC 5321 domain in A-labels, optionally prefixed by "*." which stands for
// exactly one whole left-most label. Matching is case-insensitive and ignores the single root dot
// an MX target carries. Pure functions, no allocation on the matching path; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace mtasts::policy {

// OK, or InvalidArgument saying what is wrong with the pattern and how to write it instead.
Status ValidateMxPattern(std::string_view pattern);

// Whether MX host `host` (as it comes from DNS: any case, maybe a trailing dot) matches
// `pattern`. Always false when the pattern is invalid.
bool MxPatternMatches(std::string_view pattern, std::string_view host);

// Whether any of `patterns` matches `host`.
bool MxHostCovered(const std::vector<std::string>& patterns, std::string_view host);

// A wildcard over a single label such as "*.com" (RFC 8461 §10.4: avoid over-broad patterns).
bool IsWeakWildcard(std::string_view pattern);

// A dotted quad such as "192.0.2.25": grammatical, but it can never match an MX host name.
bool LooksLikeIpAddress(std::string_view pattern);

}  // namespace mtasts::policy
