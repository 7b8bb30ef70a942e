#include "k8s/tls_identity.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace mtasts::k8s {
namespace {

// OpenSSL's reason for the last failure, or `fallback`; clears the error queue either way.
std::string OpenSslReason(const char* fallback) {
  unsigned long code = ERR_peek_last_error();
  std::string reason = code == 0 ? fallback : ERR_reason_error_string(code);
  ERR_clear_error();
  return reason;
}

// Every certificate in `pem`, in order; an error when there is none or a block does not parse.
StatusOr<std::vector<X509*>> ReadCertificates(const std::string& pem, const std::string& what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), int(pem.size())),
                                                &BIO_free);
  std::vector<X509*> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.push_back(cert);
  }
  // The loop ends at the end of the input (PEM_R_NO_START_LINE) or at a broken block.
  unsigned long last = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  if (certs.empty() || !clean_end) {
    std::string reason = OpenSslReason("no certificate found");
    for (X509* cert : certs) X509_free(cert);
    return InvalidArgumentError(what + " is not a PEM certificate bundle: " + reason);
  }
  ERR_clear_error();
  return certs;
}

}  // namespace

StatusOr<std::shared_ptr<const TlsIdentity>> TlsIdentity::Parse(const Config& config) {
  std::shared_ptr<TlsIdentity> identity(new TlsIdentity());
  std::string from = " (from " + config.source + ")";
  if (!config.ca_pem.empty()) {
    ASSIGN_OR_RETURN(identity->cas_,
                     ReadCertificates(config.ca_pem, "the certificate authority" + from));
  }
  if (config.client_cert_pem.empty()) return std::shared_ptr<const TlsIdentity>(identity);
  ASSIGN_OR_RETURN(identity->client_chain_,
                   ReadCertificates(config.client_cert_pem, "the client certificate" + from));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(config.client_key_pem.data(), int(config.client_key_pem.size())), &BIO_free);
  identity->client_key_ = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (identity->client_key_ == nullptr) {
    return InvalidArgumentError("the client key" + from +
                                " is not a PEM private key: " + OpenSslReason("unreadable"));
  }
  if (X509_check_private_key(identity->client_chain_.front(), identity->client_key_) != 1) {
    ERR_clear_error();
    return InvalidArgumentError("the client key" + from +
                                " does not belong to the client certificate");
  }
  return std::shared_ptr<const TlsIdentity>(identity);
}

TlsIdentity::~TlsIdentity() {
  for (X509* cert : cas_) X509_free(cert);
  for (X509* cert : client_chain_) X509_free(cert);
  EVP_PKEY_free(client_key_);
}

void TlsIdentity::Apply(SSL_CTX* ctx) const {
  if (!cas_.empty()) {
    X509_STORE* store = X509_STORE_new();
    for (X509* cert : cas_) X509_STORE_add_cert(store, cert);  // takes its own reference
    SSL_CTX_set_cert_store(ctx, store);  // frees the store filled from the default paths
  }
  if (!client_chain_.empty()) {
    SSL_CTX_use_certificate(ctx, client_chain_.front());
    SSL_CTX_clear_chain_certs(ctx);
    for (size_t i = 1; i < client_chain_.size(); ++i)
      SSL_CTX_add1_chain_cert(ctx, client_chain_[i]);
    SSL_CTX_use_PrivateKey(ctx, client_key_);
  }
}

}  // namespace mtasts::k8s
