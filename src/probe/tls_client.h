// TlsClient: one client-side TLS configuration (trust store, protocol floor), built once and
// shared by every connection made with it, so the trust store is parsed once per process and not
// once per handshake. Opaque: OpenSSL types never leave the .cc files.
//
// Thread-safety: immutable after Create; share it freely between threads.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"

namespace mtasts::probe {

struct TlsClientOptions {
  // PEM file of trusted roots. Empty: the system's trust store (honours SSL_CERT_FILE and
  // SSL_CERT_DIR as OpenSSL does).
  std::string ca_file;
};

class TlsClient {
 public:
  // Fails with kInvalidArgument when the CA file cannot be read or holds no certificate.
  static StatusOr<std::shared_ptr<const TlsClient>> Create(const TlsClientOptions& options);
  ~TlsClient();
  TlsClient(const TlsClient&) = delete;
  TlsClient& operator=(const TlsClient&) = delete;

  struct Contexts;  // defined in the .cc: the strict and the legacy SSL_CTX
  const Contexts& contexts() const { return *contexts_; }

 private:
  explicit TlsClient(std::unique_ptr<Contexts> contexts);
  std::unique_ptr<Contexts> contexts_;
};

}  // namespace mtasts::probe
