#include "tlsrpt/tally.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace mtasts::tlsrpt {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

Report OneDomain(std::string report_id, std::string domain, int64_t ok, int64_t failed) {
  Report r;
  r.organization_name = "Company-X";
  r.report_id = std::move(report_id);
  PolicyResult p;
  p.policy_type = PolicyType::kSts;
  p.policy_domain = std::move(domain);
  p.total_successful_session_count = ok;
  p.total_failure_session_count = failed;
  r.policies.push_back(p);
  return r;
}

FailureDetail Failure(std::string result, std::string mx, std::string ip, int64_t n) {
  FailureDetail d;
  d.result_type = std::move(result);
  d.receiving_mx_hostname = std::move(mx);
  d.receiving_ip = std::move(ip);
  d.failed_session_count = n;
  return d;
}

TEST(ReportTallyTest, SumsPerDomainByResultAndMx) {
  Report r = OneDomain("1", "example.com", 90, 10);
  r.policies[0].failure_details = {Failure("certificate-expired", "mx1.example.com", "", 6),
                                   Failure("certificate-expired", "MX1.Example.com.", "", 1),
                                   Failure("starttls-not-supported", "", "192.0.2.1", 2),
                                   Failure("validation-failure", "", "", 1)};
  ReportTally tally;
  EXPECT_TRUE(tally.Add(r));
  ASSERT_EQ(tally.domains().size(), 1u);
  const DomainTally& d = tally.domains().at("example.com");
  EXPECT_EQ(d.reports, 1);
  EXPECT_EQ(d.successful, 90);
  EXPECT_EQ(d.failed, 10);
  EXPECT_THAT(d.failures_by_result,
              ElementsAre(Pair("certificate-expired", 7), Pair("starttls-not-supported", 2),
                          Pair("validation-failure", 1)));
  EXPECT_THAT(d.failures_by_mx, ElementsAre(Pair("(not given)", 1), Pair("192.0.2.1", 2),
                                            Pair("mx1.example.com", 7)));
}

TEST(ReportTallyTest, AReportCountsOnce) {
  ReportTally tally;
  EXPECT_TRUE(tally.Add(OneDomain("1", "example.com", 5, 0)));
  EXPECT_FALSE(tally.Add(OneDomain("1", "example.com", 5, 0)));
  EXPECT_TRUE(tally.Add(OneDomain("2", "example.com", 5, 0)));
  Report other_org = OneDomain("1", "example.com", 5, 0);
  other_org.organization_name = "Company-Z";
  EXPECT_TRUE(tally.Add(other_org));
  EXPECT_EQ(tally.reports(), 3);
  EXPECT_EQ(tally.domains().at("example.com").successful, 15);
  EXPECT_EQ(tally.domains().at("example.com").reports, 3);
}

TEST(ReportTallyTest, DomainsCompareAsDnsDoes) {
  ReportTally tally;
  tally.Add(OneDomain("1", "Example.COM.", 1, 0));
  tally.Add(OneDomain("2", "example.com", 1, 0));
  EXPECT_THAT(tally.domains(), ElementsAre(Pair("example.com", testing::_)));
}

TEST(ReportTallyTest, TwoPoliciesOfOneDomainInOneReportAreOneReport) {
  Report r = OneDomain("1", "example.com", 1, 0);
  r.policies.push_back(r.policies[0]);
  r.policies[1].policy_type = PolicyType::kTlsa;
  ReportTally tally;
  tally.Add(r);
  EXPECT_EQ(tally.domains().at("example.com").reports, 1);
  EXPECT_EQ(tally.domains().at("example.com").successful, 2);
}

TEST(ReportTallyTest, CountsSaturate) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  ReportTally tally;
  tally.Add(OneDomain("1", "example.com", kMax, kMax - 1));
  tally.Add(OneDomain("2", "example.com", kMax, 5));
  EXPECT_EQ(tally.domains().at("example.com").successful, kMax);
  EXPECT_EQ(tally.domains().at("example.com").failed, kMax);
}

}  // namespace
}  // namespace mtasts::tlsrpt
