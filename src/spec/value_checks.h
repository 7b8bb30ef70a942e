// Checks of single MtaStsPolicy values that a regular expression states poorly; each error says
// what is wrong and how to write the value instead. Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"

namespace mtasts::spec {

// A Policy Domain: lower-case A-labels (RFC 5321 LDH), at least two labels, no wildcard, no
// trailing dot, not an IP address.
Status ValidatePolicyDomain(std::string_view domain);

// An mx pattern (policy::ValidateMxPattern) that is not a wildcard over a whole top-level domain.
Status ValidateSpecMxPattern(std::string_view pattern);

// A duration ParseDuration accepts ("168h", "1h30m").
Status ValidateDuration(std::string_view text);

// A percentage ParsePercent accepts ("1%", "0.5%").
Status ValidatePercent(std::string_view text);

}  // namespace mtasts::spec
