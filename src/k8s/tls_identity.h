// TlsIdentity: the TLS material of a Config (the CAs trusted for the API server, the client
// certificate and key), parsed once when the client is made. A bad PEM fails there, with the
// config's source named, not at the first request; and every connection then trusts exactly the
// configured CAs: their store replaces the one the HTTP library filled from the system's default
// paths (and $SSL_CERT_FILE). Immutable after Parse; thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "k8s/config.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY
struct ssl_ctx_st;   // OpenSSL's SSL_CTX
struct x509_st;      // OpenSSL's X509

namespace mtasts::k8s {

class TlsIdentity {
 public:
  // kInvalidArgument when ca_pem holds no certificate or does not parse, or the client
  // certificate and key do not parse or do not belong together.
  static StatusOr<std::shared_ptr<const TlsIdentity>> Parse(const Config& config);
  ~TlsIdentity();
  TlsIdentity(const TlsIdentity&) = delete;
  TlsIdentity& operator=(const TlsIdentity&) = delete;

  // Sets up a client context: trusts only the configured CAs (the system store when none are
  // configured) and presents the client certificate, if any.
  void Apply(ssl_ctx_st* ctx) const;

 private:
  TlsIdentity() = default;

  // All owned.
  std::vector<x509_st*> cas_;
  std::vector<x509_st*> client_chain_;  // the client certificate first, then its intermediates
  evp_pkey_st* client_key_ = nullptr;
};

}  // namespace mtasts::k8s
