#include "controller/rollout_machine.h"

#include <algorithm>

#include "base/utc_time.h"
#include "controller/names.h"
#include "spec/serve.h"

namespace mtasts::controller {
namespace {

using policy::Mode;
using std::chrono::seconds;
using TimePoint = Clock::TimePoint;

std::string Name(Mode mode) { return std::string(policy::ModeName(mode)); }

bool Is(const std::optional<Mode>& mode, Mode want) { return mode && *mode == want; }

// "168h", "90m", "45s": the spelling the spec's durations use.
std::string DurationText(seconds s) {
  const int64_t n = s.count();
  if (n != 0 && n % 3600 == 0) return std::to_string(n / 3600) + "h";
  if (n != 0 && n % 60 == 0) return std::to_string(n / 60) + "m";
  return std::to_string(n) + "s";
}

// The first blocker's message, and how many more status lists.
std::string Summary(const std::vector<Blocker>& blockers) {
  if (blockers.empty()) return "no gate result is known";
  std::string out = blockers.front().message;
  if (blockers.size() > 1) {
    out += " (and " + std::to_string(blockers.size() - 1) + " more in status.promotion.blockedBy)";
  }
  return out;
}

// What the gates say, from this process's latest run, else from what status kept.
struct GateVerdict {
  bool known = false;
  bool fresh = false;  // run within the last revalidation interval (I1)
  TimePoint at;
  bool passed = false;
  std::vector<Blocker> blockers;
  bool mx_failing = false;  // gates 1-2 failed: drift or an MX certificate
  // Live MX hosts spec.mx does not cover though the policy served now does: a spec change, judged
  // before it is served. (One the served policy misses too is drift, for onMxDrift to decide.)
  std::vector<Blocker> uncovered_by_change;
};

// The state one decision builds up.
struct Pass {
  const spec::MtaStsPolicySpec& spec;
  const RolloutObservations& obs;
  const RolloutStatus& before;
  TimePoint now;
  seconds interval;
  double jitter;
  Decision d;
  GateVerdict gates;
  bool gates_changed = false;  // passed, or what blocks, differs from what status kept
  std::string mode_change_message;
  std::optional<Condition> degraded;
};

void AddEvent(Pass& p, k8s::EventType type, std::string reason, std::string message) {
  p.d.events.push_back({type, std::move(reason), std::move(message)});
}

// testing_since marks when testing was announced; leaving testing or raising spec.mode restarts
// the testing period.
void TrackTestingPeriod(Pass& p) {
  RolloutStatus& s = p.d.status;
  const bool raised =
      p.before.target_mode && spec::ModeRank(p.spec.mode) > spec::ModeRank(*p.before.target_mode);
  const bool testing = Is(p.before.effective_mode, Mode::kTesting);
  if (!testing || raised) s.testing_since.reset();
  if (testing && p.obs.announced && !s.testing_since && !p.obs.deleting &&
      p.spec.mode != Mode::kNone) {
    s.testing_since = p.now;
    std::string message = "mode testing is announced (policy " + p.before.policy_id + ")";
    if (p.spec.mode == Mode::kEnforce) {
      message += "; enforce may follow at " + FormatUtc(p.now + p.spec.rollout.testing_period) +
                 ", after rollout.testingPeriod " + DurationText(p.spec.rollout.testing_period) +
                 ", if every gate passes then";
    }
    AddEvent(p, k8s::EventType::kNormal, raised ? "TestingRestarted" : "TestingStarted",
             std::move(message));
  }
  s.target_mode = p.spec.mode;
  s.eligible_at.reset();
  if (p.spec.mode == Mode::kEnforce && s.testing_since && !p.obs.deleting) {
    s.eligible_at = *s.testing_since + p.spec.rollout.testing_period;
  }
}

validate::Findings Kept(const validate::Findings& findings) {
  validate::Findings out;
  for (Severity level : {Severity::kError, Severity::kWarning}) {
    for (const validate::Finding& f : findings) {
      if (f.severity == level && out.size() < kMaxKeptFindings) out.push_back(f);
    }
  }
  return out;
}

// The gates' verdict; status.lastValidation is rewritten only when the result changes, so a
// steady domain costs no status write per check.
void JudgeGates(Pass& p) {
  GateVerdict& g = p.gates;
  if (p.obs.gates) {
    const GateRun& run = *p.obs.gates;
    validate::Findings all = run.findings;
    for (const Blocker& b : BlockersOf(UncoveredBySpec(p.spec.mx, run.live_mx_hosts))) {
      const bool seen = std::any_of(all.begin(), all.end(), [&](const validate::Finding& f) {
        return f.code == b.code && f.target == b.target && f.severity == Severity::kError;
      });
      if (seen) continue;
      all.push_back({b.code, Severity::kError, b.target, b.message});
      g.uncovered_by_change.push_back(b);
    }
    g.known = true;
    g.at = run.at;
    g.fresh = run.at <= p.now && p.now - run.at < p.interval;
    g.blockers = BlockersOf(all);
    g.passed = g.blockers.empty();
    const LastValidation next{run.at, g.passed, Kept(all)};
    const std::optional<LastValidation>& last = p.before.last_validation;
    if (!last || last->passed != next.passed || last->findings != next.findings) {
      p.d.status.last_validation = next;
    }
    p.gates_changed = !last || last->passed != g.passed || BlockersOf(last->findings) != g.blockers;
  } else if (const std::optional<LastValidation>& last = p.before.last_validation) {
    g.known = true;
    g.at = last->at;
    g.blockers = BlockersOf(last->findings);
    g.passed = last->passed;
  }
  for (const Blocker& b : g.blockers) g.mx_failing |= GateOf(b.code) == Gate::kMx;
  p.d.status.blocked_by =
      p.spec.mode == Mode::kEnforce && !p.obs.deleting ? g.blockers : std::vector<Blocker>{};
}

Verdict Holding(std::string reason, std::string message, bool needs_person) {
  return {false, std::move(reason), std::move(message), needs_person};
}

// What senders report of sessions enforce refuses: the count as of the reports, and the same
// count when enforce was announced, which stays while enforcing (lowered only as days leave the
// window), so a rise seen once holds until the demotion it causes is announced.
void TrackReportedFailures(Pass& p) {
  if (!p.obs.reported_failures) return;
  RolloutStatus& s = p.d.status;
  s.reported_failures = *p.obs.reported_failures;
  s.reported_failures_at_enforce =
      Is(p.before.effective_mode, Mode::kEnforce)
          ? std::min(p.before.reported_failures_at_enforce, s.reported_failures)
          : s.reported_failures;
}

// spec.mode enforce, enforce announced: stay while the gates pass (I1); on drift, onMxDrift.
void KeepOrDemote(Pass& p) {
  const GateVerdict& g = p.gates;
  p.d.mode = Mode::kEnforce;
  p.mode_change_message = "every enforce gate passes: mode enforce stays served";
  if (!g.uncovered_by_change.empty()) {
    // A spec change judged before it is served: enforce with these mx would refuse mail.
    p.d.mode = Mode::kTesting;
    p.mode_change_message = Summary(g.uncovered_by_change) +
                            "; spec.mx would not cover it under enforce, so mode testing is "
                            "served with a new id";
    p.d.rollout = Holding("MxNotCovered", p.mode_change_message, true);
    return;
  }
  const bool demote = p.spec.rollout.on_mx_drift == spec::MxDriftAction::kDemote;
  const RolloutStatus& s = p.d.status;
  if (const int64_t reported = s.reported_failures - s.reported_failures_at_enforce; reported > 0) {
    const std::string what = "senders reported " + std::to_string(reported) +
                             (reported == 1 ? " failed session" : " failed sessions") +
                             " of result types enforce refuses (sts-*, certificate-*; see "
                             "status.reports) since mode enforce was announced";
    if (demote) {
      p.d.mode = Mode::kTesting;
      p.mode_change_message = what +
                              "; rollout.onMxDrift is Demote: mode testing is served with a new "
                              "id, and enforce returns after rollout.testingPeriod once the "
                              "reports and every gate pass";
      p.d.rollout = Holding("ReportedFailures", p.mode_change_message, false);
      return;
    }
    const std::string message = what + "; rollout.onMxDrift is Alert, so mode enforce stays";
    p.degraded = Condition{kDegraded, "True", "ReportedFailures", message};
    p.d.rollout = Holding("ReportedFailures", message, true);
    if (s.reported_failures > p.before.reported_failures) {
      AddEvent(p, k8s::EventType::kWarning, "ReportedFailures", message);
    }
  }
  if (!g.known || g.passed) return;
  if (g.mx_failing && demote) {
    p.d.mode = Mode::kTesting;
    p.mode_change_message = Summary(g.blockers) +
                            "; rollout.onMxDrift is Demote: mode testing is served with a new "
                            "id, and enforce returns after rollout.testingPeriod once every "
                            "gate passes";
    p.d.rollout = Holding("MxDrift", p.mode_change_message, true);
    return;
  }
  // Alert, or a gate demoting would not fix (the policy or the record as published, or a check
  // that could not look): enforce stays, and says so.
  if (g.mx_failing) {
    const std::string message =
        Summary(g.blockers) +
        "; rollout.onMxDrift is Alert, so mode enforce stays and senders that enforce it will "
        "not deliver there: fix the MX, or set spec.mode to testing";
    p.degraded = Condition{kDegraded, "True", "MxDrift", message};
    p.d.rollout = Holding("MxDrift", message, true);
  } else {
    const std::string message = Summary(g.blockers) + "; mode enforce stays announced";
    p.degraded = Condition{kDegraded, "True", "GatesFailing", message};
    p.d.rollout = Holding("GatesFailing", message, false);
  }
}

// spec.mode enforce, testing announced: enforce once the testing period is over, every gate
// passed at its end (I1), and autoPromote or a person approved this id.
void PromoteOrWait(Pass& p) {
  const GateVerdict& g = p.gates;
  const RolloutStatus& s = p.d.status;
  p.d.mode = Mode::kTesting;
  if (!s.testing_since || !s.eligible_at) {
    p.d.rollout =
        Holding("RolloutPending",
                "mode testing is served first; rollout.testingPeriod " +
                    DurationText(p.spec.rollout.testing_period) + " starts once it is announced",
                false);
    return;
  }
  const TimePoint eligible = *s.eligible_at;
  if (g.known && !g.passed) {
    p.d.rollout = Holding("GatesFailing", Summary(g.blockers), g.mx_failing);
    return;
  }
  if (p.now < eligible) {
    p.d.rollout =
        Holding("Testing",
                "mode testing is announced since " + FormatUtc(*s.testing_since) +
                    "; enforce may follow at " + FormatUtc(eligible) + " (rollout.testingPeriod " +
                    DurationText(p.spec.rollout.testing_period) + ")",
                false);
    return;
  }
  if (!g.fresh || g.at < eligible) {
    p.d.rollout = Holding("Validating",
                          "the testing period ended at " + FormatUtc(eligible) +
                              "; every gate is checked again before enforce",
                          false);
    return;
  }
  if (p.obs.reports && !p.obs.reports->passed) {
    p.d.rollout = Holding(p.obs.reports->reason, p.obs.reports->message, false);
    return;
  }
  const bool approved = p.obs.approval && *p.obs.approval == p.before.policy_id;
  if (!p.spec.rollout.auto_promote && !approved) {
    std::string message =
        "every gate passed and the testing period is over; "
        "rollout.autoPromote is false: approve policy " +
        p.before.policy_id + " with the annotation " + std::string(kPromoteAnnotation) + "=" +
        p.before.policy_id;
    if (p.obs.approval) {
      message += " (the annotation names another policy id, which does not approve this one)";
    }
    p.d.rollout = Holding("AwaitingApproval", message, true);
    return;
  }
  p.d.mode = Mode::kEnforce;
  p.mode_change_message = "every gate passed at " + FormatUtc(g.at) +
                          ", after rollout.testingPeriod " +
                          DurationText(p.spec.rollout.testing_period) +
                          (approved ? ", and policy " + p.before.policy_id + " was approved" : "") +
                          ": mode enforce is served, then announced";
}

void TowardsTarget(Pass& p) {
  p.d.rollout = {true, "TargetReached", "mode " + Name(p.spec.mode) + " is the target"};
  if (p.spec.mode != Mode::kEnforce) {
    p.d.mode = p.spec.mode;
    p.mode_change_message = "spec.mode is " + Name(p.spec.mode) + ": mode " + Name(p.spec.mode) +
                            " is served with a new id, then announced";
    return;
  }
  if (Is(p.before.effective_mode, Mode::kEnforce)) {
    KeepOrDemote(p);
  } else if (Is(p.before.effective_mode, Mode::kTesting)) {
    PromoteOrWait(p);
  } else {
    p.d.mode = Mode::kTesting;
    p.mode_change_message =
        "mode testing is served first, then announced; enforce may follow "
        "after rollout.testingPeriod " +
        DurationText(p.spec.rollout.testing_period);
    p.d.rollout = Holding("RolloutPending", p.mode_change_message, false);
  }
}

// Deleting: mode none with a new id, announced and held for the largest max_age ever announced
// (Graceful), then released; Immediate releases at once and says what senders may still cache.
void Remove(Pass& p) {
  RolloutStatus& s = p.d.status;
  p.d.mode = Mode::kNone;
  p.d.rollout = {true, "Released", "the records and the policy are removed"};
  const seconds largest{p.before.largest_max_age};
  if (!p.before.effective_mode) {
    p.d.release = true;
    return;
  }
  if (p.spec.removal == spec::RemovalStrategy::kImmediate) {
    p.d.release = true;
    AddEvent(p, k8s::EventType::kWarning, "RemovedImmediately",
             "removal is Immediate: the records and the policy are removed without a hold; "
             "senders that cached policy " +
                 p.before.policy_id + " (mode " + Name(*p.before.effective_mode) +
                 ") may apply it until " + FormatUtc(p.now + largest) + ", the largest max_age (" +
                 DurationText(largest) + ") ever announced");
    return;
  }
  p.mode_change_message =
      "the policy is being deleted: mode none is served with a new id, "
      "announced, and kept for the largest max_age (" +
      DurationText(largest) + ") ever announced";
  if (!Is(p.before.effective_mode, Mode::kNone) || !p.obs.announced) {
    p.d.rollout = Holding("Removing", p.mode_change_message, false);
    return;
  }
  if (!s.removal_hold_since) {
    s.removal_hold_since = p.now;
    AddEvent(p, k8s::EventType::kNormal, "RemovalHeld",
             "mode none is announced (policy " + p.before.policy_id + "); it is kept until " +
                 FormatUtc(p.now + largest) + ", then the records and the policy are removed");
  }
  const TimePoint hold_end = *s.removal_hold_since + largest;
  if (p.now >= hold_end) {
    p.d.release = true;
    AddEvent(p, k8s::EventType::kNormal, "Released",
             "mode none was announced from " + FormatUtc(*s.removal_hold_since) +
                 " for the largest max_age (" + DurationText(largest) +
                 ") ever announced: removing the records, then the policy");
    return;
  }
  p.d.rollout = Holding("RemovalHold",
                        "mode none is announced (policy " + p.before.policy_id + "); kept until " +
                            FormatUtc(hold_end) + ", the end of the largest max_age (" +
                            DurationText(largest) +
                            ") ever announced, then the records and the policy are removed",
                        false);
  p.d.next_look = hold_end;
}

void EventsOfChange(Pass& p) {
  const std::optional<Mode> previous =
      p.before.serving_mode ? p.before.serving_mode : p.before.effective_mode;
  const bool changed = previous && *previous != p.d.mode && !p.d.release;
  // Testing entered from none is told once it is announced (TrackTestingPeriod).
  const bool from_none = Is(previous, Mode::kNone) && p.d.mode == Mode::kTesting;
  if (changed && !from_none) {
    const bool up = spec::ModeRank(p.d.mode) > spec::ModeRank(*previous);
    const bool demoted = !p.obs.deleting && !up && p.spec.mode == Mode::kEnforce;
    const char* reason = p.obs.deleting ? "RemovalStarted"
                         : up           ? "Promoted"
                         : demoted      ? "Demoted"
                                        : "RolledBack";
    AddEvent(p, demoted ? k8s::EventType::kWarning : k8s::EventType::kNormal, reason,
             p.mode_change_message.empty() ? p.d.rollout.message : p.mode_change_message);
  }
  if (p.gates_changed && p.spec.mode == Mode::kEnforce && !p.obs.deleting) {
    if (p.gates.passed) {
      AddEvent(p, k8s::EventType::kNormal, "GatesPassed", "every enforce gate passed");
    } else {
      AddEvent(p, k8s::EventType::kWarning, p.degraded ? "Degraded" : "GatesFailed",
               p.degraded ? p.degraded->message : Summary(p.gates.blockers));
    }
  }
}

std::vector<Condition> ConditionsOf(const Pass& p) {
  std::vector<Condition> out;
  const std::optional<Mode>& announced = p.before.effective_mode;
  if (Is(announced, Mode::kEnforce)) {
    out.push_back({kEnforced, "True", "Enforcing",
                   "mode enforce is announced (policy " + p.before.policy_id + ")"});
  } else {
    const char* reason = !announced                      ? "NotAnnounced"
                         : Is(announced, Mode::kTesting) ? "Testing"
                                                         : "ModeNone";
    out.push_back({kEnforced, "False", reason,
                   (announced ? "mode " + Name(*announced) : std::string("nothing")) +
                       " is announced; spec.mode is " + Name(p.spec.mode)});
  }
  if (p.spec.mode != Mode::kEnforce && !Is(announced, Mode::kEnforce)) {
    out.push_back({kValidated, "Unknown", "NotRequired",
                   "spec.mode is " + Name(p.spec.mode) + ": the enforce gates are not checked"});
  } else if (!p.gates.known) {
    out.push_back({kValidated, "Unknown", "NotYetValidated", "the enforce gates have not run yet"});
  } else if (p.gates.passed) {
    out.push_back({kValidated, "True", "GatesPassed", "every enforce gate passed"});
  } else {
    out.push_back({kValidated, "False", "GatesFailed", Summary(p.gates.blockers)});
  }
  out.push_back(p.degraded.value_or(Condition{kDegraded, "False", "NotDegraded", ""}));
  return out;
}

// When the gates run next: an interval after the last run, shortened by up to a tenth by the
// jitter (so a run always falls within the interval I1 asks for); after a restart, an interval
// after the result status kept, or spread over the coming interval when that is past; at the end
// of the testing period, so a promotion waits no longer than it must.
TimePoint GatesDueAt(const Pass& p) {
  const auto spread = [&](double fraction) {
    return std::chrono::duration_cast<seconds>(p.interval * fraction);
  };
  TimePoint due = p.now;
  if (p.obs.gates) {
    due = p.obs.gates->at + p.interval - spread(p.jitter / 10);
  } else if (p.before.last_validation) {
    due = p.before.last_validation->at + p.interval;
    if (due < p.now) due = p.now + spread(p.jitter);
  }
  const std::optional<TimePoint>& eligible = p.d.status.eligible_at;
  if (eligible && (!p.obs.gates || p.obs.gates->at < *eligible)) due = std::min(due, *eligible);
  return due;
}

void Schedule(Pass& p) {
  std::optional<TimePoint> next = p.d.next_look;
  const auto consider = [&](TimePoint t) { next = next ? std::min(*next, t) : t; };
  if (p.spec.mode == Mode::kEnforce && !p.obs.deleting) {
    const TimePoint due = GatesDueAt(p);
    p.d.validate_now = due <= p.now;
    consider(due);
    if (p.d.status.eligible_at && *p.d.status.eligible_at > p.now)
      consider(*p.d.status.eligible_at);
  }
  // Never a hot loop, whatever the interval or the clock says.
  if (next) p.d.next_look = std::max(*next, p.now + seconds(1));
}

}  // namespace

Decision Decide(const spec::MtaStsPolicySpec& spec, const RolloutObservations& observations,
                const RolloutStatus& status, Clock::TimePoint now,
                const RolloutSettings& settings) {
  Pass p{spec,
         observations,
         status,
         now,
         std::max(settings.revalidate_interval, seconds(1)),
         std::clamp(settings.jitter, 0.0, 1.0),
         {},
         {},
         false,
         {},
         {}};
  p.d.status = status;
  TrackTestingPeriod(p);
  TrackReportedFailures(p);
  JudgeGates(p);
  if (observations.deleting) {
    Remove(p);
  } else {
    TowardsTarget(p);
  }
  p.d.mode_changes = !status.effective_mode || *status.effective_mode != p.d.mode;
  p.d.status.serving_mode = p.d.mode;
  if (!observations.deleting) p.d.status.removal_hold_since.reset();
  EventsOfChange(p);
  p.d.conditions = ConditionsOf(p);
  Schedule(p);
  return p.d;
}

}  // namespace mtasts::controller
