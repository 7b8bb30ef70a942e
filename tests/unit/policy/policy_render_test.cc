#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "issue_matchers.h"
#include "policy/policy_file.h"
#include "random_policy.h"

namespace mtasts::policy {
namespace {

using ::testing::ElementsAre;

Policy Example() {
  Policy p;
  p.mode = Mode::kEnforce;
  p.max_age = 1209600;
  p.mx = {"mx2.Example.com", "*.mx.example.net", "MX2.example.com", "mail.example.com"};
  return p;
}

TEST(PolicyRenderTest, CanonicalBytes) {
  StatusOr<std::string> bytes = RenderPolicy(Example());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes,
            "version: STSv1\r\nmode: enforce\r\nmx: *.mx.example.net\r\nmx: mail.example.com\r\n"
            "mx: mx2.example.com\r\nmax_age: 1209600\r\n");
}

TEST(PolicyRenderTest, ExtensionsFollowMaxAgeInOrder) {
  Policy p = Example();
  p.extensions = {{"owner", "mail team"}, {"a.b-c_d", "x"}};
  StatusOr<std::string> bytes = RenderPolicy(p);
  ASSERT_TRUE(bytes.ok());
  EXPECT_TRUE(bytes->ends_with("max_age: 1209600\r\nowner: mail team\r\na.b-c_d: x\r\n"));
}

TEST(PolicyRenderTest, ModeNoneNeedsNoMx) {
  Policy p;
  p.mode = Mode::kNone;
  p.max_age = 86400;
  EXPECT_EQ(*RenderPolicy(p), "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n");
}

TEST(PolicyRenderTest, RefusesWhatWouldNotParseBack) {
  auto refused = [](void (*edit)(Policy&)) {
    Policy p = Example();
    edit(p);
    return !RenderPolicy(p).ok();
  };
  EXPECT_TRUE(refused([](Policy& p) { p.max_age = -1; }));
  EXPECT_TRUE(refused([](Policy& p) { p.max_age = kMaxMaxAge + 1; }));
  EXPECT_TRUE(refused([](Policy& p) { p.mx.clear(); }));
  EXPECT_TRUE(refused([](Policy& p) { p.mx.push_back("mail.example.com."); }));
  EXPECT_TRUE(refused([](Policy& p) { p.mx.push_back("m\xc3\xbcnchen.example"); }));
  EXPECT_TRUE(refused([](Policy& p) { p.version = "STSv2"; }));
  EXPECT_TRUE(refused([](Policy& p) { p.extensions = {{"mode", "testing"}}; }));
  EXPECT_TRUE(refused([](Policy& p) { p.extensions = {{"Max_Age", "1"}}; }));
  EXPECT_TRUE(refused([](Policy& p) { p.extensions = {{"bad name", "x"}}; }));
  EXPECT_TRUE(refused([](Policy& p) { p.extensions = {{"note", ""}}; }));
  EXPECT_TRUE(refused([](Policy& p) { p.extensions = {{"note", "a\r\nmode: none"}}; }));
  EXPECT_TRUE(refused([](Policy& p) { p.extensions = {{"note", "\xff"}}; }));
  EXPECT_TRUE(refused([](Policy& p) { p.extensions = {{"n", "1"}, {"n", "2"}}; }));
  EXPECT_TRUE(refused([](Policy& p) {
    for (int i = 0; i < 5000; ++i) p.mx.push_back("mx" + std::to_string(i) + ".example.com");
  }));
}

TEST(PolicyRenderTest, CanonicalMxList) {
  EXPECT_THAT(CanonicalMxList({"B.example", "a.example", "b.EXAMPLE", "*.c.example"}),
              ElementsAre("*.c.example", "a.example", "b.example"));
}

// Render, parse back, render again, over hundreds of generated policies: the parse must find no
// issue at all, recover every field (mx in canonical order), and re-render the same bytes.
TEST(PolicyRenderTest, RoundTripProperty) {
  std::mt19937 rng(20261128);
  for (int i = 0; i < 500; ++i) {
    Policy policy = RandomPolicy(rng);
    StatusOr<std::string> bytes = RenderPolicy(policy);
    ASSERT_TRUE(bytes.ok()) << "policy " << i << ": " << bytes.status().ToString();
    ParsedPolicy parsed = ParsePolicy(*bytes);
    ASSERT_TRUE(parsed.ok()) << *bytes << parsed.status().ToString();
    for (const Issue& issue : parsed.issues) {
      // Only the advisories the generator provokes on purpose.
      EXPECT_THAT(issue.code, ::testing::AnyOf("max_age_zero", "max_age_short", "unknown_field",
                                               "ip_like_mx", "weak_wildcard"))
          << *bytes;
    }
    EXPECT_EQ(parsed.value->mode, policy.mode);
    EXPECT_EQ(parsed.value->max_age, policy.max_age);
    EXPECT_EQ(parsed.value->mx, CanonicalMxList(policy.mx));
    EXPECT_EQ(parsed.value->extensions, policy.extensions);
    StatusOr<std::string> again = RenderPolicy(*parsed.value);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *bytes);
    EXPECT_EQ(bytes->find("\n\r"), std::string::npos);
    EXPECT_EQ(bytes->find(" \r"), std::string::npos);  // no trailing whitespace
  }
}

}  // namespace
}  // namespace mtasts::policy
