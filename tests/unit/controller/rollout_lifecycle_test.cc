// The rollout state machine over a policy's life: spec changes, deletion, when it looks again,
// the conditions kstatus reads, and invariant I1 over every combination of inputs.
#include <gtest/gtest.h>

#include "controller/rollout_machine.h"
#include "rollout_fixtures.h"
#include "spec/serve.h"

namespace mtasts::controller {
namespace {

using namespace rollout_test;
using policy::Mode;

TEST(RolloutLifecycleTest, LoweringSpecModeRollsBackWithANewPolicy) {
  struct Row {
    const char* name;
    Mode announced;
    Mode target;
    Mode expected;
    std::vector<std::string> events;
  };
  const Row rows[] = {
      {"enforce kept", Mode::kEnforce, Mode::kEnforce, Mode::kEnforce, {}},
      {"enforce to testing", Mode::kEnforce, Mode::kTesting, Mode::kTesting, {"Normal RolledBack"}},
      {"enforce to none", Mode::kEnforce, Mode::kNone, Mode::kNone, {"Normal RolledBack"}},
      {"testing to none", Mode::kTesting, Mode::kNone, Mode::kNone, {"Normal RolledBack"}},
      {"none to testing (told once announced)", Mode::kNone, Mode::kTesting, Mode::kTesting, {}},
  };
  for (const Row& row : rows) {
    RolloutStatus status = EnforceStatus();
    status.effective_mode = status.serving_mode = row.announced;
    spec::MtaStsPolicySpec spec = Spec();
    spec.mode = row.target;
    const Clock::TimePoint now = kT0 + kPeriod + 1h;
    RolloutObservations obs;
    obs.announced = true;
    obs.gates = Passing(now);
    const Decision d = Decide(spec, obs, status, now, Settings());
    EXPECT_EQ(d.mode, row.expected) << row.name;
    EXPECT_EQ(d.mode_changes, row.announced != row.expected) << row.name;
    EXPECT_TRUE(d.rollout.ok) << row.name;
    EXPECT_EQ(EventLines(d), row.events) << row.name;
    EXPECT_LE(spec::ModeRank(d.mode), spec::ModeRank(row.target)) << row.name;
  }
}

TEST(RolloutLifecycleTest, RaisingSpecModeAgainStartsTheTestingPeriodOver) {
  // Testing announced for a month while spec.mode was testing, then raised to enforce.
  RolloutStatus status = TestingStatus();
  status.target_mode = Mode::kTesting;
  status.eligible_at.reset();
  const Clock::TimePoint now = kT0 + 720h;
  RolloutObservations obs;
  obs.announced = true;
  obs.gates = Passing(now);
  const Decision raised = Decide(Spec(), obs, status, now, Settings());
  EXPECT_EQ(raised.mode, Mode::kTesting);
  EXPECT_EQ(raised.status.testing_since, now);
  EXPECT_EQ(raised.status.eligible_at, now + kPeriod);
  EXPECT_EQ(raised.status.target_mode, Mode::kEnforce);
  EXPECT_EQ(EventLines(raised), (std::vector<std::string>{"Normal TestingRestarted"}));
  // Had spec.mode been enforce all along, the month would count.
  status.target_mode = Mode::kEnforce;
  EXPECT_EQ(Decide(Spec(), obs, status, now, Settings()).mode, Mode::kEnforce);
  // The restarted period runs out a testing period later.
  const Clock::TimePoint later = now + kPeriod + 1min;
  obs.gates = Passing(later);
  EXPECT_EQ(Decide(Spec(), obs, raised.status, later, Settings()).mode, Mode::kEnforce);
}

TEST(RolloutLifecycleTest, TheTestingPeriodCountsFromTheAnnouncement) {
  RolloutStatus status = EnforceStatus();
  RolloutObservations obs;
  obs.announced = true;
  // Leaving testing forgets when it began.
  status.testing_since = kT0;
  EXPECT_EQ(Decide(Spec(), obs, status, kT0 + 1h, Settings()).status.testing_since, std::nullopt);
  // Testing decided, not yet announced: the clock waits.
  status = TestingStatus();
  status.testing_since.reset();
  obs.announced = false;
  EXPECT_EQ(Decide(Spec(), obs, status, kT0 + 1h, Settings()).status.testing_since, std::nullopt);
  obs.announced = true;
  const Decision d = Decide(Spec(), obs, status, kT0 + 2h, Settings());
  EXPECT_EQ(d.status.testing_since, kT0 + 2h);
  EXPECT_EQ(d.status.eligible_at, kT0 + 2h + kPeriod);
}

// Deletion under enforce, Graceful unless the row says otherwise; largest max_age 14 days.
TEST(RolloutLifecycleTest, Removal) {
  const std::chrono::seconds largest{1209600};
  const Clock::TimePoint now = kT0 + 1000h;
  struct Row {
    const char* name;
    std::function<void(spec::MtaStsPolicySpec&, RolloutStatus&, RolloutObservations&)> change;
    bool release;
    const char* reason;
    std::vector<std::string> events;
    std::optional<Clock::TimePoint> hold_since;
  };
  const auto none_announced = [](spec::MtaStsPolicySpec&, RolloutStatus& s,
                                 RolloutObservations& o) {
    s.effective_mode = s.serving_mode = Mode::kNone;
    s.policy_id = "20261212T000000Z00000000";
    o.announced = true;
  };
  const Row rows[] = {
      {"deleted under enforce",
       [](auto&, auto&, auto&) {},
       false,
       "Removing",
       {"Normal RemovalStarted"},
       std::nullopt},
      {"none served, not announced yet",
       [](auto&, RolloutStatus& s, auto&) { s.serving_mode = Mode::kNone; },
       false,
       "Removing",
       {},
       std::nullopt},
      {"none announced: the hold starts",
       none_announced,
       false,
       "RemovalHold",
       {"Normal RemovalHeld"},
       now},
      {"half way through the hold (a restart keeps it)",
       [=](auto& spec, RolloutStatus& s, auto& o) {
         none_announced(spec, s, o);
         s.removal_hold_since = now - 168h;
       },
       false,
       "RemovalHold",
       {},
       now - 168h},
      {"the hold over",
       [=](auto& spec, RolloutStatus& s, auto& o) {
         none_announced(spec, s, o);
         s.removal_hold_since = now - largest;
       },
       true,
       "Released",
       {"Normal Released"},
       now - largest},
      {"Immediate",
       [](spec::MtaStsPolicySpec& spec, auto&, auto&) {
         spec.removal = spec::RemovalStrategy::kImmediate;
       },
       true,
       "Released",
       {"Warning RemovedImmediately"},
       std::nullopt},
      {"nothing ever announced",
       [](auto&, RolloutStatus& s, auto&) { s = {}; },
       true,
       "Released",
       {},
       std::nullopt},
  };
  for (const Row& row : rows) {
    spec::MtaStsPolicySpec spec = Spec();
    RolloutStatus status = EnforceStatus();
    RolloutObservations obs;
    obs.deleting = true;
    obs.announced = true;
    obs.gates = Passing(now);
    row.change(spec, status, obs);
    const Decision d = Decide(spec, obs, status, now, Settings());
    EXPECT_EQ(d.mode, Mode::kNone) << row.name;
    EXPECT_EQ(d.release, row.release) << row.name;
    EXPECT_EQ(d.rollout.reason, row.reason) << row.name;
    EXPECT_EQ(EventLines(d), row.events) << row.name;
    EXPECT_EQ(d.status.removal_hold_since, row.hold_since) << row.name;
    EXPECT_FALSE(d.validate_now) << row.name;
    EXPECT_TRUE(d.status.blocked_by.empty()) << row.name;
    if (row.hold_since && !row.release) {
      EXPECT_EQ(d.next_look, *row.hold_since + largest) << row.name;
    }
  }
}

TEST(RolloutLifecycleTest, ImmediateRemovalSaysWhatSendersMayCache) {
  spec::MtaStsPolicySpec spec = Spec();
  spec.removal = spec::RemovalStrategy::kImmediate;
  RolloutObservations obs;
  obs.deleting = true;
  const Decision d = Decide(spec, obs, EnforceStatus(), kT0, Settings());
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].message,
            "removal is Immediate: the records and the policy are removed without a hold; "
            "senders that cached policy " +
                kEnforceId +
                " (mode enforce) may apply it until 2026-11-15T00:00:00Z, the largest max_age "
                "(336h) ever announced");
}

