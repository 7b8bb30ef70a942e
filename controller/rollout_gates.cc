#include "controller/rollout_gates.h"

#include <algorithm>

#include "base/printable.h"
#include "policy/mx_pattern.h"
#include "policy/policy_id.h"

namespace mtasts::controller {

using validate::FindingCode;

GateRun GateRunOf(const validate::Report& report, const std::string& bytes, const std::string& id) {
  GateRun run{report.obs.now, report.findings, {}};
  for (const validate::MxHostObservation& host : report.obs.mx_hosts) {
    if (!host.mx.host.empty()) run.live_mx_hosts.push_back(host.mx.host);
  }
  const validate::RecordAnalysis& sts = report.analysis.sts;
  if (sts.valid && sts.id != id) {
    const std::string& name = report.obs.sts_txt.name;
    run.findings.push_back({FindingCode::kStsTxtInvalid, Severity::kError, name,
                            name + " announces id " + Printable(sts.id) + ", not " + id +
                                ", the id of the policy served now; wait for the DNS provider, "
                                "or remove a record another writer keeps there"});
  }
  if (report.analysis.policy.served && report.obs.policy.body != bytes) {
    const std::string& url = report.obs.policy.url;
    run.findings.push_back({FindingCode::kStsPolicyInvalid, Severity::kError, url,
                            url + " serves a policy with digest " +
                                policy::ContentDigest(report.obs.policy.body) + ", not " +
                                policy::ContentDigest(bytes) +
                                ", the one announced; a serve endpoint or a cache in front of "
                                "it still serves other bytes"});
  }
  return run;
}

Gate GateOf(FindingCode code) {
  switch (code) {
    case FindingCode::kValidationFailure:
    case FindingCode::kMxAddressPrivate:
    case FindingCode::kMxUnreachable:
    case FindingCode::kStartTlsNotSupported:
    case FindingCode::kTlsVersionTooOld:
    case FindingCode::kCertificateHostMismatch:
    case FindingCode::kCertificateExpired:
    case FindingCode::kCertificateNotTrusted:
    case FindingCode::kCertificateExpiring:
    case FindingCode::kMxNull:
    case FindingCode::kMxMissing:
      return Gate::kMx;
    case FindingCode::kStsTxtMissing:
    case FindingCode::kStsTxtInvalid:
    case FindingCode::kStsTxtMultiple:
    case FindingCode::kPolicyAddressPrivate:
    case FindingCode::kStsPolicyFetchError:
    case FindingCode::kStsWebPkiInvalid:
    case FindingCode::kStsPolicyInvalid:
      return Gate::kPublication;
    case FindingCode::kCheckIncomplete:
    case FindingCode::kDnsTemporaryFailure:
      return Gate::kUnproven;
    case FindingCode::kTlsRptTxtMissing:
    case FindingCode::kTlsRptTxtInvalid:
    case FindingCode::kMaxAgeShort:
    case FindingCode::kMxPatternUnused:
      return Gate::kNone;
  }
  return Gate::kNone;
}

std::optional<FindingCode> FindingCodeNamed(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(FindingCode::kCertificateExpiring); ++i) {
    const auto code = static_cast<FindingCode>(i);
    if (validate::FindingCodeName(code) == name) return code;
  }
  return std::nullopt;
}

std::vector<Blocker> BlockersOf(const validate::Findings& findings) {
  std::vector<Blocker> out;
  for (const validate::Finding& f : findings) {
    if (f.severity != Severity::kError || out.size() == kMaxKeptFindings) continue;
    Blocker b{f.code, f.target, f.message};
    if (std::find(out.begin(), out.end(), b) == out.end()) out.push_back(std::move(b));
  }
  return out;
}

validate::Findings UncoveredBySpec(const std::vector<std::string>& spec_mx,
                                   const std::vector<std::string>& live_mx_hosts) {
  validate::Findings out;
  if (spec_mx.empty()) return out;
  for (const std::string& host : live_mx_hosts) {
    if (host.empty() || policy::MxHostCovered(spec_mx, host)) continue;
    const std::string shown = Printable(host);
    std::string message = shown;
    message += " is a live MX host that no pattern of spec.mx covers; add \"";
    message += shown;
    message += "\" to spec.mx (or a \"*.\" pattern for its parent domain)";
    out.push_back({FindingCode::kValidationFailure, Severity::kError, shown, std::move(message)});
  }
  return out;
}

}  // namespace mtasts::controller
