#include "controller/report_gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace mtasts::controller {
namespace {

using ::testing::HasSubstr;

tlsrpt::DomainTally Window(int64_t ok, int64_t failed) {
  tlsrpt::DomainTally t;
  t.reports = 3;
  t.successful = ok;
  t.failed = failed;
  if (failed > 0) {
    t.failures_by_result = {{"certificate-expired", failed}};
    t.failures_by_mx = {{"mx1.example.com", failed}};
  }
  return t;
}

TEST(ReportGateTest, OneChangePerRow) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const struct {
    const char* name;
    tlsrpt::DomainTally window;
    int64_t max_failure_rate;  // basis points
    int64_t min_sessions;
    bool passed;
    const char* reason;
    const char* says;
  } rows[] = {
      {"healthy", Window(990, 10), 100, 0, true, "ReportsPass", "1000 sessions, 10 failed"},
      {"no reports, default minimum", Window(0, 0), 100, 0, true, "ReportsPass", "0 sessions"},
      {"no reports, a minimum", Window(0, 0), 100, 500, false, "AwaitingReports",
       "at least rollout.minReportedSessions 500"},
      {"too few sessions", Window(400, 0), 100, 500, false, "AwaitingReports", "400 sessions"},
      {"just above the rate", Window(989, 11), 100, 0, false, "ReportedFailures",
       "more than rollout.maxFailureRate 1%"},
      {"names result and MX", Window(900, 100), 100, 0, false, "ReportedFailures",
       "by result: certificate-expired 100; by MX: mx1.example.com 100"},
      {"0% allows none", Window(999, 1), 0, 0, false, "ReportedFailures", "0%"},
      {"100% allows all", Window(0, 50), 10000, 0, true, "ReportsPass", "50 failed"},
      {"huge counts do not overflow", Window(kMax, kMax), 5000, 0, false, "ReportedFailures",
       "failed"},
  };
  for (const auto& row : rows) {
    spec::Rollout rollout;
    rollout.max_failure_rate = row.max_failure_rate;
    rollout.min_reported_sessions = row.min_sessions;
    const ReportVerdict v = JudgeReports(row.window, rollout, 14);
    EXPECT_EQ(v.passed, row.passed) << row.name << ": " << v.message;
    EXPECT_EQ(v.reason, row.reason) << row.name;
    EXPECT_THAT(v.message, HasSubstr(row.says)) << row.name;
    EXPECT_THAT(v.message, HasSubstr("3 reports of the last 14 days")) << row.name;
  }
}

TEST(ReportGateTest, StatusShowsTheWindow) {
  tlsrpt::DomainTally window = Window(10090, 10);
  for (int i = 0; i < 7; ++i) window.failures_by_mx["m" + std::to_string(i) + ".example.net"] = i;
  window.failures_by_mx["evil\x1b[2J"] = 100;
  const nlohmann::json status = ReportsStatus(window, 14);
  EXPECT_EQ(status["windowDays"], 14);
  EXPECT_EQ(status["reports"], 3);
  EXPECT_EQ(status["sessions"], 10100);
  EXPECT_EQ(status["failedSessions"], 10);
  EXPECT_EQ(status["failureRate"], "0.09%");  // 9.9 basis points, rounded down
  EXPECT_EQ(status["failuresByResult"], nlohmann::json({{"certificate-expired", 10}}));
  ASSERT_EQ(status["failuresByMx"].size(), 5u);
  EXPECT_EQ(status["failuresByMx"].at("evil\\x1b[2J"), 100);
  EXPECT_EQ(status["failuresByMx"].at("mx1.example.com"), 10);
  EXPECT_EQ(status["failuresByMx"].at("m4.example.net"), 4);
  EXPECT_FALSE(status["failuresByMx"].contains("m3.example.net"));
  EXPECT_EQ(ReportsStatus(Window(0, 0), 14)["failureRate"], "0%");
}

TEST(ReportGateTest, PolicyFailuresAreTheResultTypesEnforceRefuses) {
  tlsrpt::DomainTally t;
  t.failures_by_result = {{"sts-policy-fetch-error", 1}, {"sts-webpki-invalid", 2},
                          {"certificate-expired", 4},    {"starttls-not-supported", 8},
                          {"validation-failure", 16},    {"dnssec-invalid", 32},
                          {"tlsa-invalid", 64},          {"(other)", 128}};
  EXPECT_EQ(PolicyFailures(t), 1 + 2 + 4 + 8 + 16);
  EXPECT_EQ(PolicyFailures({}), 0);
}

}  // namespace
}  // namespace mtasts::controller