// When the gates run next and when to look again; enforce announced.
TEST(RolloutLifecycleTest, Schedule) {
  const Clock::TimePoint now = kT0 + 1000h;
  struct Row {
    const char* name;
    std::function<void(RolloutStatus&, RolloutObservations&, RolloutSettings&)> change;
    bool validate_now;
    std::optional<Clock::TimePoint> next_look;
  };
  const Row rows[] = {
      {"just ran", [](auto&, auto&, auto&) {}, false, now + 1h},
      {"jitter shortens the interval by up to a tenth",
       [](auto&, auto&, RolloutSettings& s) { s.jitter = 0.5; }, false, now + 57min},
      {"an interval under a second is a second",
       [](auto&, auto&, RolloutSettings& s) { s.revalidate_interval = 0s; }, false, now + 1s},
      {"due: run now, look again no sooner than a second",
       [=](auto&, RolloutObservations& o, auto&) { o.gates = Passing(now - 1h); }, true, now + 1s},
      {"a restart: from the result status kept",
       [=](RolloutStatus& s, RolloutObservations& o, auto&) {
         o.gates.reset();
         s.last_validation->at = now - 10min;
       },
       false, now + 50min},
      {"a restart long after: spread over the coming interval",
       [=](RolloutStatus& s, RolloutObservations& o, RolloutSettings& set) {
         o.gates.reset();
         s.last_validation->at = now - 30h;
         set.jitter = 0.25;
       },
       false, now + 15min},
      {"never ran",
       [=](RolloutStatus& s, RolloutObservations& o, auto&) {
         o.gates.reset();
         s.last_validation.reset();
       },
       true, now + 1s},
      {"soaking: the end of the testing period comes first",
       [=](RolloutStatus& s, auto&, auto&) {
         s = TestingStatus();
         s.testing_since = now - kPeriod + 20min;
       },
       false, now + 20min},
      {"spec.mode testing: nothing to check",
       [](RolloutStatus& s, auto&, auto&) {
         s = TestingStatus();
         s.target_mode = Mode::kTesting;
       },
       false, std::nullopt},
  };
  for (const Row& row : rows) {
    RolloutStatus status = EnforceStatus();
    RolloutObservations obs;
    obs.announced = true;
    obs.gates = Passing(now);
    RolloutSettings settings = Settings();
    row.change(status, obs, settings);
    spec::MtaStsPolicySpec spec = Spec();
    if (status.target_mode) spec.mode = *status.target_mode;
    const Decision d = Decide(spec, obs, status, now, settings);
    EXPECT_EQ(d.validate_now, row.validate_now) << row.name;
    EXPECT_EQ(d.next_look, row.next_look) << row.name;
  }
}

