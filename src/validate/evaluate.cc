#include "validate/evaluate.h"

#include <array>
#include <utility>

namespace mtasts::validate {
namespace {

// The order is the order a domain owner fixes things in: DNS first, then the policy, then each
// MX. Every error-severity finding blocks enforce.
constexpr std::array<Check, 15> kChecks = {
    CheckCompleteness,           // a check cut short proves nothing about what it skipped
    CheckDnsLookups,             // a lookup that failed proves nothing either way
    CheckStsTxt,                 // gate 4: exactly one valid v=STSv1 record
    CheckTlsRptTxt,              // reports tell the owner when senders fail (not a gate)
    CheckMxSet,                  // null MX and implicit MX change what the rest means
    CheckPrivateAddresses,       // addresses public senders cannot reach, probed or not
    CheckPolicyFetch,            // gate 3: 200 at the exact URL, trusted certificate, no redirect
    CheckPolicyHostCertificate,  // I4: warn before the policy host's certificate expires
    CheckPolicyContent,          // gate 3: text/plain and a strictly valid policy
    CheckMaxAge,                 // senders should remember the policy for days, not minutes
    CheckMxCoverage,             // gate 1: every MX host matches an mx pattern
    CheckUnusedPatterns,         // stale patterns keep retired hosts trusted
    CheckMxReachable,            // gate 2: every MX address answers SMTP
    CheckStartTls,               // gate 2: STARTTLS with TLS >= 1.2
    CheckMxCertificates,         // gate 2: trusted, matching, valid for min_cert_validity
};

}  // namespace

Report Evaluate(Observations obs, const CheckOptions& options) {
  Report report;
  report.obs = std::move(obs);
  report.analysis = Analyze(report.obs);
  const Input input{report.obs, report.analysis, options};
  for (Check check : kChecks) check(input, &report.findings);
  report.enforce_ready = !HasError(report.findings);
  return report;
}

}  // namespace mtasts::validate
