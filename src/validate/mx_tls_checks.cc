// Checks of STARTTLS and the certificate on every MX address (RFC 8461 §4.2, §7.2).
#include <string>

#include "validate/check_text.h"
#include "validate/checks.h"

namespace mtasts::validate {
namespace {

bool VersionTooOld(const std::string& version) {
  return version == "SSLv3" || version == "TLSv1" || version == "TLSv1.0" || version == "TLSv1.1";
}

std::string Where(const MxHostObservation& host, const SmtpObservation& address) {
  return host.mx.host + " (" + address.ip + ")";
}

void CheckOneCertificate(const Input& in, const MxHostObservation& host,
                         const SmtpObservation& address, Findings* out) {
  const CertFacts& cert = *address.cert;
  const std::string where = Where(host, address);
  if (CertOutOfValidity(cert, in.obs.now)) {
    out->push_back(
        {FindingCode::kCertificateExpired, Severity::kError, address.ip,
         "the certificate of " + where + " " + DescribeValidity(cert, in.obs.now) + "; renew it"});
  } else if (!cert.chain_trusted) {
    out->push_back({FindingCode::kCertificateNotTrusted, Severity::kError, address.ip,
                    "the certificate of " + where + " (issuer \"" + cert.issuer +
                        "\") is not trusted (" + cert.verify_error +
                        "); use a certificate from a public CA and send the full chain"});
  }
  if (!cert.name_matches) {
    out->push_back({FindingCode::kCertificateHostMismatch, Severity::kError, address.ip,
                    "the certificate of " + where + " is not valid for " + host.mx.host +
                        " (SAN: " + (cert.san.empty() ? "none" : JoinList(cert.san)) + "); add " +
                        host.mx.host + " to its subject alternative names"});
  }
  if (CertOutOfValidity(cert, in.obs.now)) return;
  const long days = DaysUntil(in.obs.now, cert.not_after);
  const auto days_of = [](std::chrono::hours h) {
    return std::chrono::floor<std::chrono::days>(h).count();
  };
  if (days >= days_of(in.options.cert_warning)) return;
  // Below the minimum validity the MX no longer passes the enforce gate (DESIGN §5 gate 2).
  const bool blocks = days < days_of(in.options.min_cert_validity);
  out->push_back({FindingCode::kCertificateExpiring, blocks ? Severity::kError : Severity::kWarning,
                  address.ip,
                  "the certificate of " + where + " expires on " + FormatDate(cert.not_after) +
                      " (in " + std::to_string(days) + " days); renew it now"});
}

}  // namespace

void CheckStartTls(const Input& in, Findings* out) {
  for (const MxHostObservation& host : in.obs.mx_hosts) {
    for (const SmtpObservation& address : host.addresses) {
      if (!address.connected) continue;  // CheckMxReachable reports it
      const std::string where = Where(host, address);
      if (!address.error.empty()) {
        out->push_back({FindingCode::kValidationFailure, Severity::kError, address.ip,
                        "the SMTP session with " + where + " failed (" + address.error +
                            "); check the SMTP server and its TLS configuration"});
      } else if (!address.starttls_offered) {
        out->push_back({FindingCode::kStartTlsNotSupported, Severity::kError, address.ip,
                        where +
                            " does not offer STARTTLS; enable TLS on the SMTP server "
                            "with a certificate for " +
                            host.mx.host});
      } else if (VersionTooOld(address.tls_version)) {
        out->push_back({FindingCode::kTlsVersionTooOld, Severity::kError, address.ip,
                        where + " negotiated " + address.tls_version +
                            "; RFC 8461 §7.2 requires TLS 1.2 or later: enable it"});
      }
    }
  }
}

void CheckMxCertificates(const Input& in, Findings* out) {
  for (const MxHostObservation& host : in.obs.mx_hosts) {
    for (const SmtpObservation& address : host.addresses) {
      if (address.cert && !VersionTooOld(address.tls_version)) {
        CheckOneCertificate(in, host, address, out);
      }
    }
  }
}

}  // namespace mtasts::validate

namespace mtasts::validate {

std::string AddressProblem(const MxHostObservation& host, const SmtpObservation& address,
                           TimePoint now, const CheckOptions& options) {
  if (address.refused) return "not probed: " + address.private_range + " is not public";
  if (!address.connected) return "no SMTP service: " + address.error;
  if (!address.error.empty()) return address.error;
  if (!address.starttls_offered) return "STARTTLS not offered";
  if (VersionTooOld(address.tls_version)) return address.tls_version + " is too old";
  if (!address.cert) return "no certificate";
  const CertFacts& cert = *address.cert;
  if (CertOutOfValidity(cert, now)) return "certificate expired";
  if (!cert.chain_trusted) return "certificate not trusted: " + cert.verify_error;
  if (!cert.name_matches) return "certificate not valid for " + host.mx.host;
  if (cert.not_after - now < options.min_cert_validity) return "certificate expires soon";
  return "";
}

}  // namespace mtasts::validate
