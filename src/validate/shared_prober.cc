#include "validate/shared_prober.h"

namespace mtasts::validate {

SmtpObservation SharedSmtpProber::Probe(std::string_view mx_host, std::string_view ip) {
  std::promise<SmtpObservation> promise;
  std::shared_future<SmtpObservation> result;
  bool mine = false;
  {
    std::lock_guard lock(mu_);
    auto key = std::make_pair(std::string(mx_host), std::string(ip));
    auto it = results_.find(key);
    if (it == results_.end()) {
      result = promise.get_future().share();
      results_.emplace(std::move(key), result);
      ++probes_started_;
      mine = true;
    } else {
      result = it->second;
    }
  }
  if (mine) {
    std::mutex& gate = GateFor(std::string(ip));
    std::lock_guard one_connection(gate);
    try {
      promise.set_value(inner_.Probe(mx_host, ip));
    } catch (...) {
      // Waiters must never hang on a probe that threw.
      promise.set_exception(std::current_exception());
    }
  }
  return result.get();
}

int SharedSmtpProber::probes_started() const {
  std::lock_guard lock(mu_);
  return probes_started_;
}

std::mutex& SharedSmtpProber::GateFor(const std::string& ip) {
  std::lock_guard lock(mu_);
  auto& gate = gates_[ip];
  if (!gate) gate = std::make_unique<std::mutex>();
  return *gate;
}

}  // namespace mtasts::validate
