// Checks of the policy file: how it was served (RFC 8461 §3.3) and what it says (§3.2).
#include <string>
#include <vector>

#include "policy/policy_response.h"
#include "validate/check_text.h"
#include "validate/checks.h"

namespace mtasts::validate {
namespace {

std::string PolicyHost(const Observations& obs) { return "mta-sts." + obs.domain; }

// Why the policy host's certificate fails, in the order a fix should address it.
std::string DescribeWebPkiFailure(const Input& in) {
  const PolicyFetchObservation& fetch = in.obs.policy;
  const std::string host = PolicyHost(in.obs);
  if (fetch.cert) {
    const probe::CertificateVerdict v = probe::JudgeCertificate(*fetch.cert, host, in.obs.now, {});
    if (v.problem != probe::CertificateVerdict::Problem::kNone) return v.detail;
  }
  return "the TLS handshake with " + host + " failed (" + fetch.error + ")";
}

// Whether the response may carry a policy at all: policy::CheckPolicyResponse decides, for the
// probe and for these checks alike.
std::vector<policy::Issue> ResponseIssues(const PolicyFetchObservation& fetch) {
  return policy::CheckPolicyResponse({fetch.http_status, fetch.content_type});
}

void AddFetchError(const Input& in, const std::string& why, Findings* out) {
  out->push_back({FindingCode::kStsPolicyFetchError, Severity::kError, in.obs.policy.url,
                  why + "; senders find no policy, so nothing is enforced"});
}

}  // namespace

void CheckPolicyFetch(const Input& in, Findings* out) {
  const PolicyFetchObservation& fetch = in.obs.policy;
  const std::string host = PolicyHost(in.obs);
  using Failure = PolicyFetchObservation::Failure;
  switch (fetch.failure) {
    case Failure::kResolve:
      AddFetchError(in,
                    host + " does not resolve (" + fetch.error +
                        "); publish an A or AAAA record for it pointing at the policy server",
                    out);
      return;
    case Failure::kResolveTemporary:
      out->push_back({FindingCode::kDnsTemporaryFailure, Severity::kError, host,
                      "the address lookup for " + host + " failed (" + fetch.error +
                          "), so the policy could not be fetched; check that the domain's "
                          "authoritative servers answer, then run the check again"});
      return;
    case Failure::kPrivateAddress:  // CheckPrivateAddresses reports it
    case Failure::kNotFetched:      // CheckCompleteness reports it
      return;
    case Failure::kConnect:
      AddFetchError(in,
                    "could not fetch from " + host + " (" + fetch.error +
                        "); serve HTTPS on port 443 there, with TLS 1.2 or later",
                    out);
      return;
    case Failure::kHttp:
      AddFetchError(in,
                    host + " did not answer HTTP (" + fetch.error +
                        "); serve the policy with a plain HTTP/1.1 server",
                    out);
      return;
    case Failure::kCertificate:
      out->push_back({FindingCode::kStsWebPkiInvalid, Severity::kError, host,
                      DescribeWebPkiFailure(in) + "; senders refuse the policy until it is"});
      return;
    case Failure::kTooLarge:
      AddFetchError(in,
                    "the policy at " + fetch.url + " is larger than 64 KiB (" + fetch.error +
                        "); senders stop reading there: keep it small",
                    out);
      return;
    case Failure::kNone:
      break;
  }
  for (const policy::Issue& issue : ResponseIssues(fetch)) {
    if (issue.code != policy::issue_code::kHttpStatus) continue;  // the rest: CheckPolicyContent
    AddFetchError(in,
                  fetch.url + ": " + issue.message +
                      (fetch.location.empty() ? "" : " (it redirects to " + fetch.location + ")"),
                  out);
  }
}

void CheckPolicyHostCertificate(const Input& in, Findings* out) {
  const PolicyFetchObservation& fetch = in.obs.policy;
  if (fetch.failure != PolicyFetchObservation::Failure::kNone || !fetch.cert) return;
  const probe::CertificateVerdict v =
      probe::JudgeCertificate(*fetch.cert, PolicyHost(in.obs), in.obs.now,
                              {std::chrono::seconds(0), in.options.cert_warning});
  if (v.problem != probe::CertificateVerdict::Problem::kNone ||
      v.expiry == probe::CertificateVerdict::Expiry::kFine) {
    return;
  }
  out->push_back({FindingCode::kCertificateExpiring, Severity::kWarning, PolicyHost(in.obs),
                  v.detail + " before then, or senders stop refreshing the policy"});
}

void CheckPolicyContent(const Input& in, Findings* out) {
  const PolicyFetchObservation& fetch = in.obs.policy;
  const PolicyAnalysis& policy = in.analysis.policy;
  if (!policy.served) return;
  for (const policy::Issue& issue : ResponseIssues(fetch)) {
    if (issue.code == policy::issue_code::kHttpStatus) continue;  // CheckPolicyFetch's
    const bool error = issue.severity == Severity::kError;
    out->push_back({FindingCode::kStsPolicyInvalid, error ? Severity::kError : Severity::kWarning,
                    fetch.url, fetch.url + ": " + issue.message});
  }
  if (!policy.valid) {
    out->push_back({FindingCode::kStsPolicyInvalid, Severity::kError, fetch.url,
                    "the policy at " + fetch.url + " is invalid (" + JoinList(policy.errors, "; ") +
                        "); fix it, or regenerate it with \"mtasts render\""});
  } else if (!policy.warnings.empty()) {
    out->push_back(
        {FindingCode::kStsPolicyInvalid, Severity::kWarning, fetch.url,
         "the policy at " + fetch.url + " is accepted by strict senders, but " +
             JoinList(policy.warnings, "; ") +
             "; some senders read it differently: regenerate it with \"mtasts render\""});
  }
}

void CheckMaxAge(const Input& in, Findings* out) {
  const PolicyAnalysis& policy = in.analysis.policy;
  if (!policy.valid || !policy.max_age || *policy.max_age >= in.options.min_max_age) return;
  out->push_back({FindingCode::kMaxAgeShort, Severity::kWarning, in.obs.policy.url,
                  "max_age is " + std::to_string(*policy.max_age) +
                      " seconds, so senders forget the policy within a day and an attacker "
                      "who strips STARTTLS wins after that; use at least 86400 (1 day) while "
                      "testing and 1209600 (2 weeks) or more when enforcing"});
}

}  // namespace mtasts::validate
