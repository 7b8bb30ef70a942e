#include "tlsrpt/tally.h"

#include <limits>

#include "base/strings.h"

namespace mtasts::tlsrpt {
namespace {

void AddTo(int64_t& total, int64_t n) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  total = n > kMax - total ? kMax : total + n;  // both are non-negative (report.h)
}

std::string MxOf(const FailureDetail& d) {
  if (!d.receiving_mx_hostname.empty()) return CanonicalDomain(d.receiving_mx_hostname);
  if (!d.receiving_ip.empty()) return d.receiving_ip;
  return "(not given)";
}

}  // namespace

void AddPolicyResult(const PolicyResult& policy, DomainTally& tally) {
  AddTo(tally.successful, policy.total_successful_session_count);
  AddTo(tally.failed, policy.total_failure_session_count);
  for (const FailureDetail& d : policy.failure_details) {
    AddTo(tally.failures_by_result[d.result_type], d.failed_session_count);
    AddTo(tally.failures_by_mx[MxOf(d)], d.failed_session_count);
  }
}

bool ReportTally::Add(const Report& report) {
  if (!seen_.emplace(report.organization_name, report.report_id).second) return false;
  std::set<std::string> named;
  for (const PolicyResult& policy : report.policies) {
    const std::string domain = CanonicalDomain(policy.policy_domain);
    DomainTally& tally = domains_[domain];
    if (named.insert(domain).second) ++tally.reports;
    AddPolicyResult(policy, tally);
  }
  return true;
}

}  // namespace mtasts::tlsrpt
