// Severity: how much a problem matters, one scale for parser issues, spec diagnostics and check
// findings. kError makes the input unusable (or a domain not ready to enforce); kWarning is legal
// but risky; kInfo is only worth knowing.
#pragma once

#include <string_view>

namespace mtasts {

enum class Severity { kInfo, kWarning, kError };

// "info", "warning", "error": the spelling used in JSON and messages.
constexpr std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

}  // namespace mtasts
