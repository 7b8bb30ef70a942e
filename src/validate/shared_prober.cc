#include "validate/shared_prober.h"

namespace mtasts::validate {

SmtpObservation SharedSmtpSource::Probe(std::string_view mx_host, std::string_view ip,
                                        Deadline deadline) {
  const std::string address(ip);
  return results_.Get({std::string(mx_host), address}, [&] {
    std::lock_guard one_connection(GateFor(address));
    return inner_.Probe(mx_host, ip, deadline);
  });
}

std::mutex& SharedSmtpSource::GateFor(const std::string& ip) {
  std::lock_guard lock(gates_mu_);
  auto& gate = gates_[ip];
  if (!gate) gate = std::make_unique<std::mutex>();
  return *gate;
}

dns::AddressAnswer SharedAddressResolver::LookupAddresses(std::string_view name) {
  return answers_.Get(std::string(name), [&] { return inner_.LookupAddresses(name); });
}

}  // namespace mtasts::validate
