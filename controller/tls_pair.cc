#include "controller/tls_pair.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <climits>
#include <memory>
#include <vector>

namespace mtasts::controller {
namespace {

using Bio = std::unique_ptr<BIO, decltype(&BIO_free)>;
using Certificate = std::unique_ptr<X509, decltype(&X509_free)>;
using Key = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;

// OpenSSL's reason for the last failure, or `fallback`; clears the error queue either way.
std::string OpenSslReason(const char* fallback) {
  unsigned long code = ERR_peek_last_error();
  const char* reason = code == 0 ? nullptr : ERR_reason_error_string(code);
  ERR_clear_error();
  return reason != nullptr ? reason : fallback;
}

Bio ReadOnlyBio(std::string_view bytes) {
  return Bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())), &BIO_free);
}

// Refuses an encrypted key instead of letting OpenSSL ask a terminal for its pass phrase.
int NoPassphrase(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }

StatusOr<std::vector<Certificate>> ReadChain(std::string_view pem) {
  Bio bio = ReadOnlyBio(pem);
  std::vector<Certificate> chain;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, NoPassphrase, nullptr)) {
    chain.emplace_back(cert, &X509_free);
  }
  // The loop ends at the end of the input (PEM_R_NO_START_LINE) or at a block that is broken.
  unsigned long last = ERR_peek_last_error();
  bool clean_end = ERR_GET_LIB(last) == ERR_LIB_PEM && ERR_GET_REASON(last) == PEM_R_NO_START_LINE;
  if (chain.empty() || !clean_end) {
    return InvalidArgumentError("the certificate chain is not PEM certificates: " +
                                OpenSslReason("no certificate found"));
  }
  ERR_clear_error();
  return chain;
}

StatusOr<Key> ReadKey(std::string_view pem) {
  Bio bio = ReadOnlyBio(pem);
  Key key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassphrase, nullptr), &EVP_PKEY_free);
  if (key == nullptr) {
    return InvalidArgumentError("the private key is not an unencrypted PEM private key: " +
                                OpenSslReason("unreadable"));
  }
  return key;
}

// "Nov 30 00:00:00 2026 GMT", as OpenSSL prints a certificate's time.
std::string TimeText(const ASN1_TIME* time) {
  Bio out(BIO_new(BIO_s_mem()), &BIO_free);
  if (out == nullptr || ASN1_TIME_print(out.get(), time) != 1) return "(unreadable)";
  char* data = nullptr;
  const long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace

StatusOr<std::string> CombineTlsPair(std::string_view chain_pem, std::string_view key_pem,
                                     Clock::TimePoint now) {
  if (chain_pem.size() > INT_MAX || key_pem.size() > INT_MAX) {
    return InvalidArgumentError("the certificate chain or private key is too large");
  }
  ASSIGN_OR_RETURN(std::vector<Certificate> chain, ReadChain(chain_pem));
  ASSIGN_OR_RETURN(Key key, ReadKey(key_pem));
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    ERR_clear_error();
    return InvalidArgumentError(
        "the private key does not belong to the first (leaf) certificate of the chain");
  }
  time_t at = std::chrono::system_clock::to_time_t(now);
  const ASN1_TIME* not_after = X509_get0_notAfter(chain.front().get());
  if (X509_cmp_time(not_after, &at) < 0) {
    return InvalidArgumentError("the certificate expired at " + TimeText(not_after) +
                                " and is not served; renew it (with cert-manager: see the "
                                "Certificate's Ready condition and its issuer)");
  }
  Bio out(BIO_new(BIO_s_mem()), &BIO_free);
  bool written = out != nullptr;
  for (const Certificate& cert : chain) {
    written = written && PEM_write_bio_X509(out.get(), cert.get()) == 1;
  }
  written = written && PEM_write_bio_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr,
                                                nullptr) == 1;
  if (!written) return InternalError("writing the PEM file failed: " + OpenSslReason("no memory"));
  char* data = nullptr;
  long size = BIO_get_mem_data(out.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

}  // namespace mtasts::controller
