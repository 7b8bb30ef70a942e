// The policy host's certificate as the serve endpoints presented it: valid, expiring within 30
// days, expired, or unknown. One healthy case, one change per row.
#include "controller/certificate_validity.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

using std::chrono::hours;

const Clock::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30};
constexpr hours kDays{24};

EndpointResult Presented(const std::string& endpoint, std::optional<Clock::TimePoint> not_after) {
  return {endpoint, true, "", not_after};
}

TEST(CertificateValidityTest, TheEarliestEndOfValidityDecides) {
  const std::vector<EndpointResult> healthy = {Presented("a:1", kNow + 60 * kDays),
                                               Presented("b:1", kNow + 90 * kDays)};
  struct Row {
    const char* name;
    std::vector<EndpointResult> results;
    std::optional<std::string> verdict;  // "status reason", nullopt: nothing known
    std::string in_message;
  } rows[] = {
      {"healthy", healthy, "True Valid", "valid until 2027-01-29T00:00:00Z or later"},
      {"one endpoint within 30 days",
       {healthy[0], Presented("b:1", kNow + 29 * kDays)},
       "False ExpiresSoon",
       "served by b:1 expires at 2026-12-29T00:00:00Z, within 30 days"},
      {"30 days exactly is no warning", {Presented("a:1", kNow + 30 * kDays)}, "True Valid", ""},
      {"expired",
       {healthy[0], Presented("b:1", kNow - hours(1))},
       "False Expired",
       "served by b:1 expired at 2026-11-29T23:00:00Z; senders refuse it"},
      {"expiring this second", {Presented("a:1", kNow)}, "False Expired", ""},
      {"no handshake completed", {Presented("a:1", std::nullopt)}, std::nullopt, ""},
      {"no endpoint", {}, std::nullopt, ""},
  };
  for (const Row& row : rows) {
    const std::optional<Verdict> v = JudgeCertificateValidity(row.results, "mta-sts.x.test", kNow);
    ASSERT_EQ(v.has_value(), row.verdict.has_value()) << row.name;
    if (!v) continue;
    EXPECT_EQ(std::string(v->ok ? "True " : "False ") + v->reason, *row.verdict) << row.name;
    EXPECT_NE(v->message.find(row.in_message), std::string::npos) << row.name << ": " << v->message;
    EXPECT_EQ(v->needs_person, !v->ok) << row.name;
  }
}

}  // namespace
}  // namespace mtasts::controller
