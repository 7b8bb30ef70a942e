// Reads I-JSON (RFC 7493) text into nlohmann::json with the checks a hostile report needs: a size
// cap, a nesting-depth cap, and detection of duplicate member names, which nlohmann::json::parse
// would silently resolve to the last one. Internal to the report parser; thread-safe.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace mtasts::tlsrpt {

struct JsonLimits {
  size_t max_bytes;
  int max_depth;
  // false: a duplicate member name is an error. true: the first occurrence wins and each
  // duplicate is described in `warnings`.
  bool allow_duplicates;
};

// InvalidArgument describing the first problem (with line and column for syntax errors).
StatusOr<nlohmann::json> ParseStrictJson(std::string_view text, const JsonLimits& limits,
                                         std::vector<std::string>* warnings);

}  // namespace mtasts::tlsrpt
