#include "probe/certificate.h"

#include <algorithm>
#include <string>

#include "base/strings.h"
#include "base/utc_time.h"

namespace mtasts::probe {
namespace {

bool WellFormedHost(std::string_view host) {
  return !host.empty() && host.front() != '.' && host.find("..") == std::string_view::npos &&
         host.find('*') == std::string_view::npos;
}

}  // namespace

bool DnsIdMatches(std::string_view pattern_in, std::string_view host_in) {
  std::string pattern = CanonicalDomain(pattern_in);
  std::string host = CanonicalDomain(host_in);
  if (pattern.empty() || !WellFormedHost(host)) return false;
  if (pattern.find('*') == std::string::npos) return pattern == host;
  // The only wildcard we accept: "*." then at least two labels with no further '*'. This rules
  // out partial wildcards (mx*.example.com, xn--*.example.com), inner ones, and "*.com".
  if (pattern.rfind("*.", 0) != 0) return false;
  std::string_view parent = std::string_view(pattern).substr(2);
  if (parent.find('*') != std::string_view::npos || parent.find('.') == std::string_view::npos ||
      !WellFormedHost(parent)) {
    return false;
  }
  size_t dot = host.find('.');
  return dot != std::string::npos && std::string_view(host).substr(dot + 1) == parent;
}

bool CertificateNamesHost(const CertificateFacts& cert, std::string_view host) {
  return std::any_of(cert.dns_names.begin(), cert.dns_names.end(),
                     [&](const std::string& name) { return DnsIdMatches(name, host); });
}

Validity CheckValidity(const CertificateFacts& cert, TimePoint now,
                       std::chrono::seconds min_validity) {
  if (now < cert.not_before) return Validity::kNotYetValid;
  // RFC 5280 §4.1.2.5: the certificate is valid through notAfter, inclusive.
  if (now > cert.not_after) return Validity::kExpired;
  if (cert.not_after - now < min_validity) return Validity::kExpiringSoon;
  return Validity::kValid;
}

}  // namespace mtasts::probe

namespace mtasts::probe {
namespace {

std::string NameList(const CertificateFacts& cert) {
  if (cert.dns_names.empty()) return "no DNS name in its subjectAltName";
  std::string out = "only ";
  for (size_t i = 0; i < cert.dns_names.size(); ++i) {
    out += (i == 0 ? "" : ", ") + cert.dns_names[i];
  }
  return out;
}

}  // namespace

CertificateVerdict JudgeCertificate(const TlsFacts& tls, std::string_view host, TimePoint now,
                                    CertificateHorizons horizons) {
  using Problem = CertificateVerdict::Problem;
  using Expiry = CertificateVerdict::Expiry;
  const CertificateFacts& leaf = tls.leaf;
  const std::string name(host);
  std::string whose =
      "the certificate of " + name + " (" + leaf.subject + ", issued by " + leaf.issuer + ")";
  if (!tls.chain_error.empty()) {
    return {Problem::kUntrusted, Expiry::kFine,
            whose + " does not chain to a trusted root: " + tls.chain_error +
                "; serve the full chain of a certificate from a trusted CA",
            "certificate not trusted: " + tls.chain_error};
  }
  switch (CheckValidity(leaf, now, std::chrono::seconds(0))) {
    case Validity::kExpired:
      return {Problem::kExpired, Expiry::kFine,
              whose + " expired at " + FormatUtc(leaf.not_after) + "; renew it",
              "certificate expired"};
    case Validity::kNotYetValid:
      return {Problem::kExpired, Expiry::kFine,
              whose + " is not valid before " + FormatUtc(leaf.not_before) + "; check the clocks",
              "certificate not yet valid"};
    case Validity::kExpiringSoon:
    case Validity::kValid:
      break;
  }
  if (!CertificateNamesHost(leaf, host)) {
    return {Problem::kNameMismatch, Expiry::kFine,
            whose + " does not name " + name + ": it has " + NameList(leaf) + "; add " + name +
                " as a subjectAltName DNS entry (the subject CN is not used)",
            "certificate not valid for " + name};
  }
  const auto left = leaf.not_after - now;
  const Expiry expiry = left < horizons.block  ? Expiry::kBlock
                        : left < horizons.warn ? Expiry::kWarn
                                               : Expiry::kFine;
  if (expiry == Expiry::kFine) return {};
  const long days = std::chrono::duration_cast<std::chrono::hours>(left).count() / 24;
  const auto horizon = expiry == Expiry::kBlock ? horizons.block : horizons.warn;
  return {Problem::kNone, expiry,
          whose + " expires at " + FormatUtc(leaf.not_after) + ", in " + std::to_string(days) +
              " days, sooner than the " + std::to_string(horizon.count() / 86400) +
              "-day horizon; renew it",
          "certificate expires soon"};
}

ResultType ResultTypeOf(CertificateVerdict::Problem problem) {
  switch (problem) {
    case CertificateVerdict::Problem::kNone:
      return ResultType::kSuccess;
    case CertificateVerdict::Problem::kUntrusted:
      return ResultType::kCertificateNotTrusted;
    case CertificateVerdict::Problem::kExpired:
      return ResultType::kCertificateExpired;
    case CertificateVerdict::Problem::kNameMismatch:
      return ResultType::kCertificateHostMismatch;
  }
  return ResultType::kValidationFailure;
}

}  // namespace mtasts::probe
