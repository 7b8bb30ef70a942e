// FakeResolver: a dns::Resolver answering from maps filled by the test; a name in no map is
// NXDOMAIN. Not thread-safe: fill it before the code under test runs.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "dns/resolver.h"

namespace mtasts::dns {

class FakeResolver final : public Resolver {
 public:
  std::map<std::string, TxtAnswer> txt;
  std::map<std::string, MxAnswer> mx;
  std::map<std::string, AddressAnswer> addresses;

  TxtAnswer LookupTxt(std::string_view name) override { return Find(txt, name); }
  MxAnswer LookupMx(std::string_view name) override { return Find(mx, name); }
  AddressAnswer LookupAddresses(std::string_view name) override { return Find(addresses, name); }

 private:
  template <typename A>
  static A Find(const std::map<std::string, A>& answers, std::string_view name) {
    auto it = answers.find(std::string(name));
    if (it != answers.end()) return it->second;
    A none;
    none.outcome = Outcome::kNxDomain;
    none.name = std::string(name);
    return none;
  }
};

}  // namespace mtasts::dns
