// SharedSmtpSource: wraps an SmtpSource so that a run with many domains is polite and does no
// work twice. It keeps at most one connection open to any destination address at a time (the
// per-address gate: mail servers throttle or greylist clients that open many parallel
// sessions), and probes each (MX host, address) pair only once per run, because hosting
// providers serve thousands of domains from the same MX hosts.
//
// Thread-safe: any number of threads may call Probe at once. Callers asking for a pair that is
// being probed wait for that probe's result instead of starting another.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "dns/resolver.h"
#include "validate/once_per_key.h"
#include "validate/sources.h"

namespace mtasts::validate {

class SharedSmtpSource final : public SmtpSource {
 public:
  explicit SharedSmtpSource(SmtpSource& inner) : inner_(inner) {}

  SmtpObservation Probe(std::string_view mx_host, std::string_view ip, Deadline deadline) override;

  // How many probes reached the inner prober (the rest were answered from this run's results).
  int probes_started() const { return results_.computed(); }

 private:
  std::mutex& GateFor(const std::string& ip);

  SmtpSource& inner_;
  OncePerKey<std::pair<std::string, std::string>, SmtpObservation> results_;
  std::mutex gates_mu_;
  std::map<std::string, std::unique_ptr<std::mutex>> gates_;
};

// SharedAddressResolver: a dns::Resolver that asks the inner one for the addresses of each name
// once per run (MX hosts shared by many domains), and passes TXT and MX questions through.
// Thread-safe when the inner resolver is.
class SharedAddressResolver final : public dns::Resolver {
 public:
  explicit SharedAddressResolver(dns::Resolver& inner) : inner_(inner) {}

  dns::TxtAnswer LookupTxt(std::string_view name) override { return inner_.LookupTxt(name); }
  dns::MxAnswer LookupMx(std::string_view name) override { return inner_.LookupMx(name); }
  dns::AddressAnswer LookupAddresses(std::string_view name) override;

  int lookups_started() const { return answers_.computed(); }

 private:
  dns::Resolver& inner_;
  OncePerKey<std::string, dns::AddressAnswer> answers_;
};

}  // namespace mtasts::validate
