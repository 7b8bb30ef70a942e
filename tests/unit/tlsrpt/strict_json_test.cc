#include "tlsrpt/strict_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace mtasts::tlsrpt {
namespace {

using ::testing::HasSubstr;

constexpr JsonLimits kStrict{1 << 20, 8, false};
constexpr JsonLimits kLenient{1 << 20, 8, true};

TEST(StrictJsonTest, BuildsTheDocument) {
  std::vector<std::string> warnings;
  auto doc = ParseStrictJson(R"({"a":[1,-2,3.5,"x",true,null,{"b":{}}],"c":{"d":[]}})", kStrict,
                             &warnings);
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  EXPECT_EQ(*doc, nlohmann::json::parse(R"({"a":[1,-2,3.5,"x",true,null,{"b":{}}],"c":{"d":[]}})"));
  EXPECT_TRUE(warnings.empty());
}

TEST(StrictJsonTest, DuplicateKeys) {
  std::vector<std::string> warnings;
  const char* text = R"({"a":{"k":1,"k":{"deep":[1,2]}},"b":2,"b":[3]})";
  auto strict = ParseStrictJson(text, kStrict, &warnings);
  ASSERT_FALSE(strict.ok());
  EXPECT_THAT(strict.status().message(), HasSubstr("\"k\" appears twice"));
  auto lenient = ParseStrictJson(text, kLenient, &warnings);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(*lenient, nlohmann::json::parse(R"({"a":{"k":1},"b":2})"));  // first wins
  EXPECT_EQ(warnings.size(), 2u);
  // The same name in sibling objects is not a duplicate.
  EXPECT_TRUE(ParseStrictJson(R"([{"k":1},{"k":2}])", kStrict, &warnings).ok());
}

TEST(StrictJsonTest, Limits) {
  std::vector<std::string> warnings;
  std::string deep(8, '['), too_deep(9, '[');
  deep += std::string(8, ']');
  too_deep += std::string(9, ']');
  EXPECT_TRUE(ParseStrictJson(deep, kStrict, &warnings).ok());
  auto refused = ParseStrictJson(too_deep, kStrict, &warnings);
  EXPECT_THAT(refused.status().message(), HasSubstr("nested more than 8"));
  // A hostile depth fails fast instead of exhausting the stack.
  std::string hostile(1000000, '[');
  EXPECT_FALSE(ParseStrictJson(hostile, kStrict, &warnings).ok());
  EXPECT_THAT(ParseStrictJson(std::string(2 << 20, ' '), kStrict, &warnings).status().message(),
              HasSubstr("over the limit"));
}

TEST(StrictJsonTest, SyntaxErrorsSayWhere) {
  std::vector<std::string> warnings;
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1} x", "\"\\ud800\"",
                          "{\"a\":\"\xff\"}", "NaN", "[01]", "// c\n{}"}) {
    auto r = ParseStrictJson(bad, kStrict, &warnings);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.status().message(), HasSubstr("JSON: ")) << bad;
  }
  EXPECT_THAT(ParseStrictJson("[1,]", kStrict, &warnings).status().message(),
              HasSubstr("line 1, column 4"));
}

}  // namespace
}  // namespace mtasts::tlsrpt
