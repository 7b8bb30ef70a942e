#include "spec/serve.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mtasts::spec {
namespace {

using policy::Mode;
using testing::ElementsAre;

MtaStsPolicySpec Spec(std::vector<std::string> mx) {
  MtaStsPolicySpec spec;
  spec.domain = "example.com";
  spec.mode = Mode::kEnforce;
  spec.mx = std::move(mx);
  spec.max_age = 1209600;
  spec.rollout.testing_max_age = 86400;
  return spec;
}

TEST(ServeTest, EnforceUsesMaxAgeAndCanonicalMx) {
  auto p = PolicyToServe(Spec({"MX2.example.com", "mx1.example.com", "mx1.example.com"}),
                         Mode::kEnforce);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->mode, Mode::kEnforce);
  EXPECT_EQ(p->max_age, 1209600);
  EXPECT_THAT(p->mx, ElementsAre("mx1.example.com", "mx2.example.com"));
}

TEST(ServeTest, TestingAndNoneUseTestingMaxAgeAndKeepMx) {
  for (Mode mode : {Mode::kTesting, Mode::kNone}) {
    auto p = PolicyToServe(Spec({"mx1.example.com"}), mode);
    ASSERT_TRUE(p.ok());
    EXPECT_EQ(p->mode, mode);
    EXPECT_EQ(p->max_age, 86400);
    EXPECT_THAT(p->mx, ElementsAre("mx1.example.com"));
  }
}

TEST(ServeTest, EmptyMxTakesLiveHosts) {
  auto p = PolicyToServe(Spec({}), Mode::kTesting, {"MX2.Example.com.", "mx1.example.com."});
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->mx, ElementsAre("mx1.example.com", "mx2.example.com"));
}

TEST(ServeTest, NoMxAtAllIsAPrecondition) {
  EXPECT_EQ(PolicyToServe(Spec({}), Mode::kEnforce).status().code(),
            StatusCode::kFailedPrecondition);
  auto none = PolicyToServe(Spec({}), Mode::kNone);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->mx.empty());
}

TEST(ServeTest, NeverPastTheTarget) {
  MtaStsPolicySpec spec = Spec({"mx1.example.com"});
  spec.mode = Mode::kTesting;
  EXPECT_EQ(PolicyToServe(spec, Mode::kEnforce).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(PolicyToServe(spec, Mode::kTesting).ok());
}

TEST(ServeTest, ServedPolicyRendersAndParsesBack) {
  auto p = PolicyToServe(Spec({"*.mail.example.com", "mx1.example.com"}), Mode::kEnforce);
  ASSERT_TRUE(p.ok());
  auto bytes = policy::RenderPolicy(*p);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes,
            "version: STSv1\r\nmode: enforce\r\nmx: *.mail.example.com\r\nmx: mx1.example.com\r\n"
            "max_age: 1209600\r\n");
  auto parsed = policy::ParsePolicy(*bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed.value, *p);
}

}  // namespace
}  // namespace mtasts::spec
