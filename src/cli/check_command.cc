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

void Print(const std::vector<validate::Report>& reports, bool json, std::ostream& out) {
  if (json) {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& r : reports) all.push_back(validate::ReportToJson(r));
    out << (reports.size() == 1 ? all[0] : all).dump(2) << "\n";
    return;
  }
  for (size_t i = 0; i < reports.size(); ++i) {
    out << (i ? "\n" : "") << validate::ReportToText(reports[i]);
  }
}

int Run(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  const std::chrono::seconds timeout(options.timeout_seconds);
  dns::ResolverOptions dns_options;
  dns_options.servers = options.dns_servers;
  dns_options.timeout = std::min<std::chrono::milliseconds>(timeout, std::chrono::seconds(5));
  dns_options.max_channels = std::max(16, options.concurrency);
  auto resolver = dns::AresResolver::Create(dns_options);
  if (!resolver.ok()) {
    err << "mtasts check: --dns-server: " << resolver.status().message() << "\n";
    return kExitUsage;
  }
  auto tls = probe::TlsClient::Create({options.ca_file});
  if (!tls.ok()) {
    err << "mtasts check: --ca-file: " << tls.status().message() << "\n";
    return kExitUsage;
  }
  probe::PolicyFetchOptions fetch_options;
  fetch_options.port = static_cast<uint16_t>(options.https_port);
  fetch_options.timeout = timeout;
  probe::SmtpProbeOptions smtp_options;
  smtp_options.port = static_cast<uint16_t>(options.smtp_port);
  smtp_options.connect_timeout = timeout;
  smtp_options.step_timeout = timeout;
  const probe::PolicyFetcher fetcher(**resolver, *tls, fetch_options);
  const probe::SmtpProber prober(*tls, smtp_options);

  validate::ProbePolicyFetcher policy_source(fetcher);
  validate::ProbeSmtpProber smtp_source(prober);
  validate::SharedSmtpProber shared(smtp_source);
  validate::Gatherer gatherer(**resolver, policy_source, shared, RealClock::Get());
  const auto reports = validate::CheckDomains(options.domains, gatherer, {}, options.concurrency,
                                              TerminalProgress(err, isatty(STDERR_FILENO) == 1));
  Print(reports, options.json, out);
  const bool any_error = std::any_of(reports.begin(), reports.end(),
                                     [](const auto& r) { return validate::HasError(r.findings); });
  return any_error ? kExitProblems : kExitOk;
}

}  // namespace

int RunCheckCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  auto options = ParseCheckOptions(args);
  if (!options.ok()) {
    err << "mtasts check: " << options.status().message() << "\n";
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
