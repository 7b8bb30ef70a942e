#include "test_pki.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <stdexcept>

namespace mtasts::controller::testing {
namespace {

std::string Drain(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(size));
  BIO_free(bio);
  return out;
}

void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  if (ext == nullptr) throw std::runtime_error("bad extension " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

}  // namespace

// A key and a certificate for it: a CA when issuer is null, else a leaf for dns_name.
struct TestCa::Identity {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key{EVP_EC_gen("P-256"), &EVP_PKEY_free};
  std::unique_ptr<X509, decltype(&X509_free)> cert{X509_new(), &X509_free};

  Identity(const std::string& dns_name, const std::string& common_name, const Identity* issuer) {
    static long serial = 1;
    X509* c = cert.get();
    X509_set_version(c, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(c), ++serial);
    X509_gmtime_adj(X509_getm_notBefore(c), -3600);
    X509_gmtime_adj(X509_getm_notAfter(c), 86400);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(c), "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
    X509* signer = issuer != nullptr ? issuer->cert.get() : c;
    X509_set_issuer_name(c, X509_get_subject_name(signer));
    X509_set_pubkey(c, key.get());
    if (issuer == nullptr) {
      AddExtension(c, signer, NID_basic_constraints, "critical,CA:TRUE");
      AddExtension(c, signer, NID_key_usage, "critical,keyCertSign");
    } else {
      AddExtension(c, signer, NID_subject_alt_name, "DNS:" + dns_name);
    }
    X509_sign(c, issuer != nullptr ? issuer->key.get() : key.get(), EVP_sha256());
  }

  std::string CertPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_X509(bio, cert.get());
    return Drain(bio);
  }
  std::string KeyPem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey_traditional(bio, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
    return Drain(bio);
  }
};

TestCa::TestCa() : ca_(std::make_unique<Identity>("Syncer Test CA", "Syncer Test CA", nullptr)) {}
TestCa::~TestCa() = default;

TlsFiles TestCa::Leaf(const std::string& dns_name, const std::string& common_name) const {
  Identity leaf(dns_name, common_name.empty() ? dns_name : common_name, ca_.get());
  return {leaf.CertPem() + ca_->CertPem(), leaf.KeyPem()};
}

std::string TestCa::CaPem() const { return ca_->CertPem(); }

std::string TestCa::Encrypted(const std::string& key_pem) {
  BIO* in = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
  BIO_free(in);
  BIO* out = BIO_new(BIO_s_mem());
  static char kPass[] = "secret";
  PEM_write_bio_PKCS8PrivateKey(out, key, EVP_aes_256_cbc(), kPass, 6, nullptr, nullptr);
  EVP_PKEY_free(key);
  return Drain(out);
}

}  // namespace mtasts::controller::testing
