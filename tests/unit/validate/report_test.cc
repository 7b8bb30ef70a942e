// The two report forms: the JSON fields documented in the README, and the human text with its
// pass/fail marks and fixes under the right group.
#include <gtest/gtest.h>

#include "good_domain.h"
#include "validate/evaluate.h"
#include "validate/report_json.h"
#include "validate/report_text.h"

namespace mtasts::validate {
namespace {

using test_data::GoodDomain;

TEST(ReportJsonTest, HealthyDomainHasEveryField) {
  const nlohmann::json j = ReportToJson(Evaluate(GoodDomain()));
  EXPECT_EQ(j["domain"], "example.com");
  EXPECT_EQ(j["txt"]["mta_sts"]["id"], "20261128T000000Z");
  EXPECT_EQ(j["txt"]["mta_sts"]["lookup"], "found");
  EXPECT_EQ(j["txt"]["tls_rpt"]["rua"][0], "mailto:tlsrpt@example.com");
  EXPECT_EQ(j["policy"]["mode"], "enforce");
  EXPECT_EQ(j["policy"]["max_age"], 1209600);
  EXPECT_EQ(j["policy"]["mx"].size(), 2u);
  ASSERT_EQ(j["mx"].size(), 2u);
  const auto& mx = j["mx"][0];
  EXPECT_EQ(mx["host"], "mx1.example.com");
  EXPECT_EQ(mx["priority"], 10);
  EXPECT_EQ(mx["covered"], true);
  const auto& a = mx["addresses"][0];
  EXPECT_EQ(a["ip"], "192.0.2.1");
  EXPECT_EQ(a["starttls"], true);
  EXPECT_EQ(a["tls_version"], "TLSv1.3");
  EXPECT_EQ(a["cert"]["san"][0], "mx1.example.com");
  EXPECT_EQ(a["cert"]["not_after"], "2027-09-24T12:00:00Z");
  EXPECT_EQ(a["ok"], true);
  EXPECT_TRUE(a["error"].is_null());
  EXPECT_TRUE(j["findings"].empty());
  EXPECT_EQ(j["enforce_ready"], true);
}

TEST(ReportJsonTest, FailuresShowInFindingsAndAddresses) {
  Observations obs = GoodDomain();
  obs.mx_hosts[1].addresses[0].starttls_offered = false;
  obs.mx_hosts[1].addresses[0].cert.reset();
  obs.policy.http_status = 404;
  const nlohmann::json j = ReportToJson(Evaluate(obs));
  EXPECT_TRUE(j["policy"].is_null());
  EXPECT_EQ(j["mx"][1]["addresses"][0]["ok"], false);
  EXPECT_EQ(j["mx"][1]["addresses"][0]["error"], "STARTTLS not offered");
  EXPECT_EQ(j["mx"][0]["covered"], false);  // no policy, nothing is covered
  ASSERT_EQ(j["findings"].size(), 2u);
  EXPECT_EQ(j["findings"][0]["code"], "sts-policy-fetch-error");
  EXPECT_EQ(j["findings"][0]["severity"], "error");
  EXPECT_EQ(j["findings"][1]["code"], "starttls-not-supported");
  EXPECT_EQ(j["findings"][1]["target"], "192.0.2.2");
  EXPECT_EQ(j["enforce_ready"], false);
}

TEST(ReportTextTest, GroupsFindingsUnderDnsPolicyAndTheirMx) {
  Observations obs = GoodDomain();
  obs.tlsrpt_txt.lookup = Lookup::kNoRecords;
  obs.tlsrpt_txt.records.clear();
  obs.mx_hosts[1].addresses[0].cert->leaf.dns_names = {"other.example.net"};
  const std::string text = ReportToText(Evaluate(obs));
  EXPECT_NE(text.find("example.com: NOT ready for mode: enforce\n"), std::string::npos) << text;
  const auto dns = text.find("[warn] DNS");
  const auto tlsrpt = text.find("[warn] tlsrpt-txt-missing: ");
  const auto policy = text.find("[pass] policy https://mta-sts.example.com/");
  const auto mx1 = text.find("[pass] MX mx1.example.com (priority 10), covered by the policy");
  const auto mx2 = text.find("[FAIL] MX mx2.example.com (priority 20)");
  const auto mismatch = text.find("[FAIL] certificate-host-mismatch: ");
  for (auto pos : {dns, tlsrpt, policy, mx1, mx2, mismatch}) {
    ASSERT_NE(pos, std::string::npos) << text;
  }
  EXPECT_LT(dns, tlsrpt);
  EXPECT_LT(tlsrpt, policy);
  EXPECT_LT(mx1, mx2);
  EXPECT_LT(mx2, mismatch);
}

}  // namespace
}  // namespace mtasts::validate
