#include "probe/certificate.h"

#include <algorithm>
#include <string>

#include "dns/dns_message.h"

namespace mtasts::probe {
namespace {

bool WellFormedHost(std::string_view host) {
  return !host.empty() && host.front() != '.' && host.find("..") == std::string_view::npos &&
         host.find('*') == std::string_view::npos;
}

}  // namespace

bool DnsIdMatches(std::string_view pattern_in, std::string_view host_in) {
  std::string pattern = dns::CanonicalName(pattern_in);
  std::string host = dns::CanonicalName(host_in);
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
