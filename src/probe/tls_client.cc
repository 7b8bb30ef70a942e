#include "probe/tls_client.h"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "probe/tls_contexts.h"

namespace mtasts::probe {
namespace {

std::string OpenSslError() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// Peer verification runs in every handshake but never aborts it (see RecordVerifyResult).
SslCtxPtr NewContext(const TlsClientOptions& options, int min_version, const char* ciphers,
                     std::string* error) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr) {
    *error = OpenSslError();
    return nullptr;
  }
  SSL_CTX_set_min_proto_version(ctx.get(), min_version);
  if (ciphers != nullptr) SSL_CTX_set_cipher_list(ctx.get(), ciphers);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, &RecordVerifyResult);
  int loaded = options.ca_file.empty()
                   ? SSL_CTX_set_default_verify_paths(ctx.get())
                   : SSL_CTX_load_verify_locations(ctx.get(), options.ca_file.c_str(), nullptr);
  if (loaded != 1) {
    *error = "cannot load the trust store " +
             (options.ca_file.empty() ? std::string("(system default)") : options.ca_file) + ": " +
             OpenSslError();
    return nullptr;
  }
  return ctx;
}

}  // namespace

StatusOr<std::shared_ptr<const TlsClient>> TlsClient::Create(const TlsClientOptions& options) {
  std::string error;
  auto contexts = std::make_unique<Contexts>();
  contexts->strict = NewContext(options, TLS1_2_VERSION, nullptr, &error);
  if (contexts->strict == nullptr) return InvalidArgumentError(error);
  // Only used to name what an old server speaks: TLS 1.0 and old ciphers need SECLEVEL 0.
  contexts->legacy = NewContext(options, TLS1_VERSION, "DEFAULT:@SECLEVEL=0", &error);
  if (contexts->legacy == nullptr) return InvalidArgumentError(error);
  return std::shared_ptr<const TlsClient>(new TlsClient(std::move(contexts)));
}

TlsClient::TlsClient(std::unique_ptr<Contexts> contexts) : contexts_(std::move(contexts)) {}
TlsClient::~TlsClient() = default;

}  // namespace mtasts::probe
