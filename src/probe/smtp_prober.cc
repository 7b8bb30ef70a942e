#include "probe/smtp_prober.h"

#include <algorithm>
#include <utility>

#include "base/strings.h"
#include "probe/smtp_reply.h"
#include "probe/tcp_connection.h"
#include "probe/tls_session.h"

namespace mtasts::probe {
namespace {

using Steady = std::chrono::steady_clock;
constexpr size_t kMaxReplyLine = 2048;  // RFC 5321 allows 512; be lenient, but bounded

// Certificate failures take theirs from ResultTypeOf(CertificateVerdict::Problem) instead.
ResultType ResultTypeOf(SmtpFailure failure) {
  switch (failure) {
    case SmtpFailure::kNone:
      return ResultType::kSuccess;
    case SmtpFailure::kNoStarttls:
      return ResultType::kStarttlsNotSupported;
    default:
      return ResultType::kValidationFailure;
  }
}

SmtpProbeResult& Fail(SmtpProbeResult& r, SmtpFailure failure, std::string detail) {
  r.failure = failure;
  r.result_type = ResultTypeOf(failure);
  r.detail = r.mx_host + " (" + r.address + " port " + std::to_string(r.port) + "): " + detail;
  return r;
}

// The sooner of a step's own timeout and the whole probe's deadline.
Deadline StepDeadline(std::chrono::milliseconds step, Deadline overall) {
  return std::min(Steady::now() + step, overall);
}

// One SMTP connection's commands and replies, each bounded by the step timeout and all of them
// by the probe's deadline.
class Dialogue {
 public:
  Dialogue(TcpConnection& tcp, std::chrono::milliseconds step, Deadline overall)
      : stream_(&tcp), reader_(tcp, kMaxReplyLine), step_(step), overall_(overall) {}

  StatusOr<SmtpReply> Read() { return ReadSmtpReply(reader_, Next()); }
  // Sends `lines` (each ending in CRLF) in one write and reads one reply.
  StatusOr<SmtpReply> Send(const std::string& lines) {
    RETURN_IF_ERROR(stream_->Write(lines, Next()));
    return Read();
  }
  StatusOr<SmtpReply> Command(const std::string& line) { return Send(line + "\r\n"); }
  Deadline Next() const { return StepDeadline(step_, overall_); }
  size_t buffered() const { return reader_.buffered(); }
  void SwitchTo(ByteStream& stream) {
    stream_ = &stream;
    reader_.Reset(stream);
  }

