// The OpenSSL contexts behind a TlsClient, shared by tls_client.cc (which builds them) and
// tls_session.cc (which opens sessions on them). OpenSSL types are only forward-declared here.
// Immutable after construction: SSL_CTX is safe to share between threads once configured.
#pragma once

#include <memory>

#include "probe/tls_client.h"

struct ssl_ctx_st;         // SSL_CTX
struct x509_store_ctx_st;  // X509_STORE_CTX

namespace mtasts::probe {

struct SslCtxFree {
  void operator()(ssl_ctx_st* ctx) const;
};
using SslCtxPtr = std::unique_ptr<ssl_ctx_st, SslCtxFree>;

struct TlsClient::Contexts {
  SslCtxPtr strict;  // TLS >= 1.2, default ciphers: what every probe uses
  SslCtxPtr legacy;  // TLS >= 1.0 at SECLEVEL 0: only to name what an old server speaks
};

// The verify callback of both contexts (defined in tls_session.cc): records the chain verdict in
// the session and lets the handshake go on, so a failing certificate can still be reported on.
int RecordVerifyResult(int preverify_ok, x509_store_ctx_st* store);

}  // namespace mtasts::probe
