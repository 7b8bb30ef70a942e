// The checks: small named pure functions, each judging one aspect of a domain from its
// Observations and their Analysis and appending Findings. No check does I/O, reads the clock or
// depends on another check's output, so each is unit-tested on hand-made observations, and the
// operator reuses them as its enforce gates. The ordered list lives in evaluate.cc.
#pragma once

#include <chrono>
#include <string>

#include "validate/analysis.h"
#include "validate/finding.h"
#include "validate/observations.h"

namespace mtasts::validate {

struct CheckOptions {
  // DESIGN §5 gate 2: an MX certificate must stay valid this long to allow enforce.
  std::chrono::hours min_cert_validity{14 * 24};
  // DESIGN I4: warn this long before any certificate expires.
  std::chrono::hours cert_warning{30 * 24};
  // spec §6.3: shorter max_age values make senders refetch constantly and protect little.
  int64_t min_max_age = 86400;
};

struct Input {
  const Observations& obs;
  const Analysis& analysis;
  CheckOptions options;
};

using Check = void (*)(const Input& in, Findings* out);

// The check itself (limit_checks.cc).
void CheckCompleteness(const Input& in, Findings* out);
// DNS (dns_checks.cc).
void CheckDnsLookups(const Input& in, Findings* out);
void CheckStsTxt(const Input& in, Findings* out);
void CheckTlsRptTxt(const Input& in, Findings* out);
void CheckMxSet(const Input& in, Findings* out);
void CheckPrivateAddresses(const Input& in, Findings* out);
// The policy file (policy_checks.cc).
void CheckPolicyFetch(const Input& in, Findings* out);
void CheckPolicyHostCertificate(const Input& in, Findings* out);
void CheckPolicyContent(const Input& in, Findings* out);
void CheckMaxAge(const Input& in, Findings* out);
// MX hosts (mx_checks.cc, mx_tls_checks.cc).
void CheckMxCoverage(const Input& in, Findings* out);
void CheckUnusedPatterns(const Input& in, Findings* out);
void CheckMxReachable(const Input& in, Findings* out);
void CheckStartTls(const Input& in, Findings* out);
void CheckMxCertificates(const Input& in, Findings* out);

}  // namespace mtasts::validate

namespace mtasts::validate {

// Why one MX address would fail a strict sender's checks, in a few words ("" if it passes):
// the per-address verdict shown by the reports, consistent with the checks above.
std::string AddressProblem(const MxHostObservation& host, const SmtpObservation& address,
                           TimePoint now, const CheckOptions& options);

}  // namespace mtasts::validate
