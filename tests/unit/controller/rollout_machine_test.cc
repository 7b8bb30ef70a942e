// The rollout state machine, one table per family of transitions: each table has one healthy row
// and one change per row, at explicit times.
#include "controller/rollout_machine.h"

#include <gtest/gtest.h>

#include <functional>

#include "rollout_fixtures.h"

namespace mtasts::controller {
namespace {

using namespace rollout_test;
using policy::Mode;

struct Case {
  spec::MtaStsPolicySpec spec = Spec();
  RolloutObservations obs;
  RolloutStatus status;
  Clock::TimePoint now;
  RolloutSettings settings = Settings();
};

struct Row {
  const char* name;
  std::function<void(Case&)> change;
  Mode mode;
  const char* reason;  // Decision::rollout.reason
  bool needs_person;
  std::vector<std::string> events;
  bool validate_now = false;
};

Decision DecideFor(const Case& c) { return Decide(c.spec, c.obs, c.status, c.now, c.settings); }

void Expect(const Row& row, const Decision& d) {
  EXPECT_EQ(d.mode, row.mode) << row.name;
  EXPECT_EQ(d.rollout.reason, row.reason) << row.name << ": " << d.rollout.message;
  EXPECT_EQ(d.rollout.ok, std::string(row.reason) == "TargetReached") << row.name;
  EXPECT_EQ(d.rollout.needs_person, row.needs_person) << row.name;
  EXPECT_EQ(EventLines(d), row.events) << row.name;
  EXPECT_EQ(d.validate_now, row.validate_now) << row.name;
}

// `status` announced, and at `now` every gate just passed.
Case Announced(RolloutStatus status, Clock::TimePoint now) {
  Case c;
  c.status = std::move(status);
  c.now = now;
  c.obs.gates = Passing(now);
  c.obs.announced = true;
  return c;
}

// Testing announced at kT0, spec.mode enforce; one minute after the testing period.
Case Soaked() { return Announced(TestingStatus(), kT0 + kPeriod + 1min); }

TEST(RolloutMachineTest, TestingToEnforce) {
  using F = FindingCode;
  const auto failing = [](F code, const char* target) {
    return [=](Case& c) { c.obs.gates = Failing(c.now, code, target); };
  };
  const Row rows[] = {
      {"every gate passed after the period",
       [](Case&) {},
       Mode::kEnforce,
       "TargetReached",
       false,
       {"Normal Promoted"}},
      {"the period not over",
       [](Case& c) { c.now = kT0 + kPeriod - 1min, c.obs.gates = Passing(c.now); },
       Mode::kTesting,
       "Testing",
       false,
       {}},
      {"gates last run before the period ended",
       [](Case& c) { c.obs.gates = Passing(kT0 + kPeriod - 1min); },
       Mode::kTesting,
       "Validating",
       false,
       {},
       true},
      {"gates last run over an interval ago",
       [](Case& c) {
         c.now = kT0 + kPeriod + 3h;
         c.obs.gates = Passing(kT0 + kPeriod + 1h);
       },
       Mode::kTesting,
       "Validating",
       false,
       {},
       true},
      {"an MX not covered",
       failing(F::kValidationFailure, "mx2.example.com"),
       Mode::kTesting,
       "GatesFailing",
       true,
       {"Warning GatesFailed"}},
      {"an MX certificate expired",
       failing(F::kCertificateExpired, "192.0.2.10"),
       Mode::kTesting,
       "GatesFailing",
       true,
       {"Warning GatesFailed"}},
      {"an MX certificate valid for less than minCertValidity",
       failing(F::kCertificateExpiring, "192.0.2.10"),
       Mode::kTesting,
       "GatesFailing",
       true,
       {"Warning GatesFailed"}},
      {"an MX without STARTTLS",
       failing(F::kStartTlsNotSupported, "192.0.2.10"),
       Mode::kTesting,
       "GatesFailing",
       true,
       {"Warning GatesFailed"}},
      {"the policy not served byte-exact",
       failing(F::kStsPolicyInvalid, "https://mta-sts.example.com/.well-known/mta-sts.txt"),
       Mode::kTesting,
       "GatesFailing",
       false,
       {"Warning GatesFailed"}},
      {"_mta-sts not the current id",
       failing(F::kStsTxtInvalid, "_mta-sts.example.com"),
       Mode::kTesting,
       "GatesFailing",
       false,
       {"Warning GatesFailed"}},
      {"a lookup failed",
       failing(F::kDnsTemporaryFailure, "example.com"),
       Mode::kTesting,
       "GatesFailing",
       false,
       {"Warning GatesFailed"}},
      {"a warning only",
       [](Case& c) {
         c.obs.gates->findings.push_back(
             {F::kMaxAgeShort, Severity::kWarning, "https://mta-sts.example.com/", "short"});
       },
       Mode::kEnforce,
       "TargetReached",
       false,
       {"Normal Promoted"}},
      {"spec.mx changed to miss a live MX",
       [](Case& c) { c.spec.mx = {"mx1.example.com"}; },
       Mode::kTesting,
       "GatesFailing",
       true,
       {"Warning GatesFailed"}},
      {"reports show failures (gate 6)",
       [](Case& c) {
         c.obs.reports = ReportVerdict{false, "ReportedFailures", "2 of 10 failed"};
       },
       Mode::kTesting,
       "ReportedFailures",
       false,
       {}},
      {"reports pass (gate 6)",
       [](Case& c) {
         c.obs.reports = ReportVerdict{true, "ReportsPass", "0 of 10 failed"};
       },
       Mode::kEnforce,
       "TargetReached",
       false,
       {"Normal Promoted"}},
      {"autoPromote false",
       [](Case& c) { c.spec.rollout.auto_promote = false; },
       Mode::kTesting,
       "AwaitingApproval",
       true,
       {}},
      {"autoPromote false, this id approved",
       [](Case& c) {
         c.spec.rollout.auto_promote = false;
         c.obs.approval = kTestingId;
       },
       Mode::kEnforce,
       "TargetReached",
       false,
       {"Normal Promoted"}},
      {"autoPromote false, another id approved",
       [](Case& c) {
         c.spec.rollout.auto_promote = false;
         c.obs.approval = "20261001T000000Zffffffff";
       },
       Mode::kTesting,
       "AwaitingApproval",
       true,
       {}},
      {"approved, but an MX fails",
       [](Case& c) {
         c.spec.rollout.auto_promote = false;
         c.obs.approval = kTestingId;
         c.obs.gates = Failing(c.now, F::kCertificateNotTrusted, "192.0.2.10");
       },
       Mode::kTesting,
       "GatesFailing",
       true,
       {"Warning GatesFailed"}},
      {"testing served, not announced yet",
       [](Case& c) {
         c.status.testing_since.reset();
         c.obs.announced = false;
       },
       Mode::kTesting,
       "RolloutPending",
       false,
       {}},
      {"testing announced just now",
       [](Case& c) {
         c.status.testing_since.reset();
         c.obs.gates = Passing(c.now);
       },
       Mode::kTesting,
       "Testing",
       false,
       {"Normal TestingStarted"}},
      {"nothing announced yet",
       [](Case& c) {
         c.status = {};
         c.obs = {};
       },
       Mode::kTesting,
       "RolloutPending",
       false,
       {},
       true},
  };
  for (const Row& row : rows) {
    Case c = Soaked();
    row.change(c);
    Expect(row, DecideFor(c));
  }
}

// Enforce announced; ten hours later.
Case Enforcing() { return Announced(EnforceStatus(), kT0 + kPeriod + 10h); }

TEST(RolloutMachineTest, WhileEnforcing) {
  using F = FindingCode;
  const auto drift = [](F code, const char* target, spec::MxDriftAction action) {
    return [=](Case& c) {
      c.obs.gates = Failing(c.now, code, target);
      // An MX not covered is one DNS answers: the served policy misses it, and spec.mx too.
      if (code == F::kValidationFailure) c.obs.gates->live_mx_hosts.emplace_back(target);
      c.spec.rollout.on_mx_drift = action;
    };
  };
  const auto demote = spec::MxDriftAction::kDemote;
  const auto alert = spec::MxDriftAction::kAlert;
  // Failed sessions enforce refuses: in the reports now, as status last saw them, and when
  // enforce was announced.
  const auto reported = [](int64_t now, int64_t seen, int64_t at_enforce,
                           spec::MxDriftAction action) {
    return [=](Case& c) {
      c.obs.reported_failures = now;
      c.status.reported_failures = seen;
      c.status.reported_failures_at_enforce = at_enforce;
      c.spec.rollout.on_mx_drift = action;
    };
  };
  const LastValidation drifted{
      kT0 + kPeriod + 9h + 30min, false, {Error(F::kValidationFailure, "mx3.example.com")}};
  const Row rows[] = {
      {"every gate passes", [](Case&) {}, Mode::kEnforce, "TargetReached", false, {}},
      {"an MX added, Demote",
       drift(F::kValidationFailure, "mx3.example.com", demote),
       Mode::kTesting,
       "MxDrift",
       true,
       {"Warning Demoted", "Warning GatesFailed"}},
      {"an MX added, Alert",
       drift(F::kValidationFailure, "mx3.example.com", alert),
       Mode::kEnforce,
       "MxDrift",
       true,
       {"Warning Degraded"}},
      {"an MX certificate expired, Demote",
       drift(F::kCertificateExpired, "192.0.2.10", demote),
       Mode::kTesting,
       "MxDrift",
       true,
       {"Warning Demoted", "Warning GatesFailed"}},
      {"an MX without STARTTLS, Alert",
       drift(F::kStartTlsNotSupported, "192.0.2.10", alert),
       Mode::kEnforce,
       "MxDrift",
       true,
       {"Warning Degraded"}},
      {"the record gone (demoting would not help)",
       drift(F::kStsTxtMissing, "_mta-sts.example.com", demote),
       Mode::kEnforce,
       "GatesFailing",
       false,
       {"Warning Degraded"}},
      {"a lookup failed (proves no drift)",
       drift(F::kDnsTemporaryFailure, "example.com", demote),
       Mode::kEnforce,
       "GatesFailing",
       false,
       {"Warning Degraded"}},
      {"spec.mx narrowed, even with Alert",
       [](Case& c) {
         c.spec.mx = {"mx1.example.com"};
         c.spec.rollout.on_mx_drift = spec::MxDriftAction::kAlert;
       },
       Mode::kTesting,
       "MxNotCovered",
       true,
       {"Warning Demoted", "Warning GatesFailed"}},
      {"the same drift seen before, Alert",
       [=](Case& c) {
         drift(F::kValidationFailure, "mx3.example.com", alert)(c);
         c.status.last_validation = drifted;
         c.status.last_validation->findings = {Error(F::kValidationFailure, "mx3.example.com")};
       },
       Mode::kEnforce,
       "MxDrift",
       true,
       {}},
      {"a restart after drift, Alert",
       [=](Case& c) {
         c.spec.rollout.on_mx_drift = spec::MxDriftAction::kAlert;
         c.obs.gates.reset();
         c.status.last_validation = drifted;
       },
       Mode::kEnforce,
       "MxDrift",
       true,
       {}},
      {"a restart while demoting",
       [=](Case& c) {
         c.obs.gates.reset();
         c.status.last_validation = drifted;
         c.status.serving_mode = Mode::kTesting;
       },
       Mode::kTesting,
       "MxDrift",
       true,
       {}},
      {"drift gone before the demotion was announced",
       [](Case& c) { c.status.serving_mode = Mode::kTesting; },
       Mode::kEnforce,
       "TargetReached",
       false,
       {"Normal Promoted"}},
      {"maxAge changed",
       [](Case& c) { c.spec.max_age = 604800; },
       Mode::kEnforce,
       "TargetReached",
       false,
       {}},
      {"senders report failures enforce refuses, Demote",
       reported(5, 0, 0, demote),
       Mode::kTesting,
       "ReportedFailures",
       false,
       {"Warning Demoted"}},
      {"senders report failures enforce refuses, Alert",
       reported(5, 0, 0, alert),
       Mode::kEnforce,
       "ReportedFailures",
       true,
       {"Warning ReportedFailures"}},
      {"the same reported failures seen before, Alert",
       reported(5, 5, 0, alert),
       Mode::kEnforce,
       "ReportedFailures",
       true,
       {}},
      {"reported failures while the demotion is to be announced",
       [=](Case& c) {
         reported(5, 5, 0, demote)(c);
         c.status.serving_mode = Mode::kTesting;
       },
       Mode::kTesting,
       "ReportedFailures",
       false,
       {}},
      {"failures reported before enforce was announced",
       reported(5, 5, 5, demote),
       Mode::kEnforce,
       "TargetReached",
       false,
       {}},
      {"days with failures left the window",
       reported(3, 5, 5, demote),
       Mode::kEnforce,
       "TargetReached",
       false,
       {}},
  };
  for (const Row& row : rows) {
    Case c = Enforcing();
    row.change(c);
    const Decision d = DecideFor(c);
    Expect(row, d);
    const Condition* degraded = Find(d.conditions, kDegraded);
    ASSERT_NE(degraded, nullptr);
    EXPECT_EQ(degraded->status, row.mode == Mode::kEnforce && !d.rollout.ok ? "True" : "False")
        << row.name;
    EXPECT_EQ(Find(d.conditions, kEnforced)->status, "True") << row.name;  // until announced
  }
}

TEST(RolloutMachineTest, TheReportedFailuresAtEnforceFollowTheReportsUntilEnforceIsAnnounced) {
  Case testing = Soaked();
  testing.obs.reported_failures = 7;
  testing.status.reported_failures_at_enforce = 2;
  EXPECT_EQ(DecideFor(testing).status.reported_failures_at_enforce, 7);

  Case enforcing = Enforcing();
  enforcing.obs.reported_failures = 9;
  enforcing.status.reported_failures = 7;
  enforcing.status.reported_failures_at_enforce = 7;
  const Decision d = DecideFor(enforcing);
  EXPECT_EQ(d.status.reported_failures, 9);
  EXPECT_EQ(d.status.reported_failures_at_enforce, 7) << "kept while enforcing";
  EXPECT_NE(d.rollout.message.find("senders reported 2 failed sessions"), std::string::npos)
      << d.rollout.message;
}

TEST(RolloutMachineTest, DemotionNamesTheFixAndKeepsTheBlockers) {
  Case c = Enforcing();
  c.obs.gates = Failing(c.now, FindingCode::kValidationFailure, "mx3.example.com");
  const Decision d = DecideFor(c);
  EXPECT_TRUE(d.mode_changes);
  ASSERT_EQ(d.status.blocked_by.size(), 1u);
  EXPECT_EQ(d.status.blocked_by[0].target, "mx3.example.com");
  ASSERT_TRUE(d.status.last_validation);
  EXPECT_FALSE(d.status.last_validation->passed);
  EXPECT_EQ(d.status.last_validation->at, c.now);
  EXPECT_NE(d.events[0].message.find("onMxDrift is Demote"), std::string::npos);
  EXPECT_EQ(d.status.serving_mode, Mode::kTesting);
  EXPECT_EQ(d.status.testing_since, std::nullopt);  // counts again once testing is announced
}

TEST(RolloutMachineTest, AwaitingApprovalNamesTheFix) {
  Case c = Soaked();
  c.spec.rollout.auto_promote = false;
  const Decision d = DecideFor(c);
  EXPECT_NE(d.rollout.message.find("the annotation mtasts.io/promote=" + kTestingId),
            std::string::npos)
      << d.rollout.message;
}

// An MX the served policy and the narrowed spec both miss is one blocker, not two.
TEST(RolloutMachineTest, AnMxMissedTwiceIsOneBlocker) {
  Case c = Enforcing();
  c.spec.mx = {"mx1.example.com"};
  c.obs.gates = Failing(c.now, FindingCode::kValidationFailure, "a.mx.example.com");
  const Decision d = DecideFor(c);
  EXPECT_EQ(d.mode, Mode::kTesting);
  ASSERT_EQ(d.status.blocked_by.size(), 1u);
  EXPECT_EQ(d.status.last_validation->findings.size(), 1u);
}

TEST(RolloutMachineTest, LastValidationIsRewrittenOnlyWhenItsResultChanges) {
  Case c = Enforcing();
  Decision d = DecideFor(c);
  EXPECT_EQ(d.status, c.status);  // still passing: nothing to write
  c.obs.gates = Failing(c.now, FindingCode::kMxUnreachable, "192.0.2.10");
  c.spec.rollout.on_mx_drift = spec::MxDriftAction::kAlert;
  d = DecideFor(c);
  ASSERT_TRUE(d.status.last_validation);
  EXPECT_EQ(d.status.last_validation->at, c.now);
  // The next run finds the same: nothing to write, no Event.
  c.status = d.status;
  c.now += 1h;
  c.obs.gates = Failing(c.now, FindingCode::kMxUnreachable, "192.0.2.10");
  const Decision again = DecideFor(c);
  EXPECT_EQ(again.status, d.status);
  EXPECT_TRUE(again.events.empty());
}

TEST(RolloutMachineTest, KeptFindingsAreBoundedErrorsFirst) {
  Case c = Enforcing();
  GateRun run = Passing(c.now);
  for (int i = 0; i < 15; ++i) {
    run.findings.push_back({FindingCode::kMxPatternUnused, Severity::kWarning, "w", "w"});
  }
  for (int i = 0; i < 15; ++i) {
    run.findings.push_back(Error(FindingCode::kMxUnreachable, "192.0.2." + std::to_string(i)));
  }
  c.obs.gates = run;
  const Decision d = DecideFor(c);
  ASSERT_EQ(d.status.last_validation->findings.size(), kMaxKeptFindings);
  EXPECT_EQ(d.status.last_validation->findings[14].severity, Severity::kError);
  EXPECT_EQ(d.status.last_validation->findings[15].severity, Severity::kWarning);
  EXPECT_EQ(d.status.blocked_by.size(), 15u);
}

}  // namespace
}  // namespace mtasts::controller