// Ready, Reconciling and Stalled as kstatus reads them, from the rollout's verdict with every
// other stage done.
TEST(RolloutLifecycleTest, ConditionsKstatusReads) {
  struct Row {
    const char* name;
    RolloutStatus status;
    std::function<void(spec::MtaStsPolicySpec&, RolloutObservations&)> change;
    Clock::TimePoint now;
    const char* ready;
    const char* reconciling;
    const char* stalled;
    const char* enforced;
    const char* validated;
  };
  const Clock::TimePoint soaked = kT0 + kPeriod + 1min;
  const Row rows[] = {
      // Not Ready until enforce is announced: kstatus and Argo CD must not call the rollout done.
      {"promoted (enforce not yet announced)", TestingStatus(), [](auto&, auto&) {}, soaked,
       "False", "True", "False", "False", "True"},
      {"soaking", TestingStatus(), [](auto&, auto&) {}, kT0 + 1h, "False", "True", "False", "False",
       "True"},
      {"waiting for approval", TestingStatus(),
       [](spec::MtaStsPolicySpec& s, auto&) { s.rollout.auto_promote = false; }, soaked, "False",
       "False", "True", "False", "True"},
      {"an MX not covered", TestingStatus(),
       [=](auto&, RolloutObservations& o) {
         o.gates = Failing(soaked, FindingCode::kValidationFailure, "mx9.example.com");
       },
       soaked, "False", "False", "True", "False", "False"},
      {"enforcing", EnforceStatus(), [](auto&, auto&) {}, soaked, "True", "False", "False", "True",
       "True"},
      {"enforcing, drift, Alert", EnforceStatus(),
       [=](spec::MtaStsPolicySpec& s, RolloutObservations& o) {
         s.rollout.on_mx_drift = spec::MxDriftAction::kAlert;
         o.gates = Failing(soaked, FindingCode::kValidationFailure, "mx9.example.com");
       },
       soaked, "False", "False", "True", "True", "False"},
      {"spec.mode testing", TestingStatus(),
       [](spec::MtaStsPolicySpec& s, auto&) { s.mode = Mode::kTesting; }, soaked, "True", "False",
       "False", "False", "Unknown"},
  };
  for (const Row& row : rows) {
    spec::MtaStsPolicySpec spec = Spec();
    RolloutObservations obs;
    obs.announced = true;
    obs.gates = Passing(row.now);
    row.change(spec, obs);
    const Decision d = Decide(spec, obs, row.status, row.now, Settings());
    Progress p;
    p.certificate = {true, "Issued", "i"};
    p.served = {true, "Served", "s"};
    p.published = {true, "Published", "p"};
    p.effective_mode = policy::ModeName(*row.status.effective_mode);
    p.target_mode = policy::ModeName(spec.mode);
    p.rollout = d.rollout;
    const std::vector<Condition> c = DeriveConditions(p);
    EXPECT_EQ(Find(c, kReady)->status, row.ready) << row.name;
    EXPECT_EQ(Find(c, kReconciling)->status, row.reconciling) << row.name;
    EXPECT_EQ(Find(c, kStalled)->status, row.stalled) << row.name;
    EXPECT_EQ(Find(d.conditions, kEnforced)->status, row.enforced) << row.name;
    EXPECT_EQ(Find(d.conditions, kValidated)->status, row.validated) << row.name;
    // A person is asked for in Stalled's message: it names the fix.
    if (std::string(row.stalled) == "True") {
      EXPECT_NE(Find(c, kStalled)->message, "") << row.name;
    }
  }
}

