// Diagnostic: one problem found in an MtaStsPolicy document, with its field path and position.
// Value type; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "base/severity.h"

namespace mtasts::spec {

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string path;  // "spec.rollout.testingPeriod", "spec.mx[1]"; empty for the whole document
  int line = 0;      // 1-based; 0 when unknown
  int column = 0;    // 1-based; 0 when unknown
  std::string message;
};

// "12:5: error: spec.maxAge: must be at most 31557600" (position and path only when known).
std::string FormatDiagnostic(const Diagnostic& diagnostic);

bool HasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace mtasts::spec
