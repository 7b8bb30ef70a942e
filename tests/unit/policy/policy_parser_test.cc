#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "issue_matchers.h"
#include "policy/policy_file.h"

namespace mtasts::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kHead[] = "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n";

ParsedPolicy WithMaxAge(const std::string& value) {
  return ParsePolicy(std::string(kHead) + "max_age: " + value + "\r\n");
}

TEST(PolicyParserTest, CanonicalCrlfPolicyHasNoIssues) {
  ParsedPolicy p = ParsePolicy(
      "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
      "max_age: 1209600\r\n");
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p.issues, IsEmpty());
  EXPECT_EQ(p.value->mode, Mode::kEnforce);
  EXPECT_EQ(p.value->max_age, 1209600);
  EXPECT_THAT(p.value->mx, ElementsAre("mail.example.com", "*.example.net"));
}

TEST(PolicyParserTest, LfIsValidWithAWarning) {
  ParsedPolicy p = ParsePolicy("version: STSv1\nmode: testing\nmx: a.example\nmax_age: 604800\n");
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(Warnings(p), ElementsAre("lf_line_endings"));
  EXPECT_EQ(p.issues[0].line, 1);
}

TEST(PolicyParserTest, MixedEndingsAreValidWithAWarning) {
  ParsedPolicy p =
      ParsePolicy("version: STSv1\r\nmode: testing\r\nmx: a.example\nmax_age: 604800\r\n");
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(Warnings(p), ElementsAre("mixed_line_endings"));
  EXPECT_EQ(p.issues[0].line, 3);
}

TEST(PolicyParserTest, MaxAgeBounds) {
  struct Case {
    const char* value;
    bool ok;
    int64_t seconds;
    const char* issue;  // the one error or warning, "" if none
  };
  const Case cases[] = {
      {"0", true, 0, "max_age_zero"},
      {"1", true, 1, "max_age_short"},
      {"86399", true, 86399, "max_age_short"},
      {"86400", true, 86400, ""},
      {"0604800", true, 604800, ""},
      {"31557600", true, 31557600, ""},
      {"31557601", false, 0, "max_age_out_of_range"},
      {"9999999999", false, 0, "max_age_out_of_range"},
      {"00000086400", false, 0, "bad_max_age"},  // 11 digits
      {"-1", false, 0, "bad_max_age"},
      {"+1", false, 0, "bad_max_age"},
      {"1e5", false, 0, "bad_max_age"},
      {"86400.0", false, 0, "bad_max_age"},
      {"1 week", false, 0, "bad_max_age"},
      {"", false, 0, "bad_max_age"},
  };
  for (const Case& c : cases) {
    ParsedPolicy p = WithMaxAge(c.value);
    EXPECT_EQ(p.ok(), c.ok) << c.value;
    if (c.ok) EXPECT_EQ(p.value->max_age, c.seconds) << c.value;
    std::vector<std::string> codes;
    for (const Issue& i : p.issues) codes.push_back(i.code);
    if (*c.issue == '\0') {
      EXPECT_THAT(codes, IsEmpty()) << c.value;
    } else {
      EXPECT_THAT(codes, ElementsAre(c.issue)) << c.value;
      EXPECT_EQ(p.issues[0].line, 4) << c.value;
    }
  }
}

TEST(PolicyParserTest, DuplicateFieldsFirstWinsAndWarns) {
  ParsedPolicy p = ParsePolicy(
      "version: STSv1\nmode: enforce\nmode: testing\nmx: a.example\nmax_age: 86400\n"
      "max_age: junk\nnote: one\nnote: two\n");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value->mode, Mode::kEnforce);
  EXPECT_EQ(p.value->max_age, 86400);
  ASSERT_EQ(p.value->extensions.size(), 1u);
  EXPECT_EQ(p.value->extensions[0].second, "one");
  std::vector<int> duplicate_lines;
  for (const Issue& i : p.issues) {
    if (i.code == "duplicate_field") duplicate_lines.push_back(i.line);
  }
  EXPECT_THAT(duplicate_lines, ElementsAre(3, 6, 8));
}

TEST(PolicyParserTest, FirstDuplicateIsTheOneValidated) {
  ParsedPolicy p =
      ParsePolicy("version: STSv1\nmode: Enforce\nmode: enforce\nmx: a.example\nmax_age: 86400\n");
  EXPECT_FALSE(p.ok());
  EXPECT_THAT(Errors(p), ElementsAre("bad_mode"));
  EXPECT_NE(p.issues[0].message.find("lower case"), std::string::npos);
}

