#include "policy/policy_response.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mtasts::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> CodesOf(int status, std::string type, bool redirected = false) {
  std::vector<std::string> out;
  for (const Issue& i : CheckPolicyResponse({status, std::move(type), redirected})) {
    out.push_back(i.code);
  }
  return out;
}

TEST(PolicyResponseTest, AcceptsTextPlain) {
  EXPECT_THAT(CodesOf(200, "text/plain"), IsEmpty());
  EXPECT_THAT(CodesOf(200, "text/plain; charset=utf-8"), IsEmpty());
  EXPECT_THAT(CodesOf(200, "Text/Plain;Charset=\"US-ASCII\"; format=flowed"), IsEmpty());
}

TEST(PolicyResponseTest, RejectsEverythingElse) {
  EXPECT_THAT(CodesOf(301, "text/plain"), ElementsAre("http_status"));
  EXPECT_THAT(CodesOf(204, "text/plain"), ElementsAre("http_status"));
  EXPECT_THAT(CodesOf(404, "text/html"), ElementsAre("http_status", "content_type"));
  EXPECT_THAT(CodesOf(200, "text/plain", true), ElementsAre("redirected"));
  EXPECT_THAT(CodesOf(200, ""), ElementsAre("content_type"));
  EXPECT_THAT(CodesOf(200, "text/plainx"), ElementsAre("content_type"));
  EXPECT_THAT(CodesOf(200, "application/octet-stream"), ElementsAre("content_type"));
}

TEST(PolicyResponseTest, WarnsAboutOddCharset) {
  auto issues = CheckPolicyResponse({200, "text/plain; charset=iso-8859-1", false});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].severity, Severity::kWarning);
  EXPECT_EQ(issues[0].code, "charset");
}

TEST(PolicyResponseTest, RedirectMessageSaysWhy) {
  auto issues = CheckPolicyResponse({302, "text/plain", false});
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_NE(issues[0].message.find("never follow redirects"), std::string::npos);
}

}  // namespace
}  // namespace mtasts::policy
