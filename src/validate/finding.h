// Finding: one thing `mtasts check` (and the operator's gates) learned about a domain, with a
// code a program can match on, a severity, the name or address it is about, and a message that
// says how to fix it. Codes reuse the RFC 8460 result types where one fits. Value types;
// thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/severity.h"
#include "probe/result_type.h"

namespace mtasts::validate {

enum class FindingCode {
  kCheckIncomplete,  // a limit of the check itself cut it short: the verdict cannot be trusted
  // DNS.
  kDnsTemporaryFailure,  // a lookup failed for a reason other than "no such record"
  kStsTxtMissing,        // no v=STSv1 record at _mta-sts.D
  kStsTxtInvalid,        // the one v=STSv1 record does not parse
  kStsTxtMultiple,       // more than one v=STSv1 record: senders see no policy
  kTlsRptTxtMissing,
  kTlsRptTxtInvalid,
  kMxNull,                // RFC 7505 null MX: the domain accepts no mail
  kMxMissing,             // no MX records: senders use the domain's own address (implicit MX)
  kMxAddressPrivate,      // an MX address in a special-purpose range: public senders fail
  kPolicyAddressPrivate,  // the same for mta-sts.D
  // The policy file.
  kStsPolicyFetchError,  // RFC 8460: could not retrieve the policy
  kStsWebPkiInvalid,     // RFC 8460: the policy host's certificate failed validation
  kStsPolicyInvalid,     // RFC 8460: the body failed validation
  kMaxAgeShort,
  kMxPatternUnused,
  // Each MX host and address.
  kValidationFailure,  // RFC 8460 catch-all; here: an MX host no mx pattern covers
  kMxUnreachable,      // no address, or no TCP connection to port 25
  kStartTlsNotSupported,
  kTlsVersionTooOld,
  kCertificateHostMismatch,
  kCertificateExpired,
  kCertificateNotTrusted,
  kCertificateExpiring,
};

// "sts-policy-fetch-error", ...: the stable spelling used in JSON and by tests.
std::string_view FindingCodeName(FindingCode code);
// The finding for an RFC 8460 result type, e.g. kCertificateExpired for "certificate-expired":
// the one mapping from probe's vocabulary to the checks'.
FindingCode FindingCodeOf(probe::ResultType type);

struct Finding {
  FindingCode code;
  Severity severity;
  std::string target;   // the name or address the finding is about
  std::string message;  // what is wrong and how to fix it

  friend bool operator==(const Finding&, const Finding&) = default;
};

using Findings = std::vector<Finding>;

bool HasError(const Findings& findings);

}  // namespace mtasts::validate
