// SharedSmtpProber: wraps an SmtpProber so that a run with many domains is polite and does no
// work twice. It keeps at most one connection open to any destination address at a time (the
// per-address gate: mail servers throttle or greylist clients that open many parallel
// sessions), and probes each (MX host, address) pair only once per run, because hosting
// providers serve thousands of domains from the same MX hosts.
//
// Thread-safe: any number of threads may call Probe at once. Callers asking for a pair that is
// being probed wait for that probe's result instead of starting another.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "validate/sources.h"

namespace mtasts::validate {

class SharedSmtpProber final : public SmtpProber {
 public:
  explicit SharedSmtpProber(SmtpProber& inner) : inner_(inner) {}

  SmtpObservation Probe(std::string_view mx_host, std::string_view ip) override;

  // How many probes reached the inner prober (the rest were answered from this run's results).
  int probes_started() const;

 private:
  std::mutex& GateFor(const std::string& ip);

  SmtpProber& inner_;
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, std::shared_future<SmtpObservation>> results_;
  std::map<std::string, std::unique_ptr<std::mutex>> gates_;
  int probes_started_ = 0;
};

}  // namespace mtasts::validate
