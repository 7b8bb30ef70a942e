#include "tlsrpt/window.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace mtasts::tlsrpt {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using ::testing::HasSubstr;

constexpr sys_days kToday = sys_days{std::chrono::year{2026} / 11 / 30};

Report ReportOf(std::string id, sys_days day, int64_t ok, int64_t failed,
                std::string domain = "example.com") {
  Report r;
  r.organization_name = "Company-X";
  r.report_id = std::move(id);
  r.start = day;
  r.end = day + days(1) - std::chrono::seconds(1);
  PolicyResult p;
  p.policy_domain = std::move(domain);
  p.total_successful_session_count = ok;
  p.total_failure_session_count = failed;
  if (failed > 0) {
    FailureDetail d;
    d.result_type = "certificate-expired";
    d.receiving_mx_hostname = "mx1.example.com";
    d.failed_session_count = failed;
    p.failure_details.push_back(d);
  }
  r.policies.push_back(p);
  return r;
}

TEST(ReportWindowTest, SumsTheDaysOfTheWindow) {
  ReportWindow window(14);
  EXPECT_EQ(window.Add(ReportOf("a", kToday - days(13), 90, 10), "example.com", kToday),
            ReportWindow::Added::kCounted);
  EXPECT_EQ(window.Add(ReportOf("b", kToday, 100, 0), "example.com", kToday),
            ReportWindow::Added::kCounted);
  const DomainTally sum = window.Sum(kToday);
  EXPECT_EQ(sum.reports, 2);
  EXPECT_EQ(sum.successful, 190);
  EXPECT_EQ(sum.failed, 10);
  EXPECT_EQ(sum.failures_by_result.at("certificate-expired"), 10);
  EXPECT_EQ(sum.failures_by_mx.at("mx1.example.com"), 10);
  // A day later the oldest day has left the window.
  EXPECT_EQ(window.Sum(kToday + days(1)).failed, 0);
  EXPECT_EQ(window.Sum(kToday + days(1)).successful, 100);
  // What left the window is forgotten: the days kept are bounded.
  window.Add(ReportOf("c", kToday + days(20), 1, 0), "example.com", kToday + days(20));
  EXPECT_EQ(window.ToJson().size(), 1u);
}

TEST(ReportWindowTest, EachKindOfReport) {
  const struct {
    const char* name;
    Report report;
    ReportWindow::Added added;
  } rows[] = {
      {"today", ReportOf("x", kToday, 1, 0), ReportWindow::Added::kCounted},
      {"again", ReportOf("a", kToday - days(3), 1, 0), ReportWindow::Added::kSeenBefore},
      {"another id", ReportOf("a2", kToday - days(3), 1, 0), ReportWindow::Added::kCounted},
      {"too old", ReportOf("y", kToday - days(14), 1, 0), ReportWindow::Added::kTooOld},
      {"from the future", ReportOf("z", kToday + days(2), 1, 0), ReportWindow::Added::kCounted},
      {"another domain", ReportOf("w", kToday, 1, 0, "example.org"),
       ReportWindow::Added::kNotForThis},
      {"upper case domain", ReportOf("v", kToday, 1, 0, "Example.COM."),
       ReportWindow::Added::kCounted},
  };
  for (const auto& row : rows) {
    ReportWindow window(14);
    ASSERT_EQ(window.Add(ReportOf("a", kToday - days(3), 1, 0), "example.com", kToday),
              ReportWindow::Added::kCounted);
    EXPECT_EQ(window.Add(row.report, "example.com", kToday), row.added) << row.name;
    const int64_t counted = row.added == ReportWindow::Added::kCounted ? 2 : 1;
    EXPECT_EQ(window.Sum(kToday).reports, counted) << row.name;
  }
}

