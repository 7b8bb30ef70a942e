// Checks of the MX set against the policy's mx patterns (RFC 8461 §4.1) and of reachability.
#include <string>

#include "validate/check_text.h"
#include "validate/checks.h"

namespace mtasts::validate {
namespace {

// "*.example.com" for "mx2.example.com": the parent wildcard a fix may use.
std::string ParentWildcard(const std::string& host) {
  const auto dot = host.find('.');
  if (dot == std::string::npos || host.find('.', dot + 1) == std::string::npos) return "";
  return "*" + host.substr(dot);
}

}  // namespace

void CheckMxCoverage(const Input& in, Findings* out) {
  const PolicyAnalysis& policy = in.analysis.policy;
  if (!policy.valid || in.analysis.null_mx) return;
  for (size_t i = 0; i < in.obs.mx_hosts.size(); ++i) {
    if (in.analysis.mx_covered[i]) continue;
    const MxEntry& mx = in.obs.mx_hosts[i].mx;
    std::string fix = "add \"mx: " + mx.host + "\"";
    if (const std::string wildcard = ParentWildcard(mx.host); !wildcard.empty()) {
      fix += " or \"mx: " + wildcard + "\"";
    }
    const std::string what = in.obs.implicit_mx ? " (the implicit MX)"
                                                : " (priority " + std::to_string(mx.priority) + ")";
    out->push_back({FindingCode::kValidationFailure, Severity::kError, mx.host,
                    mx.host + what + " is not covered by any mx pattern; " + fix +
                        " to the policy, or senders in enforce mode refuse to deliver to it"});
  }
}

void CheckUnusedPatterns(const Input& in, Findings* out) {
  const PolicyAnalysis& policy = in.analysis.policy;
  if (!policy.valid || in.analysis.null_mx || in.obs.mx_lookup != Lookup::kFound) return;
  for (size_t i = 0; i < policy.mx_patterns.size(); ++i) {
    if (in.analysis.pattern_used[i]) continue;
    const std::string& pattern = policy.mx_patterns[i];
    out->push_back({FindingCode::kMxPatternUnused, Severity::kWarning, pattern,
                    "the mx pattern \"" + pattern + "\" matches none of the MX hosts of " +
                        in.obs.domain +
                        "; remove it, or it lets a host you no longer run receive mail"});
  }
}

void CheckMxReachable(const Input& in, Findings* out) {
  for (const MxHostObservation& host : in.obs.mx_hosts) {
    if (host.mx.host.empty()) continue;
    if (host.address_lookup == Lookup::kNoRecords) {
      out->push_back({FindingCode::kMxUnreachable, Severity::kError, host.mx.host,
                      "the MX host " + host.mx.host + " has no A or AAAA record (" +
                          host.address_error + "); publish its address or remove the MX"});
      continue;
    }
    for (const SmtpObservation& address : host.addresses) {
      if (address.connected || address.refused) continue;  // refused: CheckPrivateAddresses
      out->push_back({FindingCode::kMxUnreachable, Severity::kError, address.ip,
                      "no SMTP service at " + address.ip + " (" + host.mx.host + "): " +
                          address.error + "; make the MX answer on port 25 or remove the address"});
    }
  }
}

}  // namespace mtasts::validate
