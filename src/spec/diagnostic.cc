#include "spec/diagnostic.h"

namespace mtasts::spec {

std::string FormatDiagnostic(const Diagnostic& d) {
  std::string out;
  if (d.line > 0) {
    out += std::to_string(d.line) + ":";
    if (d.column > 0) out += std::to_string(d.column) + ":";
    out += " ";
  }
  out += d.severity == Severity::kError ? "error: " : "warning: ";
  if (!d.path.empty()) out += d.path + ": ";
  return out + d.message;
}

bool HasErrors(const std::vector<Diagnostic>& diagnostics) {
  for (const Diagnostic& d : diagnostics) {
    if (d.severity == Severity::kError) return true;
  }
  return false;
}

}  // namespace mtasts::spec