TEST(PolicyParserTest, CollectsEveryErrorWithItsLine) {
  ParsedPolicy p = ParsePolicy(
      "version: STSv2\n"           // 1
      "mode : enforce\n"           // 2
      "mx: mail_1.example.com\n"   // 3
      "\n"                         // 4
      " max_age: 86400\n"          // 5
      "this is not a field\n"      // 6
      "mx: mail.example.com.\n");  // 7
  EXPECT_FALSE(p.ok());
  std::vector<std::pair<int, std::string>> errors;
  for (const Issue& i : p.issues) {
    if (i.severity == Severity::kError) errors.emplace_back(i.line, i.code);
  }
  EXPECT_THAT(errors, ElementsAre(std::pair(1, "bad_version"), std::pair(2, "bad_line"),
                                  std::pair(3, "bad_mx"), std::pair(4, "bad_line"),
                                  std::pair(5, "bad_line"), std::pair(6, "bad_line"),
                                  std::pair(7, "bad_mx"), std::pair(0, "missing_mode"),
                                  std::pair(0, "missing_max_age")));
}

TEST(PolicyParserTest, RejectsWhatIsNotAPolicyFile) {
  struct Case {
    std::string body;
    const char* error;
  };
  const Case cases[] = {
      {"", "empty"},
      {std::string(kMaxPolicyBytes + 1, 'x'), "too_large"},
      {"version: STSv1\nnote: \xff\n", "not_utf8"},
      {"version: STSv1\nnote: \xc0\xaf\n", "not_utf8"},  // overlong "/"
      {"\xEF\xBB\xBFnote: x\nversion: STSv1\nmode: none\nmax_age: 86400\n", "bad_line"},
      {"version: STSv1\nmode: none\nmax_age: 86400\nnote: a\rb\n", "bad_line"},
      {"version: STSv1\nmode: none\nmax_age: 86400\n\n", "bad_line"},
      {"version: STSv1\nmode: none\nmax_age: 86400\nnote:\n", "bad_extension"},
      {"version: STSv1\nmode: none\nmax_age: 86400\nnote: a\tb\n", "bad_extension"},
      {"version: STSv1\nmode: none\nmax_age: 86400\nn\xc3\xa4me: x\n", "bad_line"},
      {"version: STSv1\nmode: testing\nmax_age: 86400\n", "missing_mx"},
  };
  for (const Case& c : cases) {
    ParsedPolicy p = ParsePolicy(c.body);
    EXPECT_FALSE(p.ok()) << c.body;
    EXPECT_THAT(Errors(p), ElementsAre(c.error)) << c.body;
  }
}

TEST(PolicyParserTest, UnknownAndMiscasedKeysAreKeptAsExtensions) {
  ParsedPolicy p = ParsePolicy(
      "version: STSv1\nmode: none\nmax_age: 86400\nMX: mail.example.com\n"
      "comment: managed by ops; see wiki=42 \xe2\x9c\x93\n");
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p.value->mx, IsEmpty());
  ASSERT_EQ(p.value->extensions.size(), 2u);
  EXPECT_EQ(p.value->extensions[1].second, "managed by ops; see wiki=42 \xe2\x9c\x93");
  EXPECT_THAT(Warnings(p), ElementsAre("key_case", "unknown_field", "lf_line_endings"));
}

TEST(PolicyParserTest, WarnsAboutRiskyMxPatterns) {
  ParsedPolicy p = ParsePolicy(
      "version: STSv1\r\nmode: testing\r\nmx: *.com\r\nmx: 192.0.2.25\r\nmx: a.example\r\n"
      "mx: A.Example\r\nmax_age: 86400\r\n");
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(Warnings(p), ElementsAre("weak_wildcard", "ip_like_mx", "duplicate_mx"));
  EXPECT_THAT(p.value->mx, ElementsAre("*.com", "192.0.2.25", "a.example", "A.Example"));
}

TEST(PolicyParserTest, WhitespaceAroundValues) {
  ParsedPolicy p = ParsePolicy("version:STSv1\t\nmode:\t testing \nmx:  a.example\nmax_age:86400");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value->mode, Mode::kTesting);
  EXPECT_THAT(p.value->mx, ElementsAre("a.example"));
}

TEST(PolicyParserTest, IssuesFormatWithLineAndFix) {
  ParsedPolicy p = ParsePolicy("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 1 week\n");
  ASSERT_EQ(p.issues.size(), 2u);
  EXPECT_EQ(FormatIssue(p.issues[0]),
            "line 4: error bad_max_age: max_age \"1 week\" is not a number of seconds; write 1-10 "
            "digits, e.g. \"max_age: 604800\"");
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mtasts::policy