 private:
  ByteStream* stream_;
  LineReader reader_;
  std::chrono::milliseconds step_;
  Deadline overall_;
};

// A failed read or write: a timeout, or anything else the peer did wrong.
SmtpProbeResult& FailedStep(SmtpProbeResult& r, const Status& status, std::string_view step) {
  SmtpFailure failure = status.code() == StatusCode::kDeadlineExceeded
                            ? SmtpFailure::kTimeout
                            : SmtpFailure::kProtocolError;
  return Fail(r, failure, std::string(step) + ": " + status.message());
}

// Greeting, EHLO and STARTTLS in plaintext, up to the moment the handshake may begin. Records
// what it sees in `r`; returns false once `r` holds a failure.
bool NegotiateStartTls(Dialogue& d, const std::string& ehlo_name, SmtpProbeResult& r) {
  auto stop = [&r](SmtpFailure failure, std::string detail) {
    Fail(r, failure, std::move(detail));
    return false;
  };
  auto broken = [&r](const Status& status, std::string_view step) {
    FailedStep(r, status, step);
    return false;
  };
  StatusOr<SmtpReply> banner = d.Read();
  if (!banner.ok()) return broken(banner.status(), "greeting");
  r.banner = banner->Text();
  if (banner->code != 220) {
    return stop(SmtpFailure::kProtocolError,
                "the greeting is " + std::to_string(banner->code) + " " + r.banner);
  }
  StatusOr<SmtpReply> ehlo = d.Command("EHLO " + ehlo_name);
  if (!ehlo.ok()) return broken(ehlo.status(), "EHLO");
  if (ehlo->code != 250) {
    return stop(SmtpFailure::kNoStarttls, "EHLO was refused (" + std::to_string(ehlo->code) + " " +
                                              ehlo->Text() +
                                              "): without ESMTP there is no STARTTLS");
  }
  r.ehlo_keywords = EhloKeywords(*ehlo);
  r.starttls_advertised = std::find(r.ehlo_keywords.begin(), r.ehlo_keywords.end(), "STARTTLS") !=
                          r.ehlo_keywords.end();
  if (!r.starttls_advertised) {
    (void)d.Command("QUIT");
    return stop(SmtpFailure::kNoStarttls,
                "STARTTLS is not advertised in the EHLO reply; enable STARTTLS on this server");
  }
  // The NOOP is the bait of the injection check: a sound server discards it with the rest of
  // the plaintext once it has said 220 (RFC 3207 §4.2); a flawed one answers it inside TLS.
  StatusOr<SmtpReply> go = d.Send("STARTTLS\r\nNOOP\r\n");
  if (!go.ok()) return broken(go.status(), "STARTTLS");
  if (go->code != 220) {
    return stop(SmtpFailure::kNoStarttls,
                "STARTTLS was refused: " + std::to_string(go->code) + " " + go->Text());
  }
  // A reply already here after the 220 (the NOOP answered in plaintext) would be taken for the
  // start of the handshake.
  if (d.buffered() > 0) {
    return stop(SmtpFailure::kPipelinedBytes,
                "the server sent bytes after its 220 reply to STARTTLS, before the TLS "
                "handshake (a STARTTLS injection risk); fix the server's STARTTLS handling");
  }
  return true;
}

}  // namespace

std::string_view SmtpFailureName(SmtpFailure failure) {
  switch (failure) {
    case SmtpFailure::kNone:
      return "none";
    case SmtpFailure::kPrivateAddress:
      return "private-address";
    case SmtpFailure::kConnectFailed:
      return "connect-failed";
    case SmtpFailure::kTimeout:
      return "timeout";
    case SmtpFailure::kProtocolError:
      return "protocol-error";
    case SmtpFailure::kNoStarttls:
      return "no-starttls";
    case SmtpFailure::kPipelinedBytes:
      return "bytes-after-starttls";
    case SmtpFailure::kStartTlsInjection:
      return "starttls-injection";
    case SmtpFailure::kTlsVersionTooOld:
      return "tls-version-too-old";
    case SmtpFailure::kTlsHandshake:
      return "tls-handshake-failed";
    case SmtpFailure::kCertUntrusted:
      return "certificate-not-trusted";
    case SmtpFailure::kCertNameMismatch:
      return "certificate-name-mismatch";
    case SmtpFailure::kCertExpired:
      return "certificate-expired";
    case SmtpFailure::kEhloAfterTls:
      return "ehlo-after-tls-failed";
  }
  return "unknown";
}

SmtpProber::SmtpProber(std::shared_ptr<const TlsClient> tls, SmtpProbeOptions options,
                       const Clock& clock)
    : tls_(std::move(tls)), options_(std::move(options)), clock_(clock) {}

SmtpProbeResult SmtpProber::Probe(std::string_view mx_host, std::string_view address,
                                  Deadline deadline) const {
  SmtpProbeResult r;
  r.mx_host = CanonicalDomain(mx_host);  // SNI is sent lower case, without a root dot
  r.address = std::string(address);
  r.port = options_.port;
  r.private_range = ReportedPrivateRange(options_.private_addresses, address);
  if (!r.private_range.empty() && options_.private_addresses == PrivateAddresses::kRefuse) {
    return Fail(r, SmtpFailure::kPrivateAddress,
                "not probed: the address is in the " + r.private_range + " range");
  }
  auto tcp = TcpConnection::Connect(address, options_.port,
                                    StepDeadline(options_.connect_timeout, deadline));
  if (!tcp.ok()) return Fail(r, SmtpFailure::kConnectFailed, tcp.status().message());
  Dialogue d(**tcp, options_.step_timeout, deadline);
  if (!NegotiateStartTls(d, options_.ehlo_name, r)) return r;
  auto session =
      TlsSession::Handshake(**tcp, *tls_, TlsSession::Versions::kModern, r.mx_host, d.Next());
  if (!session.ok()) return HandshakeFailed(r, session.status(), deadline);
  r.tls = (*session)->Facts();
  if (!JudgeCertificate(r)) return r;
  d.SwitchTo(**session);
  StatusOr<SmtpReply> ehlo = d.Command("EHLO " + options_.ehlo_name);
  if (!ehlo.ok())
    return Fail(r, SmtpFailure::kEhloAfterTls, "EHLO over TLS: " + ehlo.status().message());
  if (ehlo->code != 250) {
    return Fail(r, SmtpFailure::kEhloAfterTls,
                "EHLO over TLS was answered " + std::to_string(ehlo->code) + " " + ehlo->Text());
  }
  // A sound server answers QUIT with 221. A flawed one answered the plaintext NOOP first, so
  // what we took for the EHLO reply was the NOOP's, and the real EHLO reply comes now.
  StatusOr<SmtpReply> quit = d.Command("QUIT");
  if (quit.ok() && quit->code == 250) {
    return Fail(r, SmtpFailure::kStartTlsInjection,
                "the NOOP sent in plaintext right behind STARTTLS was answered inside TLS: the "
                "server keeps plaintext commands across STARTTLS, so an attacker can inject "
                "commands into the encrypted session (CVE-2011-0411); update or fix the "
                "server so that it discards its input buffer when TLS starts");
  }
  return r;
}

bool SmtpProber::JudgeCertificate(SmtpProbeResult& r) const {
  CertificateVerdict verdict = probe::JudgeCertificate(
      *r.tls, r.mx_host, clock_.Now(), {options_.min_validity, options_.min_validity});
  using Problem = CertificateVerdict::Problem;
  if (verdict.problem == Problem::kNone) {
    r.expiring_soon = verdict.expiry != CertificateVerdict::Expiry::kFine;
    r.detail = verdict.detail;  // the horizon warning, if any
    return true;
  }
  Fail(r,
       verdict.problem == Problem::kUntrusted ? SmtpFailure::kCertUntrusted
       : verdict.problem == Problem::kExpired ? SmtpFailure::kCertExpired
                                              : SmtpFailure::kCertNameMismatch,
       verdict.detail);
  r.result_type = ResultTypeOf(verdict.problem);  // the one mapping of certificate problems
  return false;
}

SmtpProbeResult& SmtpProber::HandshakeFailed(SmtpProbeResult& r, const Status& status,
                                             Deadline deadline) const {
  if (status.code() == StatusCode::kDeadlineExceeded) {
    return Fail(r, SmtpFailure::kTimeout, "TLS handshake: " + status.message());
  }
  // A second session that allows old versions tells "TLS 1.0 only" from other failures.
  std::string legacy = LegacyVersion(r.mx_host, r.address, deadline);
  if (!legacy.empty() && legacy != "TLSv1.2" && legacy != "TLSv1.3") {
    r.legacy_tls_version = legacy;
    return Fail(r, SmtpFailure::kTlsVersionTooOld,
                "the server only speaks " + legacy +
                    "; RFC 8461 §7.2 needs TLS 1.2 or later: enable TLS 1.2 and 1.3");
  }
  return Fail(r, SmtpFailure::kTlsHandshake, status.message());
}

std::string SmtpProber::LegacyVersion(const std::string& mx_host, const std::string& address,
                                      Deadline deadline) const {
  auto tcp = TcpConnection::Connect(address, options_.port,
                                    StepDeadline(options_.connect_timeout, deadline));
  if (!tcp.ok()) return "";
  Dialogue d(**tcp, options_.step_timeout, deadline);
  SmtpProbeResult scratch;
  if (!NegotiateStartTls(d, options_.ehlo_name, scratch)) return "";
  auto session =
      TlsSession::Handshake(**tcp, *tls_, TlsSession::Versions::kLegacy, mx_host, d.Next());
  return session.ok() ? (*session)->Facts().version : "";
}

}  // namespace mtasts::probe
