// The policy id published in the `_mta-sts` TXT record (RFC 8461 §3.1): 1-32 alphanumerics that
// must change whenever the served policy changes.
//
// MakePolicyId gives "<UTC date-time><8 hex of SHA-256(bytes)>", e.g. "20261128T204000Z1a2b3c4d"
// (24 characters). The hash part makes the id change whenever the bytes change; the time part
// makes it change even when a policy returns to earlier bytes. To keep the id stable while the
// bytes are unchanged, the controller reuses its stored id when IdMatchesContent(stored, bytes)
// holds and calls MakePolicyId only otherwise. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"

namespace mtasts::policy {

// 1-32 ASCII letters and digits.
bool IsValidPolicyId(std::string_view id);

// The first 8 hex digits (lower case) of SHA-256 over `canonical_bytes`.
std::string ContentDigest(std::string_view canonical_bytes);

// "YYYYMMDDTHHMMSSZ" of `now` (UTC, whole seconds) followed by ContentDigest(canonical_bytes).
std::string MakePolicyId(std::string_view canonical_bytes, Clock::TimePoint now);

// Whether `id` was made by MakePolicyId for exactly these bytes (its digest suffix matches).
bool IdMatchesContent(std::string_view id, std::string_view canonical_bytes);

}  // namespace mtasts::policy
