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

probe::CertificateVerdict JudgeMxCertificate(const MxHostObservation& host,
                                             const SmtpObservation& address, TimePoint now,
                                             const CheckOptions& options) {
  return probe::JudgeCertificate(*address.cert, host.mx.host, now,
                                 {options.min_cert_validity, options.cert_warning});
}

void CheckOneCertificate(const Input& in, const MxHostObservation& host,
                         const SmtpObservation& address, Findings* out) {
  using Expiry = probe::CertificateVerdict::Expiry;
  const probe::CertificateVerdict v = JudgeMxCertificate(host, address, in.obs.now, in.options);
  if (v.problem != probe::CertificateVerdict::Problem::kNone) {
    out->push_back({FindingCodeOf(probe::ResultTypeOf(v.problem)), Severity::kError, address.ip,
                    address.ip + ": " + v.detail});
  } else if (v.expiry != Expiry::kFine) {
    // Below the minimum validity the MX no longer passes the enforce gate (DESIGN §5 gate 2).
    out->push_back({FindingCode::kCertificateExpiring,
                    v.expiry == Expiry::kBlock ? Severity::kError : Severity::kWarning, address.ip,
                    address.ip + ": " + v.detail});
  }
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
  const probe::CertificateVerdict v = JudgeMxCertificate(host, address, now, options);
  const bool passes = v.problem == probe::CertificateVerdict::Problem::kNone &&
                      v.expiry != probe::CertificateVerdict::Expiry::kBlock;
  return passes ? "" : v.summary;
}

}  // namespace mtasts::validate
