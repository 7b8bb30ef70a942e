// The rollout state machine (DESIGN §5, §6; issue 9): from the spec, what the operator observed,
// what status kept, and the time, the mode to serve, the conditions, the Events, what status
// keeps, and when to look again. The mode moves none → testing → enforce and back, never past
// spec.mode, and enforce is chosen only when every gate passed within the last revalidation
// interval (I1). No I/O and no clock: `now` is a parameter. Pure; thread-safe.
//
// A reconcile calls Decide; when the decision says validate_now, it runs the gates (src/validate
// against the live domain) and calls Decide again with the result. It then serves the decided
// mode and announces it (serve first, announce second: the id follows the bytes, announce.h).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "controller/conditions.h"
#include "controller/report_gate.h"
#include "controller/rollout_gates.h"
#include "k8s/event_recorder.h"
#include "policy/policy_file.h"
#include "spec/mta_sts_policy.h"
#include "validate/finding.h"

namespace mtasts::controller {

inline constexpr char kEnforced[] = "Enforced";
inline constexpr char kValidated[] = "Validated";
inline constexpr char kDegraded[] = "Degraded";

struct RolloutObservations {
  // The latest gate run of this process, if any (a restart forgets it; status keeps the result).
  std::optional<GateRun> gates;
  // DNS answers the id status.policyId names, and every endpoint serves its bytes.
  bool announced = false;
  bool deleting = false;                // deletionTimestamp is set
  std::optional<std::string> approval;  // the kPromoteAnnotation value (names.h), if any
  // Gate 6 (report_gate.h), judged when the policy ingests TLS reports; nullopt otherwise.
  std::optional<ReportVerdict> reports;
  // With reports: the failed sessions in the window that enforce refuses (PolicyFailures).
  std::optional<std::int64_t> reported_failures;
};

// What status keeps of the rollout across restarts.
struct LastValidation {
  Clock::TimePoint at;  // when `passed` or the findings last changed
  bool passed = false;
  validate::Findings findings;  // errors first, then warnings; at most kMaxKeptFindings
  friend bool operator==(const LastValidation&, const LastValidation&) = default;
};

struct RolloutStatus {
  // What DNS announces (status.effectiveMode, status.policyId): set when announced, not here.
  std::optional<policy::Mode> effective_mode;
  std::string policy_id;
  std::int64_t largest_max_age = 0;  // the largest max_age ever announced
  // What the machine keeps.
  std::optional<policy::Mode> serving_mode;       // last decided: an Event marks each change
  std::optional<policy::Mode> target_mode;        // spec.mode last seen: a raise restarts testing
  std::optional<Clock::TimePoint> testing_since;  // testing announced; the period counts from here
  std::optional<LastValidation> last_validation;
  std::optional<Clock::TimePoint> eligible_at;  // testing_since + rollout.testingPeriod
  std::vector<Blocker> blocked_by;              // the failing gates, while spec.mode is enforce
  std::optional<Clock::TimePoint> removal_hold_since;  // mode none announced while deleting
  // RolloutObservations::reported_failures as last seen, and as it was when enforce was
  // announced: senders reporting more of them while enforcing is drift.
  std::int64_t reported_failures = 0;
  std::int64_t reported_failures_at_enforce = 0;
  friend bool operator==(const RolloutStatus&, const RolloutStatus&) = default;
};

struct RolloutSettings {
  std::chrono::seconds revalidate_interval{3600};  // --revalidate-interval; below 1s means 1s
  // In [0, 1), chosen by the caller per policy (e.g. from a hash of its key): spreads the checks
  // of many policies over time instead of running them at once.
  double jitter = 0;
};

struct RolloutEvent {
  k8s::EventType type = k8s::EventType::kNormal;
  std::string reason;
  std::string message;
  friend bool operator==(const RolloutEvent&, const RolloutEvent&) = default;
};

struct Decision {
  policy::Mode mode = policy::Mode::kNone;  // the mode to serve, then announce
  // `mode` is not what DNS announces: new bytes, hence a new id. (A change of mx or maxAge in the
  // spec also changes the bytes; IdFor gives those their new id.)
  bool mode_changes = false;
  bool validate_now = false;  // run the gates, then Decide again with their result
  bool release = false;       // deleting: remove records, files and objects, then the finalizer
  // What holds the rollout short of spec.mode (Progress::rollout: Ready, Reconciling, Stalled).
  Verdict rollout;
  std::vector<Condition> conditions;  // Enforced, Validated, Degraded
  std::vector<RolloutEvent> events;   // only for what changed since `status`
  RolloutStatus status;               // what status keeps now
  // Decide again by then even if nothing else happens; never sooner than a second from now.
  // nullopt: only when something changes.
  std::optional<Clock::TimePoint> next_look;
};

Decision Decide(const spec::MtaStsPolicySpec& spec, const RolloutObservations& observations,
                const RolloutStatus& status, Clock::TimePoint now,
                const RolloutSettings& settings = {});

}  // namespace mtasts::controller
