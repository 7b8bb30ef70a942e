#include "probe/tls_session.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <string>

#include "probe/certificate_reader.h"
#include "probe/sigpipe_guard.h"
#include "probe/tls_contexts.h"

namespace mtasts::probe {
namespace {

// Where the verify callback leaves its verdict: one per SSL, found through its ex_data slot.
struct ChainVerdict {
  int first_error = X509_V_OK;
};

int VerdictIndex() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return index;
}

std::string ReasonOfLastError(std::string_view fallback) {
  unsigned long code = ERR_peek_last_error();
  ERR_clear_error();
  const char* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
  return reason != nullptr ? reason : std::string(fallback);
}

struct SslFree {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
};

}  // namespace

int RecordVerifyResult(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok) return 1;
  int error = X509_STORE_CTX_get_error(store);
  // The leaf's dates are judged by the caller against its own clock and horizon.
  bool leaf_dates =
      X509_STORE_CTX_get_error_depth(store) == 0 &&
      (error == X509_V_ERR_CERT_HAS_EXPIRED || error == X509_V_ERR_CERT_NOT_YET_VALID);
  auto* ssl =
      static_cast<SSL*>(X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* verdict = static_cast<ChainVerdict*>(SSL_get_ex_data(ssl, VerdictIndex()));
  if (!leaf_dates && verdict != nullptr && verdict->first_error == X509_V_OK) {
    verdict->first_error = error;
  }
  return 1;  // go on with the handshake; the verdict is reported, not enforced here
}

void SslCtxFree::operator()(ssl_ctx_st* ctx) const { SSL_CTX_free(ctx); }

struct TlsSession::Impl {
  TcpConnection* tcp;
  std::unique_ptr<SSL, SslFree> ssl;
  ChainVerdict verdict;

  // Runs one SSL call to completion, waiting on the socket as OpenSSL asks; returns its result
  // (> 0) or an error. `eof` is set when the peer ended the session cleanly.
  template <typename Call>
  StatusOr<int> Drive(Call call, Deadline deadline, std::string_view what, bool* eof) {
    SigpipeGuard no_sigpipe;  // OpenSSL's writes to a closed peer must not end the process
    for (;;) {
      ERR_clear_error();
      int rc = call();
      if (rc > 0) return rc;
      switch (SSL_get_error(ssl.get(), rc)) {
        case SSL_ERROR_WANT_READ:
          RETURN_IF_ERROR(tcp->WaitFor(POLLIN, deadline).WithContext(what));
          break;
        case SSL_ERROR_WANT_WRITE:
          RETURN_IF_ERROR(tcp->WaitFor(POLLOUT, deadline).WithContext(what));
          break;
        case SSL_ERROR_ZERO_RETURN:
          if (eof != nullptr) {
            *eof = true;
            return 0;
          }
          return UnavailableError(std::string(what) + ": the peer closed the TLS session");
        default:
          return UnavailableError(std::string(what) + ": " +
                                  ReasonOfLastError("the peer closed the connection"));
      }
    }
  }
};

TlsSession::TlsSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsSession::~TlsSession() = default;

StatusOr<std::unique_ptr<TlsSession>> TlsSession::Handshake(TcpConnection& tcp,
                                                            const TlsClient& client,
                                                            Versions versions,
                                                            std::string_view server_name,
                                                            Deadline deadline) {
  const TlsClient::Contexts& contexts = client.contexts();
  SSL_CTX* ctx = versions == Versions::kModern ? contexts.strict.get() : contexts.legacy.get();
  auto impl = std::make_unique<Impl>();
  impl->tcp = &tcp;
  impl->ssl.reset(SSL_new(ctx));
  if (impl->ssl == nullptr) return InternalError("SSL_new: " + ReasonOfLastError("out of memory"));
  SSL* ssl = impl->ssl.get();
  SSL_set_ex_data(ssl, VerdictIndex(), &impl->verdict);
  std::string name(server_name);
  SSL_set_tlsext_host_name(ssl, name.c_str());
  SSL_set_fd(ssl, tcp.fd());
  ASSIGN_OR_RETURN(int ignored, impl->Drive([ssl] { return SSL_connect(ssl); }, deadline,
                                            "TLS handshake", nullptr));
  (void)ignored;
  return std::unique_ptr<TlsSession>(new TlsSession(std::move(impl)));
}

StatusOr<size_t> TlsSession::Read(char* buffer, size_t capacity, Deadline deadline) {
  SSL* ssl = impl_->ssl.get();
  int size = static_cast<int>(std::min<size_t>(capacity, 1 << 20));
  bool eof = false;
  ASSIGN_OR_RETURN(
      int n, impl_->Drive([&] { return SSL_read(ssl, buffer, size); }, deadline, "TLS read", &eof));
  return eof ? size_t{0} : static_cast<size_t>(n);
}

Status TlsSession::Write(std::string_view bytes, Deadline deadline) {
  SSL* ssl = impl_->ssl.get();
  int size = static_cast<int>(bytes.size());
  if (size == 0) return OkStatus();
  return impl_
      ->Drive([&] { return SSL_write(ssl, bytes.data(), size); }, deadline, "TLS write", nullptr)
      .status();
}

TlsFacts TlsSession::Facts() const {
  SSL* ssl = impl_->ssl.get();
  TlsFacts facts;
  facts.version = SSL_get_version(ssl);
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  if (cipher != nullptr) facts.cipher = SSL_CIPHER_get_name(cipher);
  X509* leaf = SSL_get0_peer_certificate(ssl);
  if (leaf != nullptr) facts.leaf = ReadCertificate(leaf);
  if (impl_->verdict.first_error != X509_V_OK) {
    facts.chain_error = X509_verify_cert_error_string(impl_->verdict.first_error);
  } else if (leaf == nullptr) {
    facts.chain_error = "the server sent no certificate";
  }
  return facts;
}

}  // namespace mtasts::probe
