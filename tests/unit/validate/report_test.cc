// The two report forms: the JSON fields documented in the README, and the human text with its
// pass/fail marks and fixes under the right group.
#include <gtest/gtest.h>

#include <string>

#include "base/strings.h"
#include "good_domain.h"
#include "validate/evaluate.h"
#include "validate/report_json.h"
#include "validate/report_text.h"

namespace mtasts::validate {
namespace {

using test_data::GoodDomain;

// Bytes a hostile domain can put in its records, replies and certificates: octets that are not
// UTF-8, a colour escape, a title-setting escape ended by BEL, a newline.
const std::string kHostile = "\xff\xfe\x1b[31mred\x1b]0;owned\a\nforged";
const std::string kShown = "\\xff\\xfe\\x1b[31mred\\x1b]0;owned\\x07\\x0aforged";

Observations HostileDomain() {
  Observations obs = GoodDomain();
  obs.sts_txt.records = {{"v=STSv1; id=" + kHostile}};
  obs.tlsrpt_txt.records = {{"v=TLSRPTv1; rua=mailto:" + kHostile}};
  obs.policy.content_type = "text/plain" + kHostile;
  obs.mx_hosts[0].addresses[0].cert->leaf.subject = "CN=" + kHostile;
  obs.mx_hosts[0].addresses[0].cert->leaf.dns_names = {kHostile};
  obs.mx_hosts[1].addresses[0] = {"192.0.2.2", false, false, "", std::nullopt, "554 " + kHostile};
  return obs;
}

bool HasRawControl(const std::string& text) {
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
  }
  return false;
}

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

TEST(ReportJsonTest, BytesFromOutsideAreShownEscaped) {
  const nlohmann::json j = ReportToJson(Evaluate(HostileDomain()));
  std::string text;
  ASSERT_NO_THROW(text = j.dump()) << "a string is not UTF-8";
  EXPECT_FALSE(HasRawControl(text));
  EXPECT_EQ(j["txt"]["mta_sts"]["records"][0], "v=STSv1; id=" + kShown);
  EXPECT_EQ(j["mx"][0]["addresses"][0]["cert"]["subject"], "CN=" + kShown);
  EXPECT_EQ(j["mx"][0]["addresses"][0]["cert"]["san"][0], kShown);
  EXPECT_EQ(j["mx"][1]["addresses"][0]["error"], "no SMTP service: 554 " + kShown);
  for (const auto& f : j["findings"]) EXPECT_FALSE(HasRawControl(f["message"])) << f;
}

TEST(ReportTextTest, BytesFromOutsideAreShownEscaped) {
  const std::string text = ReportToText(Evaluate(HostileDomain()));
  EXPECT_FALSE(HasRawControl(text)) << text;
  EXPECT_TRUE(IsValidUtf8(text)) << text;
  EXPECT_EQ(text.find("\nforged"), std::string::npos) << "a forged line: " << text;
  EXPECT_NE(text.find("\"v=STSv1; id=" + kShown + "\""), std::string::npos) << text;
  EXPECT_NE(text.find("554 " + kShown), std::string::npos) << text;
}

TEST(ReportTextTest, RecordThatIsNotAsciiIsSaidToBe) {
  const std::string text = ReportToText(Evaluate(HostileDomain()));
  EXPECT_NE(text.find("[FAIL] sts-txt-invalid: "), std::string::npos) << text;
  EXPECT_NE(text.find("not ASCII"), std::string::npos) << text;
}

}  // namespace
}  // namespace mtasts::validate
