#include "controller/certificate_validity.h"

#include "base/utc_time.h"

namespace mtasts::controller {

std::optional<Verdict> JudgeCertificateValidity(const std::vector<EndpointResult>& results,
                                                const std::string& policy_host,
                                                Clock::TimePoint now) {
  const EndpointResult* earliest = nullptr;
  for (const EndpointResult& r : results) {
    if (r.not_after && (earliest == nullptr || *r.not_after < *earliest->not_after)) earliest = &r;
  }
  if (earliest == nullptr) return std::nullopt;
  const std::string until = FormatUtc(*earliest->not_after);
  const std::string which =
      "the certificate of " + policy_host + " served by " + earliest->endpoint;
  const std::string fix =
      "renew it: with cert-manager, see the Certificate's Ready condition and its issuer";
  if (*earliest->not_after <= now) {
    return Verdict{false, "Expired", which + " expired at " + until + "; senders refuse it; " + fix,
                   true};
  }
  if (*earliest->not_after - now < kCertificateWarning) {
    return Verdict{false, "ExpiresSoon",
                   which + " expires at " + until + ", within 30 days, and was not renewed; " + fix,
                   true};
  }
  return Verdict{true, "Valid",
                 "the certificate of " + policy_host + " on every serve endpoint is valid until " +
                     until + " or later"};
}

}  // namespace mtasts::controller
