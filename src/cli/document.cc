#include "cli/document.h"

#include "base/printable.h"

namespace mtasts::cli {
namespace {

void Count(Severity severity, ProblemCount& count) {
  (severity == Severity::kError ? count.errors : count.warnings)++;
}

}  // namespace

DocumentKind DetectDocumentKind(std::string_view text) {
  // A policy file has lines starting with its field names; a resource never does (its fields
  // are apiVersion, kind, metadata, spec). Anything else is read as YAML, whose errors say more.
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    for (std::string_view key : {"version:", "mode:", "mx:", "max_age:"}) {
      if (line.starts_with(key)) return DocumentKind::kPolicyFile;
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return DocumentKind::kResource;
}

ProblemCount PrintDiagnostics(const std::string& file, const std::vector<spec::Diagnostic>& all,
                              std::ostream& err) {
  ProblemCount count;
  for (const spec::Diagnostic& d : all) {
    // Field names and values come from the file: shown, never passed raw to the terminal.
    err << Printable(file + (d.line > 0 ? ":" : ": ") + spec::FormatDiagnostic(d)) << "\n";
    Count(d.severity, count);
  }
  return count;
}

ProblemCount PrintIssues(const std::string& file, const std::vector<policy::Issue>& all,
                         std::ostream& err) {
  ProblemCount count;
  for (const policy::Issue& issue : all) {
    err << Printable(file + ":" + (issue.line > 0 ? std::to_string(issue.line) + ": " : " ") +
                     (issue.severity == Severity::kError ? "error: " : "warning: ") +
                     issue.message + " [" + issue.code + "]")
        << "\n";
    Count(issue.severity, count);
  }
  return count;
}

}  // namespace mtasts::cli
