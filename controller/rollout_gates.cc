#include "controller/rollout_gates.h"

#include <algorithm>

#include "base/printable.h"
#include "policy/mx_pattern.h"

namespace mtasts::controller {

using validate::FindingCode;

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
    out.push_back({FindingCode::kValidationFailure, Severity::kError, shown,
                   shown + " is a live MX host that no pattern of spec.mx covers; add \"" + shown +
                       "\" to spec.mx (or a \"*.\" pattern for its parent domain)"});
  }
  return out;
}

}  // namespace mtasts::controller
