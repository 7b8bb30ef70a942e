// What the rollout tests share: one healthy policy (target enforce), gate runs, and the statuses
// of each stage of a rollout, all at explicit times.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "controller/rollout_machine.h"

namespace mtasts::controller::rollout_test {

using namespace std::chrono_literals;
using validate::FindingCode;

inline const Clock::TimePoint kT0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 1};
inline constexpr std::chrono::hours kPeriod{168};
inline constexpr std::chrono::seconds kInterval{3600};
inline const std::string kTestingId = "20261101T000000Z1a2b3c4d";
inline const std::string kEnforceId = "20261108T000000Z5e6f7a8b";

inline spec::MtaStsPolicySpec Spec() {
  spec::MtaStsPolicySpec s;
  s.domain = "example.com";
  s.mode = policy::Mode::kEnforce;
  s.mx = {"mx1.example.com", "*.mx.example.com"};
  s.max_age = 1209600;
  s.rollout.testing_period = kPeriod;
  s.rollout.testing_max_age = 86400;
  s.rollout.min_cert_validity = 336h;
  return s;
}

inline RolloutSettings Settings() { return {kInterval, 0}; }

// A gate run at `at` in which every gate passed, for the live MX set below.
inline GateRun Passing(Clock::TimePoint at) {
  return {at, {}, {"mx1.example.com", "a.mx.example.com"}};
}

inline validate::Finding Error(FindingCode code, const std::string& target) {
  return {code, Severity::kError, target, target + ": " + std::string(FindingCodeName(code))};
}

inline GateRun Failing(Clock::TimePoint at, FindingCode code, const std::string& target) {
  GateRun run = Passing(at);
  run.findings.push_back(Error(code, target));
  return run;
}

// Testing announced at kT0, soaking towards enforce, every gate passed at kT0.
inline RolloutStatus TestingStatus() {
  RolloutStatus s;
  s.effective_mode = policy::Mode::kTesting;
  s.policy_id = kTestingId;
  s.largest_max_age = 86400;
  s.serving_mode = policy::Mode::kTesting;
  s.target_mode = policy::Mode::kEnforce;
  s.testing_since = kT0;
  s.eligible_at = kT0 + kPeriod;
  s.last_validation = LastValidation{kT0, true, {}};
  return s;
}

// Enforce announced since kT0 + kPeriod, every gate passed then.
inline RolloutStatus EnforceStatus() {
  RolloutStatus s;
  s.effective_mode = policy::Mode::kEnforce;
  s.policy_id = kEnforceId;
  s.largest_max_age = 1209600;
  s.serving_mode = policy::Mode::kEnforce;
  s.target_mode = policy::Mode::kEnforce;
  s.last_validation = LastValidation{kT0 + kPeriod, true, {}};
  return s;
}

// "Warning Demoted" for each event, in order.
inline std::vector<std::string> EventLines(const Decision& d) {
  std::vector<std::string> out;
  for (const RolloutEvent& e : d.events) {
    out.push_back(std::string(k8s::EventTypeName(e.type)) + " " + e.reason);
  }
  return out;
}

inline const Condition* Find(const std::vector<Condition>& conditions, const std::string& type) {
  for (const Condition& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

}  // namespace mtasts::controller::rollout_test
