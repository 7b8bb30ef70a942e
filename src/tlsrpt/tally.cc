#include "tlsrpt/tally.h"

#include <algorithm>
#include <limits>

#include "base/printable.h"
#include "base/strings.h"

namespace mtasts::tlsrpt {
namespace {

std::string MxOf(const FailureDetail& d) {
  if (!d.receiving_mx_hostname.empty()) return CanonicalDomain(d.receiving_mx_hostname);
  if (!d.receiving_ip.empty()) return d.receiving_ip;
  return "(not given)";
}

}  // namespace

void AddSaturating(int64_t& total, int64_t n) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  total = n > kMax - total ? kMax : total + n;  // both are non-negative (report.h)
}

int64_t Sessions(const DomainTally& tally) {
  int64_t sessions = tally.successful;
  AddSaturating(sessions, tally.failed);
  return sessions;
}

std::vector<std::pair<std::string, int64_t>> ByCount(const std::map<std::string, int64_t>& counts) {
  std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
  std::ranges::stable_sort(sorted,
                           [](const auto& a, const auto& b) { return a.second > b.second; });
  return sorted;
}

std::string CountsText(const std::map<std::string, int64_t>& counts, size_t limit) {
  const std::vector<std::pair<std::string, int64_t>> sorted = ByCount(counts);
  std::string out;
  for (size_t i = 0; i < sorted.size() && i < limit; ++i) {
    out +=
        (i == 0 ? "" : ", ") + Printable(sorted[i].first) + " " + std::to_string(sorted[i].second);
  }
  if (sorted.size() > limit) out += ", ...";
  return out;
}

const std::vector<std::string_view>& KnownResultTypes() {
  static const std::vector<std::string_view> kTypes = {
      "starttls-not-supported", "certificate-host-mismatch",
      "certificate-expired",    "certificate-not-trusted",
      "validation-failure",     "tlsa-invalid",
      "dnssec-invalid",         "dane-required",
      "sts-policy-fetch-error", "sts-policy-invalid",
      "sts-webpki-invalid"};
  return kTypes;
}

void AddPolicyResult(const PolicyResult& policy, DomainTally& tally) {
  AddSaturating(tally.successful, policy.total_successful_session_count);
  AddSaturating(tally.failed, policy.total_failure_session_count);
  for (const FailureDetail& d : policy.failure_details) {
    AddSaturating(tally.failures_by_result[d.result_type], d.failed_session_count);
    AddSaturating(tally.failures_by_mx[MxOf(d)], d.failed_session_count);
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
