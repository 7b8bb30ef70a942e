#include "policy/issue.h"

namespace mtasts::policy {

std::string FormatIssue(const Issue& issue) {
  std::string out;
  if (issue.line > 0) out = "line " + std::to_string(issue.line) + ": ";
  out += issue.severity == Severity::kError ? "error " : "warning ";
  out += issue.code;
  out += ": ";
  out += issue.message;
  return out;
}

}  // namespace mtasts::policy
