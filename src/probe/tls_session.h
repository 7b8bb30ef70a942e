// TlsSession: the client side of one TLS session over an open TcpConnection, opened with a
// shared TlsClient. The handshake always completes when the peer's certificate is bad: the chain
// verdict is recorded (TlsFacts::chain_error) and judging it is the caller's business, so a
// failing certificate can still be described. No hostname check happens here either (see
// CertificateNamesHost).
//
// Thread-safety: one thread at a time. The TcpConnection must outlive the session.
#pragma once

#include <memory>
#include <string_view>

#include "probe/byte_stream.h"
#include "probe/certificate.h"
#include "probe/tcp_connection.h"
#include "probe/tls_client.h"

namespace mtasts::probe {

class TlsSession final : public ByteStream {
 public:
  enum class Versions {
    kModern,  // TLS 1.2 and later: every real check
    kLegacy,  // TLS 1.0 and later at SECLEVEL 0: only to name what an old server speaks
  };

  // Sends SNI `server_name`. kDeadlineExceeded on timeout, kUnavailable when the handshake fails
  // (the message carries OpenSSL's reason, e.g. "unsupported protocol").
  static StatusOr<std::unique_ptr<TlsSession>> Handshake(TcpConnection& tcp,
                                                         const TlsClient& client, Versions versions,
                                                         std::string_view server_name,
                                                         Deadline deadline);
  ~TlsSession() override;

  // End of stream (0) only after the peer's close_notify; an unannounced close is an error.
  StatusOr<size_t> Read(char* buffer, size_t capacity, Deadline deadline) override;
  Status Write(std::string_view bytes, Deadline deadline) override;

  TlsFacts Facts() const;

 private:
  struct Impl;
  explicit TlsSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mtasts::probe
