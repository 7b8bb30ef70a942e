// A throwaway CA and the leaf certificates it signs, in PEM, for tests of what the syncer serves.
// Keys are EC P-256; a leaf's key comes in the traditional "EC PRIVATE KEY" form, as
// cert-manager writes it. Not thread-safe.
#pragma once

#include <memory>
#include <string>

namespace mtasts::controller::testing {

struct TlsFiles {
  std::string chain;  // the leaf, then the CA
  std::string key;    // the leaf's key
};

class TestCa {
 public:
  TestCa();
  ~TestCa();

  // A leaf for `dns_name`, valid from an hour ago for a day; its subject's CN is `common_name`
  // when given (to tell two leaves for one name apart), else dns_name.
  TlsFiles Leaf(const std::string& dns_name, const std::string& common_name = "") const;
  // The CA certificate, to trust.
  std::string CaPem() const;
  // `key` encrypted with a pass phrase (PKCS#8, AES-256-CBC).
  static std::string Encrypted(const std::string& key_pem);

 private:
  struct Identity;
  std::unique_ptr<Identity> ca_;
};

}  // namespace mtasts::controller::testing
