// Gate 6 (DESIGN §5): when a policy ingests TLS reports (tlsRpt.ingest), enforce waits until the
// reports of the window count at least rollout.minReportedSessions sessions and show a failure
// rate at or under rollout.maxFailureRate. In testing mode senders deliver anyway and report
// what enforce would have refused, so a failure reported now is mail enforce would bounce or
// queue. With the defaults (1%, 0 sessions) a domain no sender reports on is not held.
// Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "spec/mta_sts_policy.h"
#include "tlsrpt/tally.h"

namespace mtasts::controller {

struct ReportVerdict {
  bool passed = true;
  std::string reason;   // "ReportsPass", "AwaitingReports", "ReportedFailures"
  std::string message;  // the sums, and for failures the result types and MX hosts behind them
};

ReportVerdict JudgeReports(const tlsrpt::DomainTally& window, const spec::Rollout& rollout,
                           int window_days);

// The failed sessions of the window that a sender enforcing the policy would not deliver: the
// result types sts-* (the policy could not be fetched or was invalid) and certificate-* (the MX
// certificate failed), starttls-not-supported and validation-failure (RFC 8460 section 4.3).
// While enforcing, more of them is drift (rollout_machine.h).
int64_t PolicyFailures(const tlsrpt::DomainTally& window);

// status.reports: the window's sums, its failure rate ("0.99%", rounded down) and its largest
// failures by result type and by MX (at most 5 each), names made printable.
nlohmann::json ReportsStatus(const tlsrpt::DomainTally& window, int window_days);

}  // namespace mtasts::controller
