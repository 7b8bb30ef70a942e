#include "base/strings.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mtasts {
namespace {

TEST(StringsTest, AsciiLowercase) {
  struct Case {
    std::string in, want;
  } cases[] = {
      {"", ""},
      {"MX1.Example.COM", "mx1.example.com"},
      {"already-lower_09", "already-lower_09"},
      {"\xc3\x89T\xc3\x89", "\xc3\x89t\xc3\x89"},  // non-ASCII bytes are kept as they are
      {"@[`{", "@[`{"},                            // the neighbours of A-Z and a-z
  };
  for (const Case& c : cases) EXPECT_EQ(AsciiLowercase(c.in), c.want) << c.in;
}

TEST(StringsTest, HasNonAscii) {
  struct Case {
    std::string in;
    bool want;
  } cases[] = {
      {"", false},    {"v=STSv1; id=1", false}, {std::string("\x00\x1b\x7f", 3), false},
      {"\x80", true}, {"id=\xff\xfe", true},    {"caf\xc3\xa9", true},
  };
  for (const Case& c : cases) EXPECT_EQ(HasNonAscii(c.in), c.want) << c.in;
}

TEST(StringsTest, CanonicalDomain) {
  struct Case {
    std::string in, want;
  } cases[] = {
      {"MX1.Example.COM.", "mx1.example.com"},
      {"a.b", "a.b"},
      {".", ""},
      {"", ""},
      {"example.com..", "example.com."},  // only the one root dot goes
      {"XN--BCHER-KVA.example", "xn--bcher-kva.example"},
  };
  for (const Case& c : cases) EXPECT_EQ(CanonicalDomain(c.in), c.want) << c.in;
}

TEST(StringsTest, IsHostName) {
  EXPECT_TRUE(IsHostName("mta-sts.example.com"));
  EXPECT_TRUE(IsHostName("_smtp._tls.example.com"));
  EXPECT_TRUE(IsHostName(std::string(253, 'a')));
  EXPECT_FALSE(IsHostName(std::string(254, 'a')));
  EXPECT_FALSE(IsHostName(""));
  for (const char* hostile : {"a/b", "a b", "a:443", "a\r\nb", "a\x1b[31m", "\xc3\xa9.example"}) {
    EXPECT_FALSE(IsHostName(hostile)) << hostile;
  }
}

TEST(StringsTest, JoinTxtStrings) {
  struct Case {
    std::vector<std::string> in;
    std::string want;
  } cases[] = {
      {{}, ""},
      {{"v=STSv1; id=1"}, "v=STSv1; id=1"},
      {{"v=STSv1; ", "id=1"}, "v=STSv1; id=1"},  // no space added between strings
      {{"v=STSv1;", "id=1"}, "v=STSv1;id=1"},
      {{"", "a", ""}, "a"},
  };
  for (const Case& c : cases) EXPECT_EQ(JoinTxtStrings(c.in), c.want) << c.want;
}

TEST(StringsTest, DecodeUtf8) {
  struct Case {
    std::string in;
    size_t want_length;
    char32_t want_code_point;
  } cases[] = {
      {"A", 1, U'A'},
      {std::string("\0", 1), 1, 0},
      {"\xc3\xa9", 2, 0xe9},
      {"\xc2\x9b", 2, 0x9b},  // C1 CSI: well-formed, whether or not it is wise to print
      {"\xe2\x82\xac", 3, 0x20ac},
      {"\xf0\x9f\x98\x80", 4, 0x1f600},
      {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
      {"\x80", 0, 0},              // a continuation byte alone
      {"\xff", 0, 0},              // never in UTF-8
      {"\xc3", 0, 0},              // truncated
      {"\xc3(", 0, 0},             // missing continuation
      {"\xc0\xaf", 0, 0},          // overlong "/"
      {"\xe0\x80\xaf", 0, 0},      // overlong "/"
      {"\xed\xa0\x80", 0, 0},      // a surrogate
      {"\xf4\x90\x80\x80", 0, 0},  // above U+10FFFF
  };
  for (const Case& c : cases) {
    char32_t cp = 0;
    EXPECT_EQ(DecodeUtf8(c.in, 0, &cp), c.want_length) << c.in;
    if (c.want_length > 0) {
      EXPECT_EQ(cp, c.want_code_point) << c.in;
    }
  }
}

TEST(StringsTest, IsValidUtf8) {
  struct Case {
    std::string in;
    bool want;
  } cases[] = {
      {"", true},          {"mode: enforce", true}, {"caf\xc3\xa9 \xe2\x82\xac", true},
      {"\xff\xfe", false},  // the bytes of a hostile TXT record
      {"ok\xc3", false},   {"\xed\xbf\xbf", false},
  };
  for (const Case& c : cases) EXPECT_EQ(IsValidUtf8(c.in), c.want) << c.in;
}

}  // namespace
}  // namespace mtasts
