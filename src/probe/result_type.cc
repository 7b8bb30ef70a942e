#include "probe/result_type.h"

namespace mtasts::probe {

std::string_view ResultTypeName(ResultType type) {
  switch (type) {
    case ResultType::kSuccess:
      return "success";
    case ResultType::kStarttlsNotSupported:
      return "starttls-not-supported";
    case ResultType::kCertificateHostMismatch:
      return "certificate-host-mismatch";
    case ResultType::kCertificateExpired:
      return "certificate-expired";
    case ResultType::kCertificateNotTrusted:
      return "certificate-not-trusted";
    case ResultType::kValidationFailure:
      return "validation-failure";
    case ResultType::kStsPolicyFetchError:
      return "sts-policy-fetch-error";
    case ResultType::kStsPolicyInvalid:
      return "sts-policy-invalid";
    case ResultType::kStsWebpkiInvalid:
      return "sts-webpki-invalid";
  }
  return "validation-failure";
}

}  // namespace mtasts::probe