// I1 and the target bound over every combination of what the machine is told.
TEST(RolloutLifecycleTest, NeverEnforceUnlessEveryGatePassedInTheLastInterval) {
  using F = FindingCode;
  const Clock::TimePoint eligible = kT0 + kPeriod;
  const std::vector<std::optional<Mode>> announced = {std::nullopt, Mode::kNone, Mode::kTesting,
                                                      Mode::kEnforce};
  const std::vector<Mode> targets = {Mode::kNone, Mode::kTesting, Mode::kEnforce};
  const std::vector<Clock::TimePoint> nows = {eligible - 1h, eligible + 1min, eligible + 5h};
  enum GateCase { kNoRun, kFresh, kStale, kMx, kCert, kPolicy, kLookup, kBeforeEligible };
  const std::vector<std::optional<std::string>> approvals = {std::nullopt, kTestingId, "other"};
  int decisions = 0;
  for (const auto& effective : announced) {
    for (Mode target : targets) {
      for (Clock::TimePoint now : nows) {
        for (int gate = kNoRun; gate <= kBeforeEligible; ++gate) {
          for (bool auto_promote : {true, false}) {
            for (const auto& approval : approvals) {
              for (auto drift : {spec::MxDriftAction::kDemote, spec::MxDriftAction::kAlert}) {
                for (bool deleting : {false, true}) {
                  for (bool testing_known : {false, true}) {
                    spec::MtaStsPolicySpec spec = Spec();
                    spec.mode = target;
                    spec.rollout.auto_promote = auto_promote;
                    spec.rollout.on_mx_drift = drift;
                    RolloutStatus status = TestingStatus();
                    status.effective_mode = effective;
                    status.serving_mode = effective;
                    if (!testing_known) status.testing_since.reset();
                    RolloutObservations obs;
                    obs.announced = true;
                    obs.deleting = deleting;
                    obs.approval = approval;
                    switch (gate) {
                      case kNoRun:
                        break;
                      case kFresh:
                        obs.gates = Passing(now);
                        break;
                      case kStale:
                        obs.gates = Passing(now - 2h);
                        break;
                      case kMx:
                        obs.gates = Failing(now, F::kValidationFailure, "mx9.example.com");
                        break;
                      case kCert:
                        obs.gates = Failing(now, F::kCertificateHostMismatch, "192.0.2.1");
                        break;
                      case kPolicy:
                        obs.gates = Failing(now, F::kStsPolicyFetchError, "https://x/");
                        break;
                      case kLookup:
                        obs.gates = Failing(now, F::kDnsTemporaryFailure, "example.com");
                        break;
                      case kBeforeEligible:
                        obs.gates = Passing(eligible - 2min);
                        break;
                    }
                    const Decision d = Decide(spec, obs, status, now, Settings());
                    ++decisions;
                    const std::string where =
                        "effective " +
                        (effective ? std::string(policy::ModeName(*effective)) : "-") + " target " +
                        std::string(policy::ModeName(target)) + " gate " + std::to_string(gate) +
                        " auto " + std::to_string(auto_promote) + " deleting " +
                        std::to_string(deleting);
                    ASSERT_LE(spec::ModeRank(d.mode), spec::ModeRank(target)) << where;
                    if (deleting) {
                      ASSERT_EQ(d.mode, Mode::kNone) << where;
                    }
                    if (d.next_look) {
                      ASSERT_GE(*d.next_look, now + 1s) << where;
                    }
                    if (d.mode != Mode::kEnforce || effective == Mode::kEnforce) continue;
                    // Entering enforce: a fresh run, at or after the period's end, all passed,
                    // and allowed.
                    ASSERT_EQ(effective, Mode::kTesting) << where;
                    ASSERT_TRUE(testing_known) << where;
                    ASSERT_EQ(gate, kFresh) << where;
                    ASSERT_GE(now, eligible) << where;
                    ASSERT_TRUE(auto_promote || approval == kTestingId) << where;
                  }
                }
              }
            }
          }
        }
      }
    }
  }
  EXPECT_EQ(decisions, 4 * 3 * 3 * 8 * 2 * 3 * 2 * 2 * 2);
}

