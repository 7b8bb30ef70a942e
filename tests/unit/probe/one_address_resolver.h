// OneAddressResolver: a dns::Resolver whose every name has one A record, for probe tests that
// point a fetch at a LoopbackServer. Thread-compatible.
#pragma once

#include <string>
#include <utility>

#include "dns/resolver.h"

namespace mtasts::probe {

class OneAddressResolver final : public dns::Resolver {
 public:
  explicit OneAddressResolver(std::string address) : address_(std::move(address)) {}
  dns::TxtAnswer LookupTxt(std::string_view) override { return {}; }
  dns::MxAnswer LookupMx(std::string_view) override { return {}; }
  dns::AddressAnswer LookupAddresses(std::string_view name) override {
    dns::AddressAnswer answer;
    answer.name = std::string(name);
    answer.outcome = dns::Outcome::kFound;
    answer.records.push_back({address_, false, 300});
    return answer;
  }

 private:
  std::string address_;
};

}  // namespace mtasts::probe
