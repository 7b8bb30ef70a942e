// SmtpProber: checks one MX address the way a strict RFC 8461 sender would (§4.2, §7.2), and
// reports what it saw: banner, EHLO, STARTTLS advertised, TLS >= 1.2 with SNI = the MX name, a
// chain to the trust store, a SAN DNS-ID matching the MX name (RFC 6125, no CN fallback,
// whole-label wildcards only), not expired and not expiring within min_validity, EHLO again over
// TLS, QUIT. STARTTLS goes out in one write with a NOOP behind it: a server that answers that
// NOOP inside TLS buffers plaintext across STARTTLS, so an attacker could inject commands into
// the protected session (the CVE-2011-0411 class). Every step has a timeout, and the whole probe
// an overall deadline. A server that only speaks TLS < 1.2 is told apart from other handshake
// failures by a second session that allows old versions, within the same deadline.
//
// Thread-safety: Probe is const and may run on many threads at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "probe/address_range.h"
#include "probe/byte_stream.h"
#include "probe/certificate.h"
#include "probe/result_type.h"
#include "probe/tls_client.h"

namespace mtasts::probe {

struct SmtpProbeOptions {
  uint16_t port = 25;
  std::string ehlo_name = "mta-sts-check.invalid";  // the name we introduce ourselves with
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds step_timeout{30000};      // each reply, the handshake
  std::chrono::seconds min_validity{14 * 24 * 3600};  // expiring sooner is flagged
  PrivateAddresses private_addresses = PrivateAddresses::kRefuse;
};

enum class SmtpFailure {
  kNone,
  kPrivateAddress,     // a special-purpose address, not connected to (PrivateAddresses::kRefuse)
  kConnectFailed,      // TCP connect refused, unreachable or timed out
  kTimeout,            // a step after connect timed out
  kProtocolError,      // malformed reply, unexpected code, connection closed early
  kNoStarttls,         // STARTTLS not advertised in EHLO, or refused
  kPipelinedBytes,     // bytes followed the 220 to STARTTLS before the handshake
  kStartTlsInjection,  // the NOOP sent in plaintext with STARTTLS was answered inside TLS
  kTlsVersionTooOld,   // the server only speaks TLS < 1.2 (see legacy_tls_version)
  kTlsHandshake,       // any other handshake failure
  kCertUntrusted,      // TlsFacts::chain_error says why
  kCertNameMismatch,   // no SAN dNSName matches the MX name
  kCertExpired,        // expired or not yet valid
  kEhloAfterTls,       // the EHLO over TLS was not answered with 250
};

std::string_view SmtpFailureName(SmtpFailure failure);  // "no-starttls", ...

struct SmtpProbeResult {
  std::string mx_host;
  std::string address;
  uint16_t port = 0;
  SmtpFailure failure = SmtpFailure::kNone;
  ResultType result_type = ResultType::kSuccess;
  std::string detail;                      // for failures: what went wrong, readable
  std::string private_range;               // the special-purpose range of `address`, unless allowed
  bool expiring_soon = false;              // valid, but notAfter is within min_validity (a warning)
  std::string banner;                      // the greeting's text, lines joined by "\n"
  std::vector<std::string> ehlo_keywords;  // upper case, from the plaintext EHLO
  bool starttls_advertised = false;
  std::optional<TlsFacts> tls;     // set once a handshake completed
  std::string legacy_tls_version;  // with kTlsVersionTooOld: what the server did speak

  bool ok() const { return failure == SmtpFailure::kNone; }
};

class SmtpProber {
 public:
  SmtpProber(std::shared_ptr<const TlsClient> tls, SmtpProbeOptions options,
             const Clock& clock = RealClock::Get());

  // `mx_host` is the MX name (SNI and the name the certificate must carry); `address` is the
  // IPv4 or IPv6 address to connect to. No step runs past `deadline`.
  SmtpProbeResult Probe(std::string_view mx_host, std::string_view address,
                        Deadline deadline = Deadline::max()) const;

 private:
  // Judges r.tls; false once r holds a failure.
  bool JudgeCertificate(SmtpProbeResult& r) const;
  SmtpProbeResult& HandshakeFailed(SmtpProbeResult& r, const Status& status,
                                   Deadline deadline) const;
  // The version a session allowing TLS >= 1.0 negotiates, or "" if none can be made.
  std::string LegacyVersion(const std::string& mx_host, const std::string& address,
                            Deadline deadline) const;

  std::shared_ptr<const TlsClient> tls_;
  SmtpProbeOptions options_;
  const Clock& clock_;
};

}  // namespace mtasts::probe
