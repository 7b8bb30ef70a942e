#include "policy/mx_pattern.h"

#include <gtest/gtest.h>

#include <string>

namespace mtasts::policy {
namespace {

struct MatchCase {
  const char* pattern;
  const char* host;
  bool match;
};

TEST(MxPatternTest, Matches) {
  const MatchCase cases[] = {
      {"mail.example.com", "mail.example.com", true},
      {"mail.example.com", "MAIL.EXAMPLE.COM.", true},
      {"MAIL.example.COM", "mail.example.com", true},
      {"mail.example.com", "mail.example.com..", false},
      {"mail.example.com", "example.com", false},
      {"example.com", "mail.example.com", false},  // no implicit subdomains
      {"*.example.com", "mx1.example.com", true},
      {"*.example.com", "mx1.example.com.", true},
      {"*.example.com", "example.com", false},
      {"*.example.com", ".example.com", false},
      {"*.example.com", "a.b.example.com", false},  // exactly one label
      {"*.b.example.com", "a.b.example.com", true},
      {"*.c.b.example.com", "x.c.b.example.com", true},
      {"*.c.b.example.com", "y.x.c.b.example.com", false},
      {"*.c.b.example.com", "c.b.example.com", false},
      {"*.example.com", "mx.badexample.com", false},
      {"*.example.com", "mx.example.com.evil.example", false},
      {"*.com", "example.com", true},
      {"mail.example.com", "", false},
      {"mail.example.com", ".", false},
      // Invalid patterns never match, even the identical string.
      {"mx*.example.com", "mx*.example.com", false},
      {"*.*.example.com", "a.b.example.com", false},
      {"mail.example.com.", "mail.example.com", false},
      {"m\xc3\xbcnchen.example", "m\xc3\xbcnchen.example", false},
      {"", "", false},
      {"xn--mnchen-3ya.example", "XN--MNCHEN-3YA.example.", true},
  };
  for (const MatchCase& c : cases) {
    EXPECT_EQ(MxPatternMatches(c.pattern, c.host), c.match) << c.pattern << " vs " << c.host;
  }
}

TEST(MxPatternTest, ValidatesSyntax) {
  const std::string label63(63, 'a'), label64(64, 'a');
  for (const std::string& good :
       {std::string("mail.example.com"), std::string("*.example.com"), std::string("localhost"),
        std::string("xn--mnchen-3ya.example"), std::string("MX-1.Example.COM"),
        label63 + ".example.com", std::string("192.0.2.25")}) {
    EXPECT_TRUE(ValidateMxPattern(good).ok()) << good;
  }
  for (const std::string& bad :
       {std::string(""), std::string("*"), std::string("*."), std::string("**.example.com"),
        std::string("*.*.example.com"), std::string("mx*.example.com"),
        std::string("mail.*.example.com"), std::string("mail.example.com."),
        std::string("mail_1.example.com"), std::string("-mail.example.com"),
        std::string("mail-.example.com"), std::string("mail..example.com"),
        std::string(".example.com"), label64 + ".example.com",
        std::string("m\xc3\xbcnchen.example"), std::string("mx1.example.com, mx2.example.com"),
        std::string("mail.example.com:25"), std::string(" mail.example.com")}) {
    EXPECT_FALSE(ValidateMxPattern(bad).ok()) << bad;
  }
}

TEST(MxPatternTest, NamesMustFitInDns) {
  std::string name;
  while (name.size() < 250) name += "abcdefghi.";
  name += "com";  // 253 characters
  EXPECT_TRUE(ValidateMxPattern(name).ok());
  EXPECT_FALSE(ValidateMxPattern("a" + name).ok());
}

TEST(MxPatternTest, MessagesSayHowToFix) {
  EXPECT_NE(ValidateMxPattern("m\xc3\xbcnchen.example").message().find("A-labels"),
            std::string::npos);
  EXPECT_NE(ValidateMxPattern("a.example, b.example").message().find("own \"mx:\" line"),
            std::string::npos);
  EXPECT_NE(ValidateMxPattern("mail.example.com.").message().find("root dot"), std::string::npos);
}

TEST(MxPatternTest, CoveredByAnyPattern) {
  std::vector<std::string> patterns = {"mx1.example.com", "*.backup.example.net"};
  EXPECT_TRUE(MxHostCovered(patterns, "MX1.example.com."));
  EXPECT_TRUE(MxHostCovered(patterns, "b2.backup.example.net"));
  EXPECT_FALSE(MxHostCovered(patterns, "mx2.example.com"));
  EXPECT_FALSE(MxHostCovered({}, "mx1.example.com"));
}

TEST(MxPatternTest, FlagsRiskyPatterns) {
  EXPECT_TRUE(IsWeakWildcard("*.com"));
  EXPECT_FALSE(IsWeakWildcard("*.example.com"));
  EXPECT_FALSE(IsWeakWildcard("com"));
  EXPECT_TRUE(LooksLikeIpAddress("192.0.2.25"));
  EXPECT_FALSE(LooksLikeIpAddress("192.0.2"));
  EXPECT_FALSE(LooksLikeIpAddress("mx1.192.0.2"));
}

}  // namespace
}  // namespace mtasts::policy
