#include "base/args.h"

#include <gtest/gtest.h>

#include "base/did_you_mean.h"

namespace mtasts {
namespace {

TEST(ArgsTest, ParsesOptionsFlagsAndPositionals) {
  constexpr OptionSpec kSpecs[] = {{"--mode", true}, {"--strict", false}};
  auto args =
      ParseArgs({"a", "--mode=none", "-", "--strict", "--mode", "testing", "--", "--x"}, kSpecs);
  ASSERT_TRUE(args.ok()) << args.status().ToString();
  EXPECT_EQ(args->positional, (std::vector<std::string>{"a", "-", "--x"}));
  EXPECT_EQ(args->Value("--mode"), "testing");
  EXPECT_EQ(args->Values("--mode"), (std::vector<std::string>{"none", "testing"}));
  EXPECT_TRUE(args->Has("--strict"));
  EXPECT_FALSE(args->help);
  EXPECT_FALSE(ParseArgs({"--strict=yes"}, kSpecs).ok());
}

TEST(ArgsTest, UnknownOptionsGetADidYouMean) {
  constexpr OptionSpec kSpecs[] = {{"--mode", true}};
  const auto args = ParseArgs({"--mdoe", "x"}, kSpecs);
  ASSERT_FALSE(args.ok());
  EXPECT_EQ(args.status().message(), "unknown option --mdoe; did you mean --mode?");
}

TEST(DidYouMeanTest, SuggestsCloseNames) {
  constexpr std::string_view kNames[] = {"testingPeriod", "testingMaxAge", "autoPromote"};
  EXPECT_EQ(ClosestName("testingPerod", kNames), "testingPeriod");
  EXPECT_EQ(ClosestName("TESTINGMAXAGE", kNames), "testingMaxAge");
  EXPECT_EQ(ClosestName("autoPromtoe", kNames), "autoPromote");
  EXPECT_EQ(ClosestName("colour", kNames), std::nullopt);
  EXPECT_EQ(ClosestName("", kNames), std::nullopt);
}

}  // namespace
}  // namespace mtasts
