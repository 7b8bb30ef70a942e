#include "cli/report_command.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/args.h"
#include "base/json_text.h"
#include "base/printable.h"
#include "cli/command.h"
#include "cli/input.h"
#include "cli/report_poster.h"
#include "tlsrpt/gunzip.h"
#include "tlsrpt/mail_message.h"
#include "tlsrpt/read.h"
#include "tlsrpt/tally.h"

namespace mtasts::cli {
namespace {

constexpr char kHelp[] =
    R"(Usage: mtasts report [--json] [--strict] [--post URL [--ca-file FILE]] FILE...

Reads SMTP TLS reports (RFC 8460) as they are saved from the mail that brought them, and
sums them per policy domain: sessions, failed sessions, failures by result type and by
receiving MX. Each FILE is one of:
  - a report as JSON (.json),
  - a gzip-compressed report (.json.gz, .gz),
  - a whole mail message (.eml) with reports attached (application/tlsrpt+gzip or
    application/tlsrpt+json parts, or attachments named *.json or *.json.gz).
A report seen twice (the same organization-name and report-id, e.g. once as a file and
once inside a mail) counts once. Nothing is contacted, unless --post says where to forward
the reports.

Arguments:
  FILE         a file to read, or - for standard input

Options:
  --json       the sums and each file's outcome as one JSON object
  --strict     refuse reports with the quirks some senders have (a date-time without a
               zone, an empty sending-mta-ip, a missing optional field); by default they
               are read and each quirk is shown as a warning
  --post URL   also forward each report read to the TLS-RPT intake at URL (http:// or
               https://), as a sender does (RFC 8460 section 3): one POST per report, counted
               once like the sums, its bytes as they arrived (the attachment, for a mail),
               Content-Type application/tlsrpt+gzip or application/tlsrpt+json. https needs
               TLS 1.2 or later and a certificate for the URL's host that chains to the
               system's trust store. The host is looked up by the system's resolver.
               Timeouts: 10 s to connect (TLS handshake included), 30 s to send a report,
               30 s for the answer
  --ca-file FILE
               with --post https://: trust only the CA certificates in FILE (PEM) instead
               of the system's trust store
  -h, --help   show this help

Limits: a file of at most 16 MiB; a report inflates to at most 10 MiB.

Output: warnings and refusals on standard error as FILE: warning|refused: message, and with
--post each report's answer as FILE: posted|not posted: STATUS REASON (the intake's status code
and its one-line reason, or why it could not be reached); the sums on standard output, one
block per policy domain, then one summary line.

Exit status:
  0  every file was read
  1  a file or a report in it was refused as bad input (the others still count), or with
     --post the intake did not accept a report (a 4xx refusal, a 5xx failure, a
     redirect, which is not followed) or could not be reached
  2  usage error, or a file cannot be read

Examples:
  mtasts report ~/Mail/tlsrpt/*.eml
  mtasts report --json google.com!example.com!1700000000!1700086400.json.gz
  mtasts report --post https://mta-sts.example.com/tlsrpt ~/Mail/tlsrpt/*.eml
  # a mailbox rule (procmail, sieve's pipe, .forward) hands each report mail over:
  mtasts report --post https://mta-sts.example.com/tlsrpt -
)";

constexpr OptionSpec kOptions[] = {
    {"--json", false}, {"--strict", false}, {"--post", true}, {"--ca-file", true}};
constexpr std::size_t kMaxFileBytes = 16 << 20;

struct Posted {
  std::string where;  // "" or "report 2"
  PostOutcome outcome;
};

struct FileOutcome {
  std::string name;
  int64_t reports = 0;
  int64_t repeated = 0;
  std::vector<std::string> warnings;
  std::vector<std::string> refusals;
  std::vector<Posted> posted;  // with --post: each report counted here, as the intake answered
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

// Reads one file into tally, and forwards each report it counts when there is a poster; the exit
// status it earns.
int ReadOne(const std::string& path, bool strict, const ReportPoster* poster,
            tlsrpt::ReportTally& tally, FileOutcome& o) {
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
    const std::string report = reports->size() > 1 ? "report " + std::to_string(i + 1) : "";
    const std::string where = report.empty() ? "" : report + ": ";
    StatusOr<tlsrpt::ParsedReport> parsed = tlsrpt::ReadReport((*reports)[i], mode);
    if (!parsed.ok()) {
      o.refusals.push_back(where + std::string(parsed.status().message()));
      continue;
    }
    for (const std::string& w : parsed->warnings) o.warnings.push_back(where + w);
    if (!tally.Add(parsed->report)) {
      ++o.repeated;
      continue;
    }
    ++o.reports;
    if (poster != nullptr) o.posted.push_back({report, poster->Post((*reports)[i])});
  }
  const bool all_posted = std::all_of(o.posted.begin(), o.posted.end(),
                                      [](const Posted& p) { return p.outcome.accepted(); });
  return o.refusals.empty() && all_posted ? kExitOk : kExitProblems;
}

// One file's warnings, refusals and answers of the intake, a line each.
void PrintFileLines(const FileOutcome& o, std::ostream& err) {
  const std::string name = Printable(o.name);
  for (const std::string& w : o.warnings) err << name << ": warning: " << Printable(w) << "\n";
  for (const std::string& r : o.refusals) err << name << ": refused: " << Printable(r) << "\n";
  for (const Posted& p : o.posted) {
    err << name << (p.outcome.accepted() ? ": posted: " : ": not posted: ")
        << (p.where.empty() ? "" : p.where + ": ");
    if (p.outcome.status != 0) err << p.outcome.status << " ";
    err << Printable(p.outcome.reason) << "\n";
  }
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
  int64_t posted = 0;
  int64_t not_posted = 0;
  for (const FileOutcome& f : files) {
    repeated += f.repeated;
    refused += f.refusals.empty() ? 0 : 1;
    for (const Posted& p : f.posted) ++(p.outcome.accepted() ? posted : not_posted);
  }
  out << files.size() << (files.size() == 1 ? " file: " : " files: ") << tally.reports()
      << (tally.reports() == 1 ? " report" : " reports");
  if (repeated > 0) out << " (" << repeated << " seen before, counted once)";
  if (refused > 0) out << "; " << refused << (refused == 1 ? " file" : " files") << " refused";
  if (posted + not_posted > 0) out << "; " << posted << " posted";
  if (not_posted > 0) out << ", " << not_posted << " not posted";
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
    nlohmann::json posted = nlohmann::json::array();
    for (const Posted& p : f.posted) {
      posted.push_back({{"report", p.where},
                        {"accepted", p.outcome.accepted()},
                        {"status", p.outcome.status},
                        {"reason", p.outcome.reason}});
    }
    outcomes.push_back({{"file", f.name},
                        {"reports", f.reports},
                        {"seenBefore", f.repeated},
                        {"warnings", f.warnings},
                        {"refused", f.refusals},
                        {"posted", posted}});
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
  std::optional<ReportPoster> poster;
  if (args->Has("--post")) {
    StatusOr<ReportPoster> created =
        ReportPoster::Create(args->Value("--post"), args->Value("--ca-file"));
    if (!created.ok()) {
      err << "mtasts report: --post " << Printable(args->Value("--post")) << ": "
          << Printable(created.status().message()) << "\n";
      return kExitUsage;
    }
    poster = std::move(*created);
  } else if (args->Has("--ca-file")) {
    err << "mtasts report: --ca-file applies to --post https://...; see --help\n";
    return kExitUsage;
  }
  tlsrpt::ReportTally tally;
  std::vector<FileOutcome> files;
  int status = kExitOk;
  for (const std::string& path : args->positional) {
    FileOutcome& o = files.emplace_back();
    o.name = path == "-" ? "<stdin>" : path;
    status = std::max(status,
                      ReadOne(path, args->Has("--strict"), poster ? &*poster : nullptr, tally, o));
    PrintFileLines(o, err);
  }
  if (args->Has("--json")) {
    out << DumpJson(JsonOf(tally, files), 2) << "\n";
  } else {
    PrintText(tally, files, out);
  }
  return status;
}

}  // namespace mtasts::cli
