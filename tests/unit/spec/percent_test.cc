#include "spec/percent.h"

#include <gtest/gtest.h>

namespace mtasts::spec {
namespace {

TEST(PercentTest, ReadsBasisPoints) {
  const struct {
    const char* text;
    std::int64_t points;
  } rows[] = {{"1%", 100},    {"0%", 0},     {"100%", 10000},  {"0.5%", 50},      {"0.05%", 5},
              {"2.25%", 225}, {"007%", 700}, {"99.99%", 9999}, {"100.00%", 10000}};
  for (const auto& row : rows) {
    EXPECT_EQ(ParsePercent(row.text), row.points) << row.text;
  }
}

TEST(PercentTest, RefusesEverythingElse) {
  for (const char* text : {"", "%", "1", "1.%", ".5%", "0.125%", "100.01%", "101%", "1000%", "-1%",
                           "1,5%", "1 %", "1e2%", "0x1%", "1%%"}) {
    EXPECT_EQ(ParsePercent(text), std::nullopt) << text;
  }
}

TEST(PercentTest, WritesWhatItReads) {
  for (const char* text : {"1%", "0%", "100%", "0.5%", "0.05%", "2.25%", "99.99%"}) {
    EXPECT_EQ(PercentText(*ParsePercent(text)), text);
  }
}

}  // namespace
}  // namespace mtasts::spec
