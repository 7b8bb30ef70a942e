#include "policy/tlsrpt_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "issue_matchers.h"

namespace mtasts::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(TlsRptRecordTest, ParsesRuaList) {
  Parsed<TlsRptRecord> r = ParseTlsRptRecord(
      "v=TLSRPTv1; rua=mailto:tls%2Crpt@example.com , https://r.example.com/v1?a=b&c=%21;");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_THAT(r.value->rua,
              ElementsAre("mailto:tls%2Crpt@example.com", "https://r.example.com/v1?a=b&c=%21"));
  EXPECT_THAT(r.issues, IsEmpty());
}

TEST(TlsRptRecordTest, RepeatedRuaKeepsAllAndWarns) {
  Parsed<TlsRptRecord> r =
      ParseTlsRptRecord("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com; x=1");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(r.value->rua, ElementsAre("mailto:a@example.com", "mailto:b@example.com"));
  EXPECT_THAT(Warnings(r), ElementsAre("repeated_rua"));
  EXPECT_EQ(r.value->extensions.size(), 1u);
}

TEST(TlsRptRecordTest, Errors) {
  struct Case {
    const char* record;
    const char* error;
  };
  const Case cases[] = {
      {"v=TLSRPTv1", "missing_rua"},
      {"v=TLSRPTv1; x=1", "missing_rua"},
      {"rua=mailto:a@example.com; v=TLSRPTv1", "not_version_first"},
      {"v=TLSRPTv1; rua=", "bad_rua"},
      {"v=TLSRPTv1; rua=mailto:a@example.com,", "bad_rua"},
      {"v=TLSRPTv1; rua=mailto:a@example.com!10m", "bad_rua"},
      {"v=TLSRPTv1; rua=mailto:a b@example.com", "bad_rua"},
      {"v=TLSRPTv1; rua=mailto:a%zz@example.com", "bad_rua"},
      {"v=TLSRPTv1; rua=mailto:@example.com", "bad_rua"},
      {"v=TLSRPTv1; rua=https://", "bad_rua"},
      {"v=TLSRPTv1; rua=example.com", "bad_rua"},
      {"v=TLSRPTv1; rua=http://r.example.com/", "unsupported_scheme"},
      {"v=TLSRPTv1; rua=ftp://r.example.com/", "unsupported_scheme"},
  };
  for (const Case& c : cases) {
    Parsed<TlsRptRecord> r = ParseTlsRptRecord(c.record);
    EXPECT_FALSE(r.ok()) << c.record;
    EXPECT_THAT(Errors(r), ElementsAre(c.error)) << c.record;
  }
}

TEST(TlsRptRecordTest, Selection) {
  Parsed<TlsRptRecord> r =
      ReadTlsRptRecord({{"v=spf1 -all"}, {"v=TLSRPTv1; ", "rua=mailto:a@example.com"}});
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Errors(ReadTlsRptRecord({{"v=TLSRPTv1; rua=mailto:a@example.com"},
                                       {"v=TLSRPTv1; rua=mailto:b@example.com"}})),
              ElementsAre("multiple_records"));
}

TEST(TlsRptRecordTest, RenderRoundTrips) {
  StatusOr<std::string> text =
      RenderTlsRptRecord({"mailto:tlsrpt@example.com", "https://r.example.com/v1"});
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "v=TLSRPTv1; rua=mailto:tlsrpt@example.com,https://r.example.com/v1");
  EXPECT_THAT(ParseTlsRptRecord(*text).value->rua,
              ElementsAre("mailto:tlsrpt@example.com", "https://r.example.com/v1"));
  EXPECT_FALSE(RenderTlsRptRecord({}).ok());
  EXPECT_FALSE(RenderTlsRptRecord({"http://r.example.com/"}).ok());
  EXPECT_FALSE(RenderTlsRptRecord({"mailto:a@example.com;x"}).ok());
}

}  // namespace
}  // namespace mtasts::policy
