#include "controller/rollout_status.h"

#include <gtest/gtest.h>

#include "rollout_fixtures.h"

namespace mtasts::controller {
namespace {

using namespace rollout_test;
using k8s::Object;

RolloutStatus Everything() {
  RolloutStatus s = TestingStatus();
  s.blocked_by = {{FindingCode::kValidationFailure, "mx9.example.com", "not covered"}};
  s.last_validation = LastValidation{
      kT0 + 2h,
      false,
      {Error(FindingCode::kValidationFailure, "mx9.example.com"),
       {FindingCode::kMxPatternUnused, Severity::kWarning, "*.old.example.com", "unused"}}};
  s.removal_hold_since = kT0 + 3h;
  s.reported_failures = 12;
  s.reported_failures_at_enforce = 4;
  return s;
}

TEST(RolloutStatusTest, WhatIsWrittenReadsBack) {
  // The fields NextStatus owns come from the object; the machine's round-trip.
  Object status = {{"effectiveMode", "testing"},
                   {"policyId", kTestingId},
                   {"largestMaxAge", 86400},
                   {"conditions", Object::array()}};
  const RolloutStatus everything = Everything();
  const Object written = WithRolloutStatus(status, everything);
  EXPECT_EQ(ReadRolloutStatus(written), everything);
  EXPECT_EQ(written.at("promotion").at("lastValidation").at("result"), "Failed");
  EXPECT_EQ(written.at("promotion").at("blockedBy")[0].at("code"), "validation-failure");
  EXPECT_EQ(written.at("testingSince"), "2026-11-01T00:00:00Z");
  EXPECT_TRUE(written.contains("conditions"));  // other fields stay
  // Absent values are removed, not left behind.
  RolloutStatus fewer = everything;
  fewer.testing_since.reset();
  fewer.last_validation.reset();
  fewer.removal_hold_since.reset();
  const Object rewritten = WithRolloutStatus(written, fewer);
  EXPECT_FALSE(rewritten.contains("testingSince"));
  EXPECT_FALSE(rewritten.contains("removalHoldSince"));
  EXPECT_FALSE(rewritten.at("promotion").contains("lastValidation"));
  EXPECT_EQ(ReadRolloutStatus(rewritten), fewer);
}

TEST(RolloutStatusTest, AnythingElseReadsAsAbsent) {
  EXPECT_EQ(ReadRolloutStatus(Object()), RolloutStatus{});
  EXPECT_EQ(ReadRolloutStatus(Object::array()), RolloutStatus{});
  const Object odd = {
      {"effectiveMode", "strict"},
      {"policyId", 7},
      {"largestMaxAge", -5},
      {"testingSince", "yesterday"},
      {"promotion",
       {{"servingMode", 1},
        {"reportedFailures", -3},
        {"reportedFailuresAtEnforce", "4"},
        {"blockedBy", {{{"code", "no-such-code"}}, "x"}},
        {"lastValidation", {{"time", "2026-11-01T00:00:00Z"}, {"result", "Maybe"}}}}}};
  EXPECT_EQ(ReadRolloutStatus(odd), RolloutStatus{});
  const Object bad_finding = {
      {"promotion",
       {{"lastValidation",
         {{"time", "2026-11-01T00:00:00Z"},
          {"result", "Passed"},
          {"findings", {{{"code", "mx-unreachable"}, {"severity", "fatal"}}}}}}}}};
  const RolloutStatus read = ReadRolloutStatus(bad_finding);
  ASSERT_TRUE(read.last_validation);
  EXPECT_TRUE(read.last_validation->passed);
  EXPECT_TRUE(read.last_validation->findings.empty());
}

// A restart: what the machine decided, written and read back, decides the same.
TEST(RolloutStatusTest, ARestartDecidesTheSame) {
  RolloutObservations obs;
  obs.announced = true;
  obs.gates = Failing(kT0 + 1h, FindingCode::kCertificateExpired, "192.0.2.1");
  const Decision before = Decide(Spec(), obs, TestingStatus(), kT0 + 1h, Settings());
  Object status = {
      {"effectiveMode", "testing"}, {"policyId", kTestingId}, {"largestMaxAge", 86400}};
  const RolloutStatus read = ReadRolloutStatus(WithRolloutStatus(status, before.status));
  EXPECT_EQ(read, before.status);
  obs.gates.reset();
  const Decision after = Decide(Spec(), obs, read, kT0 + 90min, Settings());
  EXPECT_EQ(after.mode, before.mode);
  EXPECT_EQ(after.rollout.reason, before.rollout.reason);
  EXPECT_EQ(after.rollout.message, before.rollout.message);
  EXPECT_TRUE(after.events.empty());
}

}  // namespace
}  // namespace mtasts::controller
