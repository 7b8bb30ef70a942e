// `mtasts check DOMAIN...`: wires the real resolver, policy fetcher and SMTP prober into the
// validate library, checks the domains concurrently and prints the reports.
#include "cli/check_command.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/json_text.h"
#include "base/printable.h"
#include "cli/check_options.h"
#include "cli/command.h"
#include "dns/ares_resolver.h"
#include "probe/policy_fetcher.h"
#include "probe/smtp_prober.h"
#include "probe/tls_client.h"
#include "validate/check_run.h"
#include "validate/probe_sources.h"
#include "validate/report_json.h"
#include "validate/report_text.h"
#include "validate/shared_prober.h"

namespace mtasts::cli {
namespace {

// Progress goes to a terminal only, so pipes and logs carry just the reports.
validate::ProgressFn TerminalProgress(std::ostream& err, bool enabled) {
  if (!enabled) return nullptr;
  return [&err](size_t done, size_t total) {
    err << "\rchecked " << done << "/" << total << " domains" << (done == total ? "\n" : "")
        << std::flush;
  };
}

// Prints each report as it arrives, so memory does not grow with the number of domains.
class ReportPrinter {
 public:
  ReportPrinter(std::ostream& out, bool json, size_t total)
      : out_(out), json_(json), array_(json && total > 1) {}

  void Print(size_t index, const validate::Report& report) {
    any_error_ = any_error_ || validate::HasError(report.findings);
    if (!json_) {
      out_ << (index ? "\n" : "") << validate::ReportToText(report);
      return;
    }
    const std::string text = DumpJson(validate::ReportToJson(report), 2);
    if (!array_) {
      out_ << text;
      return;
    }
    out_ << (index ? ",\n  " : "[\n  ");
    for (char c : text) {  // indented one level, as an element of the array
      out_ << c;
      if (c == '\n') out_ << "  ";
    }
  }

  void Finish() {
    if (json_) out_ << (array_ ? "\n]\n" : "\n");
    out_.flush();
  }
  bool any_error() const { return any_error_; }

 private:
  std::ostream& out_;
  const bool json_;
  const bool array_;
  bool any_error_ = false;
};

int Run(const CheckCommandOptions& options, std::ostream& out, std::ostream& err) {
  const std::chrono::seconds timeout(options.timeout_seconds);
  dns::ResolverOptions dns_options;
  dns_options.servers = options.dns_servers;
  dns_options.timeout = std::min<std::chrono::milliseconds>(timeout, std::chrono::seconds(5));
  dns_options.max_channels = std::max(16, options.concurrency);
  auto resolver = dns::AresResolver::Create(dns_options);
  if (!resolver.ok()) {
    err << "mtasts check: --dns-server: " << Printable(resolver.status().message()) << "\n";
    return kExitUsage;
  }
  auto tls = probe::TlsClient::Create({options.ca_file});
  if (!tls.ok()) {
    err << "mtasts check: --ca-file: " << Printable(tls.status().message()) << "\n";
    return kExitUsage;
  }
  probe::PolicyFetchOptions fetch_options;
  fetch_options.port = static_cast<uint16_t>(options.https_port);
  fetch_options.timeout = timeout;
  // A person checking a domain still wants to see its private MX; the operator refuses them.
  const probe::PrivateAddresses private_addresses = options.allow_private_addresses
                                                        ? probe::PrivateAddresses::kAllow
                                                        : probe::PrivateAddresses::kProbeAndWarn;
  fetch_options.private_addresses = private_addresses;
  probe::SmtpProbeOptions smtp_options;
  smtp_options.port = static_cast<uint16_t>(options.smtp_port);
  smtp_options.connect_timeout = timeout;
  smtp_options.step_timeout = timeout;
  smtp_options.private_addresses = private_addresses;
  const probe::PolicyFetcher fetcher(**resolver, *tls, fetch_options);
  const probe::SmtpProber prober(*tls, smtp_options);

  validate::ProbePolicySource policy_source(fetcher);
  validate::ProbeSmtpSource smtp_source(prober);
  validate::SharedSmtpSource shared(smtp_source);
  validate::SharedAddressResolver shared_dns(**resolver);
  validate::GatherLimits limits;
  limits.deadline = std::chrono::seconds(options.deadline_seconds);
  validate::Gatherer gatherer(shared_dns, policy_source, shared, RealClock::Get(), limits);
  ReportPrinter printer(out, options.json, options.domains.size());
  validate::CheckDomains(
      options.domains, gatherer, {}, options.concurrency,
      [&](size_t i, validate::Report&& r) { printer.Print(i, r); },
      TerminalProgress(err, isatty(STDERR_FILENO) == 1));
  printer.Finish();
  return printer.any_error() ? kExitProblems : kExitOk;
}

}  // namespace

int RunCheckCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto options = ParseCheckOptions(args);
  if (!options.ok()) {
    err << "mtasts check: " << Printable(options.status().message()) << "\n";
    return kExitUsage;
  }
  if (options->help) {
    out << kCheckUsage;
    return kExitOk;
  }
  try {
    return Run(*options, out, err);
  } catch (const std::exception& e) {
    err << "mtasts check: internal error: " << e.what() << "\n";
    return kExitUsage;
  }
}

}  // namespace mtasts::cli