// Keeping enforce needs the last result to pass, or onMxDrift Alert, or a failure demoting
// would not fix.
TEST(RolloutLifecycleTest, EnforceIsKeptOnAProvenMxFailureOnlyWithAlert) {
  using F = FindingCode;
  for (F code : {F::kValidationFailure, F::kMxUnreachable, F::kStartTlsNotSupported,
                 F::kTlsVersionTooOld, F::kCertificateHostMismatch, F::kCertificateExpired,
                 F::kCertificateNotTrusted, F::kCertificateExpiring, F::kMxAddressPrivate}) {
    for (bool fresh : {true, false}) {
      RolloutObservations obs;
      obs.announced = true;
      const Clock::TimePoint now = kT0 + 2000h;
      obs.gates = Failing(fresh ? now : now - 3h, code, "192.0.2.1");
      spec::MtaStsPolicySpec spec = Spec();
      EXPECT_EQ(Decide(spec, obs, EnforceStatus(), now, Settings()).mode, Mode::kTesting)
          << FindingCodeName(code) << " fresh " << fresh;
      spec.rollout.on_mx_drift = spec::MxDriftAction::kAlert;
      EXPECT_EQ(Decide(spec, obs, EnforceStatus(), now, Settings()).mode, Mode::kEnforce)
          << FindingCodeName(code);
    }
  }
}

}  // namespace
}  // namespace mtasts::controller
