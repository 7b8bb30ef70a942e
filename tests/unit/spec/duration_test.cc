#include "spec/duration.h"

#include <gtest/gtest.h>

namespace mtasts::spec {
namespace {

using std::chrono::seconds;

TEST(DurationTest, ParsesGoDurations) {
  EXPECT_EQ(ParseDuration("168h"), seconds(168 * 3600));
  EXPECT_EQ(ParseDuration("1h30m"), seconds(5400));
  EXPECT_EQ(ParseDuration("90s"), seconds(90));
  EXPECT_EQ(ParseDuration("0s"), seconds(0));
  EXPECT_EQ(ParseDuration("8784h"), seconds(8784 * 3600));
}

TEST(DurationTest, RejectsEverythingElse) {
  for (const char* bad : {"", "h", "7d", "1.5h", "10ms", "-1h", "1h ", " 1h", "1", "8785h",
                          "99999999999999999999h", "1h2"}) {
    EXPECT_FALSE(ParseDuration(bad)) << bad;
  }
}

}  // namespace
}  // namespace mtasts::spec
