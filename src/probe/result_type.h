// TLS-RPT result types (RFC 8460 §4.3) that a probe failure maps onto, so the validator and the
// report intake speak one vocabulary. Pure values; thread-compatible.
#pragma once

#include <string_view>

namespace mtasts::probe {

enum class ResultType {
  kSuccess,
  kStarttlsNotSupported,     // "starttls-not-supported"
  kCertificateHostMismatch,  // "certificate-host-mismatch"
  kCertificateExpired,       // "certificate-expired"
  kCertificateNotTrusted,    // "certificate-not-trusted"
  kValidationFailure,        // "validation-failure": any other failure of an MX session
  kStsPolicyFetchError,      // "sts-policy-fetch-error": the policy could not be retrieved
  kStsPolicyInvalid,         // "sts-policy-invalid": fetched, but not a policy (content type)
  kStsWebpkiInvalid,         // "sts-webpki-invalid": the policy host's certificate failed
};

// The RFC 8460 string, e.g. "certificate-expired"; "success" for kSuccess.
std::string_view ResultTypeName(ResultType type);

}  // namespace mtasts::probe
