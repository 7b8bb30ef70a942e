// Loading an MtaStsPolicy from YAML: strict, positioned, never throwing.
//
// LoadMtaStsPolicy reports every problem it finds, each with the field path, the line and column,
// and a fix: unknown fields (with a did-you-mean), type errors, missing required fields, enum and
// range violations, bad domain names, mx patterns and report URIs. Defaults are applied exactly as
// the CRD would apply them. Warnings (a short maxAge, a weak wildcard) do not stop loading.
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "spec/diagnostic.h"
#include "spec/mta_sts_policy.h"

namespace mtasts::spec {

struct LoadResult {
  std::optional<MtaStsPolicy> policy;  // set if and only if no diagnostic is an error
  std::vector<Diagnostic> diagnostics;
};

LoadResult LoadMtaStsPolicy(std::string_view yaml);

// The same, for callers that only need the policy: the first error as InvalidArgument.
StatusOr<MtaStsPolicy> ParseMtaStsPolicy(std::string_view yaml);

}  // namespace mtasts::spec
