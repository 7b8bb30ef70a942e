// Facts about a TLS session and its peer certificate, as plain values for reports, plus the pure
// RFC 6125 / RFC 8461 decisions on them: does a certificate name a host, is it valid long enough.
// Pure functions; thread-compatible.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "probe/result_type.h"

namespace mtasts::probe {

using TimePoint = std::chrono::system_clock::time_point;

struct CertificateFacts {
  std::string subject;                    // one-line RFC 2253 form, e.g. "CN=mx1.example.com"
  std::string issuer;                     // same form
  std::vector<std::string> dns_names;     // subjectAltName dNSName entries, as written
  std::vector<std::string> ip_addresses;  // subjectAltName iPAddress entries, textual
  TimePoint not_before;
  TimePoint not_after;
};

struct TlsFacts {
  std::string version;  // "TLSv1.3", "TLSv1.2", "TLSv1"
  std::string cipher;   // "TLS_AES_256_GCM_SHA384"
  CertificateFacts leaf;
  // Chain verification against the trust store: "" when trusted, else OpenSSL's reason for the
  // first error that is not about validity dates, e.g. "self-signed certificate".
  std::string chain_error;
};

// RFC 6125 DNS-ID matching as RFC 8461 §3.3/§4.2 require: ASCII case-insensitive, one trailing
// dot ignored on either side, `*` only as the whole left-most label standing for exactly one
// label, never a partial wildcard (`mx*.example.com`), never a wildcard over an A-label
// (`*.xn--...` is fine, `xn--*` is not), never at the public-suffix-like depth `*.com`.
bool DnsIdMatches(std::string_view pattern, std::string_view host);

// True if any SAN dNSName matches `host`. The subject CN is never consulted: RFC 8461 requires a
// DNS-ID, so a certificate with no matching dNSName fails. iPAddress entries never match a name.
bool CertificateNamesHost(const CertificateFacts& cert, std::string_view host);

enum class Validity {
  kValid,
  kNotYetValid,   // now < notBefore
  kExpired,       // notAfter <= now
  kExpiringSoon,  // valid now, but notAfter is within the horizon
};

// `min_validity` is the horizon: a certificate that expires sooner is kExpiringSoon.
Validity CheckValidity(const CertificateFacts& cert, TimePoint now,
                       std::chrono::seconds min_validity);

// How long a valid certificate must stay valid. Zero horizons judge only "valid now".
struct CertificateHorizons {
  std::chrono::seconds block{0};  // valid for less: not good enough (DESIGN §5 gate 2: 14 days)
  std::chrono::seconds warn{0};   // valid for less: renew it soon (DESIGN I4: 30 days)
};

// The verdict on a presented certificate for `host`, as a strict sender judges it: the chain
// first (nothing else matters if it is untrusted), then the dates, then the name, then the
// horizons. The one place this is decided: the probes, the checks and both reports ask it.
struct CertificateVerdict {
  enum class Problem { kNone, kUntrusted, kExpired, kNameMismatch };
  enum class Expiry {
    kFine,
    kWarn,   // within the warn horizon
    kBlock,  // within the block horizon
  };
  Problem problem = Problem::kNone;
  Expiry expiry = Expiry::kFine;  // only meaningful when problem == kNone
  std::string detail;             // what is wrong and how to fix it; the renewal warning otherwise
  std::string summary;  // the same in a few words for a report line, e.g. "certificate expired"
};
CertificateVerdict JudgeCertificate(const TlsFacts& tls, std::string_view host, TimePoint now,
                                    CertificateHorizons horizons);

// The RFC 8460 result type of a certificate problem (kSuccess for none).
ResultType ResultTypeOf(CertificateVerdict::Problem problem);

}  // namespace mtasts::probe
