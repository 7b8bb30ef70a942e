// The two kinds of file `mtasts` reads, told apart by content, and how their problems are
// printed: one line each, "FILE:LINE[:COLUMN]: error|warning: ...", like a compiler.
// Pure functions and stream output; thread-compatible.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "policy/issue.h"
#include "spec/diagnostic.h"

namespace mtasts::cli {

enum class DocumentKind {
  kPolicyFile,  // a line starts with version:, mode:, mx: or max_age: (RFC 8461 fields)
  kResource,    // anything else: read as an MtaStsPolicy in YAML
};

DocumentKind DetectDocumentKind(std::string_view text);

struct ProblemCount {
  int errors = 0;
  int warnings = 0;
};

ProblemCount PrintDiagnostics(const std::string& file, const std::vector<spec::Diagnostic>& all,
                              std::ostream& err);
ProblemCount PrintIssues(const std::string& file, const std::vector<policy::Issue>& all,
                         std::ostream& err);

}  // namespace mtasts::cli
