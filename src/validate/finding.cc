#include "validate/finding.h"

#include <algorithm>
#include <array>
#include <utility>

namespace mtasts::validate {
namespace {

constexpr std::array<std::pair<FindingCode, std::string_view>, 24> kNames = {{
    {FindingCode::kCheckIncomplete, "check-incomplete"},
    {FindingCode::kDnsTemporaryFailure, "dns-temporary-failure"},
    {FindingCode::kStsTxtMissing, "sts-txt-missing"},
    {FindingCode::kStsTxtInvalid, "sts-txt-invalid"},
    {FindingCode::kStsTxtMultiple, "sts-txt-multiple"},
    {FindingCode::kTlsRptTxtMissing, "tlsrpt-txt-missing"},
    {FindingCode::kTlsRptTxtInvalid, "tlsrpt-txt-invalid"},
    {FindingCode::kMxNull, "mx-null"},
    {FindingCode::kMxMissing, "mx-missing"},
    {FindingCode::kMxAddressPrivate, "mx-address-private"},
    {FindingCode::kPolicyAddressPrivate, "policy-address-private"},
    {FindingCode::kStsPolicyFetchError, "sts-policy-fetch-error"},
    {FindingCode::kStsWebPkiInvalid, "sts-webpki-invalid"},
    {FindingCode::kStsPolicyInvalid, "sts-policy-invalid"},
    {FindingCode::kMaxAgeShort, "max-age-short"},
    {FindingCode::kMxPatternUnused, "mx-pattern-unused"},
    {FindingCode::kValidationFailure, "validation-failure"},
    {FindingCode::kMxUnreachable, "mx-unreachable"},
    {FindingCode::kStartTlsNotSupported, "starttls-not-supported"},
    {FindingCode::kTlsVersionTooOld, "tls-version-too-old"},
    {FindingCode::kCertificateHostMismatch, "certificate-host-mismatch"},
    {FindingCode::kCertificateExpired, "certificate-expired"},
    {FindingCode::kCertificateNotTrusted, "certificate-not-trusted"},
    {FindingCode::kCertificateExpiring, "certificate-expiring"},
}};

}  // namespace

std::string_view FindingCodeName(FindingCode code) {
  for (const auto& [c, name] : kNames) {
    if (c == code) return name;
  }
  return "unknown";
}

FindingCode FindingCodeOf(probe::ResultType type) {
  using R = probe::ResultType;
  switch (type) {
    case R::kStarttlsNotSupported:
      return FindingCode::kStartTlsNotSupported;
    case R::kCertificateHostMismatch:
      return FindingCode::kCertificateHostMismatch;
    case R::kCertificateExpired:
      return FindingCode::kCertificateExpired;
    case R::kCertificateNotTrusted:
      return FindingCode::kCertificateNotTrusted;
    case R::kStsPolicyFetchError:
      return FindingCode::kStsPolicyFetchError;
    case R::kStsPolicyInvalid:
      return FindingCode::kStsPolicyInvalid;
    case R::kStsWebpkiInvalid:
      return FindingCode::kStsWebPkiInvalid;
    case R::kSuccess:
    case R::kValidationFailure:
      break;
  }
  return FindingCode::kValidationFailure;
}

bool HasError(const Findings& findings) {
  return std::any_of(findings.begin(), findings.end(),
                     [](const Finding& f) { return f.severity == Severity::kError; });
}

}  // namespace mtasts::validate
