#include "policy/sts_record.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "issue_matchers.h"

namespace mtasts::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Ext = std::vector<std::pair<std::string, std::string>>;

TEST(StsRecordTest, ParsesFields) {
  Parsed<StsRecord> r = ParseStsRecord("v=STSv1;\tid=20160831085700Z ; x.y-z_=v!;");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r.value->id, "20160831085700Z");
  EXPECT_EQ(r.value->extensions, (Ext{{"x.y-z_", "v!"}}));
  EXPECT_THAT(r.issues, IsEmpty());
}

TEST(StsRecordTest, Errors) {
  struct Case {
    const char* record;
    const char* error;
  };
  const Case cases[] = {
      {"", "not_version_first"},
      {" v=STSv1; id=a", "not_version_first"},
      {"V=STSv1; id=a", "not_version_first"},
      {"id=a; v=STSv1", "not_version_first"},
      {"v=STSv10; id=a", "syntax"},
      {"v=STSv1", "missing_id"},
      {"v=STSv1;", "missing_id"},
      {"v=STSv1; foo=bar", "missing_id"},
      {"v=STSv1; id=abcdefghijklmnopqrstuvwxyz0123456", "bad_id"},  // 33 characters
      {"v=STSv1; id=", "bad_id"},
      {"v=STSv1; id=a-b", "bad_id"},
      {"v=STSv1; id=a ", "trailing_whitespace"},
      {"v=STSv1; id=a;;", "syntax"},
      {"v=STSv1; ; id=a", "syntax"},
      {"v=STSv1; id=a; foo", "syntax"},
      {"v=STSv1; id=a; =x", "syntax"},
      {"v=STSv1; id=a; foo=bar baz", "syntax"},
      {"v=STSv1; id=a; foo=a=b", "syntax"},
      {"v=STSv1; id=a; f\xc3\xb6o=1", "not_ascii"},
  };
  for (const Case& c : cases) {
    Parsed<StsRecord> r = ParseStsRecord(c.record);
    EXPECT_FALSE(r.ok()) << c.record;
    EXPECT_THAT(Errors(r), ElementsAre(c.error)) << c.record;
  }
}

TEST(StsRecordTest, DuplicatesFirstWins) {
  Parsed<StsRecord> r = ParseStsRecord("v=STSv1; id=abc; id=def; n=1; n=2");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value->id, "abc");
  EXPECT_EQ(r.value->extensions, (Ext{{"n", "1"}}));
  EXPECT_THAT(Warnings(r), ElementsAre("duplicate_id", "duplicate_field"));
  EXPECT_FALSE(ParseStsRecord("v=STSv1; id=a-b; id=abc").ok());
}

TEST(StsRecordTest, WhitespaceBeforeFirstSemicolonWarns) {
  Parsed<StsRecord> r = ParseStsRecord("v=STSv1 ; id=abc");
  ASSERT_TRUE(r.ok());
  EXPECT_THAT(Warnings(r), ElementsAre("wsp_before_first_semicolon"));
}

TEST(StsRecordTest, Selection) {
  // Strings of one RR are joined without spaces.
  Parsed<StsRecord> joined = ReadStsRecord({{"v=STSv1; id=2019", "0429T010101"}});
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined.value->id, "20190429T010101");

  Parsed<StsRecord> beside_spf = ReadStsRecord({{"v=spf1 -all"}, {"v=STSv1; id=abc"}});
  ASSERT_TRUE(beside_spf.ok());
  EXPECT_THAT(beside_spf.issues, IsEmpty());

  Parsed<StsRecord> lookalike = ReadStsRecord({{"v=STSv1"}, {"v=STSv1; id=abc"}});
  ASSERT_TRUE(lookalike.ok());
  EXPECT_THAT(Warnings(lookalike), ElementsAre("lookalike_record"));

  EXPECT_THAT(Errors(ReadStsRecord({{"v=STSv1; id=a"}, {"v=STSv1; id=b"}})),
              ElementsAre("multiple_records"));
  EXPECT_THAT(Errors(ReadStsRecord({})), ElementsAre("no_record"));
  EXPECT_THAT(Errors(ReadStsRecord({{"v=spf1 -all"}})), ElementsAre("no_record"));
  // A lone record is judged by the grammar; next to others only the literal prefix counts.
  EXPECT_TRUE(ReadStsRecord({{"v=STSv1 ; id=abc"}}).ok());
  EXPECT_THAT(Errors(ReadStsRecord({{"v=spf1"}, {"v=STSv1 ; id=abc"}})), ElementsAre("no_record"));
  EXPECT_THAT(Errors(ReadStsRecord({{"v=STSv1"}})), ElementsAre("missing_id"));
}

TEST(StsRecordTest, Render) {
  EXPECT_EQ(*RenderStsRecord("20240501T120000Z"), "v=STSv1; id=20240501T120000Z");
  EXPECT_FALSE(RenderStsRecord("2024-05-01").ok());
  EXPECT_FALSE(RenderStsRecord(std::string(33, 'a')).ok());
  Parsed<StsRecord> back = ParseStsRecord(*RenderStsRecord("abc123"));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back.value->id, "abc123");
  EXPECT_THAT(back.issues, IsEmpty());
}

}  // namespace
}  // namespace mtasts::policy
