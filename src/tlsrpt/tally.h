// What a set of TLS reports says per policy domain: sessions that succeeded and failed, and the
// failed ones by result type and by receiving MX. A report counts once, however often it
// arrives (the same organization-name and report-id: RFC 8460 §4.4, e.g. as a file and again
// inside a mail). Counts saturate instead of overflowing, whatever numbers a report claims.
// Value type; thread-compatible.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "tlsrpt/report.h"

namespace mtasts::tlsrpt {

struct DomainTally {
  int64_t reports = 0;  // reports that name the domain
  int64_t successful = 0;
  int64_t failed = 0;
  std::map<std::string, int64_t> failures_by_result;  // result-type -> failed sessions
  // receiving-mx-hostname (canonical), else receiving-ip, else "(not given)" -> failed sessions
  std::map<std::string, int64_t> failures_by_mx;
};

// Adds one policy's counts (its summary and failure details) to tally; saturating.
void AddPolicyResult(const PolicyResult& policy, DomainTally& tally);

// total + n, or the largest int64_t instead of overflowing (both are non-negative).
void AddSaturating(int64_t& total, int64_t n);
// The result types RFC 8460 section 4.3 defines ("starttls-not-supported", ...,
// "sts-webpki-invalid"); a sender may send others.
const std::vector<std::string_view>& KnownResultTypes();

// Successful plus failed sessions, saturating.
int64_t Sessions(const DomainTally& tally);
// The counts, the largest first (ties in name order).
std::vector<std::pair<std::string, int64_t>> ByCount(const std::map<std::string, int64_t>& counts);
// "certificate-expired 10, starttls-not-supported 2": ByCount's first `limit`, then ", ..." if
// there are more; names made printable (base/printable.h).
std::string CountsText(const std::map<std::string, int64_t>& counts,
                       size_t limit = std::numeric_limits<size_t>::max());

class ReportTally {
 public:
  // Adds report's counts unless a report with the same organization-name and report-id was
  // added before; returns whether it was added.
  bool Add(const Report& report);

  // By policy domain, canonical (lower case, no root dot): senders vary the case.
  const std::map<std::string, DomainTally>& domains() const { return domains_; }
  int64_t reports() const { return static_cast<int64_t>(seen_.size()); }

 private:
  std::set<std::pair<std::string, std::string>> seen_;  // (organization-name, report-id)
  std::map<std::string, DomainTally> domains_;
};

}  // namespace mtasts::tlsrpt
