#include "cli/lint_command.h"

#include <algorithm>

#include "base/args.h"
#include "base/printable.h"
#include "cli/command.h"
#include "cli/document.h"
#include "cli/input.h"
#include "policy/policy_file.h"
#include "spec/load.h"

namespace mtasts::cli {
namespace {

constexpr char kHelp[] = R"(Usage: mtasts lint [--strict] FILE...

Checks files offline and lists every problem with its line. The kind of each file is
detected from its content:
  - an MtaStsPolicy resource (YAML with apiVersion: mtasts.io/v1alpha1): what the API server
    and the operator would refuse (unknown fields, types, limits, the domain, mx patterns,
    report URIs), and legal but risky choices as warnings (a short maxAge, no tlsRpt);
  - an MTA-STS policy file, as served at https://mta-sts.<domain>/.well-known/mta-sts.txt:
    read as a strict sender reads it (RFC 8461 §3.2), with warnings for what some senders
    handle differently (LF line endings, duplicate fields, unknown fields).

Arguments:
  FILE         a file to check, or - for standard input

Options:
  --strict     warnings fail too
  -h, --help   show this help

Output: each problem on standard error as FILE:LINE[:COLUMN]: error|warning: message,
then one summary line per file on standard output ("FILE: ok" or the counts).

Exit status:
  0  no errors (warnings allowed unless --strict)
  1  errors found (or warnings under --strict), or a file is empty, binary or too large
  2  usage error, or a file cannot be read

Examples:
  mtasts lint examples/example-com.yaml
  curl -s https://mta-sts.example.com/.well-known/mta-sts.txt | mtasts lint -
  mtasts lint --strict deploy/*.yaml
)";

constexpr OptionSpec kOptions[] = {{"--strict", false}};

std::string Plural(int n, const char* noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

// Lints one file; returns its exit status.
int LintOne(const std::string& path, bool strict, std::ostream& out, std::ostream& err) {
  auto input = ReadTextInput(path);
  if (!input.ok()) {
    err << "mtasts lint: " << Printable(input.status().message()) << "\n";
    return ExitStatusFor(input.status());
  }
  ProblemCount count;
  const char* kind = "MtaStsPolicy";
  if (DetectDocumentKind(input->text) == DocumentKind::kResource) {
    count = PrintDiagnostics(input->name, spec::LoadMtaStsPolicy(input->text).diagnostics, err);
  } else {
    kind = "policy file";
    count = PrintIssues(input->name, policy::ParsePolicy(input->text).issues, err);
  }
  out << Printable(input->name) << ": ";
  if (count.errors + count.warnings == 0) {
    out << "ok (" << kind << ")\n";
  } else {
    out << Plural(count.errors, "error") << ", " << Plural(count.warnings, "warning") << " ("
        << kind << ")\n";
  }
  return count.errors > 0 || (strict && count.warnings > 0) ? kExitProblems : kExitOk;
}

}  // namespace

int RunLintCommand(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  auto args = ParseArgs(argv, kOptions);
  if (!args.ok()) {
    err << "mtasts lint: " << args.status().message() << "\n";
    return kExitUsage;
  }
  if (args->help) {
    out << kHelp;
    return kExitOk;
  }
  if (args->positional.empty()) {
    err << "mtasts lint: expected at least one FILE (or - for standard input); see --help\n";
    return kExitUsage;
  }
  int status = kExitOk;
  for (const std::string& path : args->positional) {
    status = std::max(status, LintOne(path, args->Has("--strict"), out, err));
  }
  return status;
}

}  // namespace mtasts::cli
