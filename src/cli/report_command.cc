#include "cli/report_command.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

#include "base/args.h"
#include "base/json_text.h"
#include "base/printable.h"
#include "cli/command.h"
#include "cli/input.h"
#include "tlsrpt/gunzip.h"
#include "tlsrpt/mail_message.h"
#include "tlsrpt/read.h"
#include "tlsrpt/tally.h"

namespace mtasts::cli {
namespace {

constexpr char kHelp[] = R"(Usage: mtasts report [--json] [--strict] FILE...

Reads SMTP TLS reports (RFC 8460) as they are saved from the mail that brought them, and
sums them per policy domain: sessions, failed sessions, failures by result type and by
receiving MX. Each FILE is one of:
  - a report as JSON (.json),
  - a gzip-compressed report (.json.gz, .gz),
  - a whole mail message (.eml) with reports attached (application/tlsrpt+gzip or
    application/tlsrpt+json parts, or attachments named *.json or *.json.gz).
A report seen twice (the same organization-name and report-id, e.g. once as a file and
once inside a mail) counts once. Nothing is contacted.

Arguments:
  FILE         a file to read, or - for standard input

Options:
  --json       the sums and each file's outcome as one JSON object
  --strict     refuse reports with the quirks some senders have (a date-time without a
               zone, an empty sending-mta-ip, a missing optional field); by default they
               are read and each quirk is shown as a warning
  -h, --help   show this help

Limits: a file of at most 16 MiB; a report inflates to at most 10 MiB.

Output: warnings and refusals on standard error as FILE: warning|refused: message; the sums
on standard output, one block per policy domain, then one summary line.

Exit status:
  0  every file was read
  1  a file or a report in it was refused as bad input (the others still count)
  2  usage error, or a file cannot be read

Examples:
  mtasts report ~/Mail/tlsrpt/*.eml
  mtasts report --json google.com!example.com!1700000000!1700086400.json.gz
)";

constexpr OptionSpec kOptions[] = {{"--json", false}, {"--strict", false}};
constexpr std::size_t kMaxFileBytes = 16 << 20;

struct FileOutcome {
  std::string name;
  int64_t reports = 0;
  int64_t repeated = 0;
  std::vector<std::string> warnings;
  std::vector<std::string> refusals;
};

// The reports a file holds, undecoded: the file itself when it is gzip or JSON, else the
// report attachments of the mail message it is.
StatusOr<std::vector<std::string>> ReportBytes(const std::string& bytes) {
  const size_t first = bytes.find_first_not_of(" \t\r\n");
  if (tlsrpt::LooksGzipped(bytes) || (first != std::string::npos && bytes[first] == '{')) {
    return std::vector<std::string>{bytes};
  }
  ASSIGN_OR_RETURN(std::vector<tlsrpt::Attachment> attachments, tlsrpt::ReportsInMessage(bytes));
  std::vector<std::string> out;
  for (tlsrpt::Attachment& a : attachments) out.push_back(std::move(a.bytes));
  return out;
}

// Reads one file into tally; the exit status it earns.
int ReadOne(const std::string& path, bool strict, tlsrpt::ReportTally& tally, FileOutcome& o) {
  StatusOr<Input> input = ReadBytesInput(path, kMaxFileBytes);
  if (!input.ok()) {
    o.refusals.emplace_back(input.status().message());
    return ExitStatusFor(input.status());
  }
  StatusOr<std::vector<std::string>> reports = ReportBytes(input->text);
  if (!reports.ok()) {
    o.refusals.emplace_back(reports.status().message());
    return kExitProblems;
  }
  const auto mode = strict ? tlsrpt::ReportParseMode::kStrict : tlsrpt::ReportParseMode::kTolerant;
  for (size_t i = 0; i < reports->size(); ++i) {
    const std::string where = reports->size() > 1 ? "report " + std::to_string(i + 1) + ": " : "";
    StatusOr<tlsrpt::ParsedReport> parsed = tlsrpt::ReadReport((*reports)[i], mode);
    if (!parsed.ok()) {
      o.refusals.push_back(where + std::string(parsed.status().message()));
      continue;
    }
    for (const std::string& w : parsed->warnings) o.warnings.push_back(where + w);
    ++(tally.Add(parsed->report) ? o.reports : o.repeated);
  }
  return o.refusals.empty() ? kExitOk : kExitProblems;
}

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.2f%%",
                100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return text;
}

void PrintText(const tlsrpt::ReportTally& tally, const std::vector<FileOutcome>& files,
               std::ostream& out) {
  for (const auto& [domain, d] : tally.domains()) {
    const int64_t sessions = tlsrpt::Sessions(d);
    out << Printable(domain) << ": " << d.reports << (d.reports == 1 ? " report, " : " reports, ")
        << sessions << " sessions, " << d.failed << " failed (" << Percent(d.failed, sessions)
        << ")\n";
    if (!d.failures_by_result.empty()) {
      out << "  failures by result: " << tlsrpt::CountsText(d.failures_by_result) << "\n";
      out << "  failures by MX:     " << tlsrpt::CountsText(d.failures_by_mx) << "\n";
    }
  }
  int64_t repeated = 0;
  int64_t refused = 0;
  for (const FileOutcome& f : files) {
    repeated += f.repeated;
    refused += f.refusals.empty() ? 0 : 1;
  }
  out << files.size() << (files.size() == 1 ? " file: " : " files: ") << tally.reports()
      << (tally.reports() == 1 ? " report" : " reports");
  if (repeated > 0) out << " (" << repeated << " seen before, counted once)";
  if (refused > 0) out << "; " << refused << (refused == 1 ? " file" : " files") << " refused";
  out << "\n";
}

nlohmann::json JsonOf(const tlsrpt::ReportTally& tally, const std::vector<FileOutcome>& files) {
  nlohmann::json domains = nlohmann::json::object();
  for (const auto& [domain, d] : tally.domains()) {
    domains[domain] = {{"reports", d.reports},
                       {"successfulSessions", d.successful},
                       {"failedSessions", d.failed},
                       {"failuresByResult", d.failures_by_result},
                       {"failuresByMx", d.failures_by_mx}};
  }
  nlohmann::json outcomes = nlohmann::json::array();
  for (const FileOutcome& f : files) {
    outcomes.push_back({{"file", f.name},
                        {"reports", f.reports},
                        {"seenBefore", f.repeated},
                        {"warnings", f.warnings},
                        {"refused", f.refusals}});
  }
  return PrintableJson({{"files", outcomes}, {"domains", domains}});
}

}  // namespace

int RunReportCommand(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  auto args = ParseArgs(argv, kOptions);
  if (!args.ok()) {
    err << "mtasts report: " << args.status().message() << "\n";
    return kExitUsage;
  }
  if (args->help) {
    out << kHelp;
    return kExitOk;
  }
  if (args->positional.empty()) {
    err << "mtasts report: expected at least one FILE (or - for standard input); see --help\n";
    return kExitUsage;
  }
  tlsrpt::ReportTally tally;
  std::vector<FileOutcome> files;
  int status = kExitOk;
  for (const std::string& path : args->positional) {
    FileOutcome& o = files.emplace_back();
    o.name = path == "-" ? "<stdin>" : path;
    status = std::max(status, ReadOne(path, args->Has("--strict"), tally, o));
    for (const std::string& w : o.warnings) {
      err << Printable(o.name) << ": warning: " << Printable(w) << "\n";
    }
    for (const std::string& r : o.refusals) {
      err << Printable(o.name) << ": refused: " << Printable(r) << "\n";
    }
  }
  if (args->Has("--json")) {
    out << DumpJson(JsonOf(tally, files), 2) << "\n";
  } else {
    PrintText(tally, files, out);
  }
  return status;
}

}  // namespace mtasts::cli
