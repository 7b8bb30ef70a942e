// Vector files in the "mta-sts-vectors/1" format (see the RFC digest, section 10): loading and
// shape-checking, so the runner can trust every case it checks.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace mtasts::conformance {

inline constexpr std::string_view kVectorSchema = "mta-sts-vectors/1";

struct VectorCase {
  std::string name;
  std::string kind;  // txt, policy, mx_match, tlsrpt_txt, tlsrpt_report
  std::string input;
  bool valid = false;
  nlohmann::json expect;                  // an object
  std::optional<nlohmann::json> rrset;    // txt and tlsrpt_txt only: [[string, ...], ...]
  std::optional<nlohmann::json> context;  // policy only
  // Why the case cannot be run, if it is malformed; the runner reports it as a failure.
  std::string malformed;
};

// Reads the file. InvalidArgument (naming the file) if it is unreadable, not JSON, of another
// schema, or has no cases (or no cases array). Malformed cases and duplicate names are marked, not
// fatal.
StatusOr<std::vector<VectorCase>> LoadVectorFile(const std::string& path);

}  // namespace mtasts::conformance