TEST(ReportWindowTest, ManyMxHostsFoldIntoOther) {
  ReportWindow window(14);
  Report r = ReportOf("a", kToday, 0, 0);
  for (int i = 0; i < 40; ++i) {
    FailureDetail d;
    d.result_type = "validation-failure";
    d.receiving_mx_hostname = "mx" + std::to_string(i) + ".example.com";
    d.failed_session_count = 100 + i;
    r.policies[0].failure_details.push_back(d);
  }
  window.Add(r, "example.com", kToday);
  const DomainTally sum = window.Sum(kToday);
  EXPECT_EQ(sum.failures_by_mx.size(), kMaxKeysPerDay);
  int64_t total = 0;
  for (const auto& [mx, n] : sum.failures_by_mx) total += n;
  EXPECT_EQ(total, 40 * 100 + 39 * 40 / 2);
  EXPECT_EQ(sum.failures_by_mx.at(kOtherKey), 100 + 101 + 102 + 103 + 104 + 105 + 106 + 107 + 108);
  EXPECT_TRUE(sum.failures_by_mx.contains("mx39.example.com"));
}

TEST(ReportWindowTest, AnOverlongResultTypeOrMxHostCountsAsOther) {
  ReportWindow window(14);
  Report r = ReportOf("a", kToday, 0, 0);
  FailureDetail d;
  d.result_type = std::string(1 << 20, 'r');
  d.receiving_mx_hostname = std::string(kMaxKeyBytes + 1, 'm');
  d.failed_session_count = 7;
  r.policies[0].failure_details.push_back(d);
  window.Add(r, "example.com", kToday);
  const DomainTally sum = window.Sum(kToday);
  EXPECT_EQ(sum.failures_by_result, (std::map<std::string, int64_t>{{kOtherKey, 7}}));
  EXPECT_EQ(sum.failures_by_mx, (std::map<std::string, int64_t>{{kOtherKey, 7}}));
  EXPECT_LT(window.ToJson().dump().size(), 300u);
}

TEST(ReportWindowTest, SurvivesARestartThroughJson) {
  ReportWindow window(14);
  window.Add(ReportOf("a", kToday - days(1), 90, 10), "example.com", kToday);
  StatusOr<ReportWindow> back = ReportWindow::FromJson(window.ToJson(), 14);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(), window.ToJson());
  EXPECT_EQ(back->Sum(kToday).failed, 10);
  EXPECT_EQ(back->Add(ReportOf("a", kToday - days(1), 90, 10), "example.com", kToday),
            ReportWindow::Added::kSeenBefore);
}

TEST(ReportWindowTest, RefusesWhatToJsonDoesNotWrite) {
  const nlohmann::json good = nlohmann::json::parse(
      R"({"2026-11-29": {"reports": 1, "successful": 9, "failed": 1,
                         "byResult": {"sts-policy-invalid": 1}, "byMx": {}, "ids": [7]}})");
  ASSERT_TRUE(ReportWindow::FromJson(good, 14).ok());
  const struct {
    const char* pointer;
    nlohmann::json value;
    const char* message;
  } rows[] = {
      {"/2026-11-29/failed", -1, "failed: not a non-negative integer"},
      {"/2026-11-29/reports", "1", "reports: not a non-negative integer"},
      {"/2026-11-29/byResult", nlohmann::json::array(), "byResult: not an object"},
      {"/2026-11-29/byMx/mx1", 1.5, "byMx.mx1: not a non-negative integer"},
      {"/2026-11-29/ids", nlohmann::json::array({"x"}), "ids: not an id"},
      {"/2026-11-31", nlohmann::json::object(), "is not a day of counts"},
      {"/yesterday", nlohmann::json::object(), "is not a day of counts"},
  };
  for (const auto& row : rows) {
    nlohmann::json bad = good;
    bad[nlohmann::json::json_pointer(row.pointer)] = row.value;
    StatusOr<ReportWindow> window = ReportWindow::FromJson(bad, 14);
    EXPECT_EQ(window.status().code(), StatusCode::kInvalidArgument) << row.pointer;
    EXPECT_THAT(window.status().message(), HasSubstr(row.message)) << row.pointer;
  }
  EXPECT_FALSE(ReportWindow::FromJson(nlohmann::json::array(), 14).ok());
}

}  // namespace
}  // namespace mtasts::tlsrpt
