#include "tlsrpt/datetime.h"

#include <gtest/gtest.h>

namespace mtasts::tlsrpt {
namespace {

using namespace std::chrono;

sys_seconds Utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

TEST(DateTimeTest, ParsesOffsets) {
  auto z = ParseDateTime("2016-04-01T00:00:00Z");
  ASSERT_TRUE(z.has_value());
  EXPECT_EQ(z->utc, Utc(2016, 4, 1, 0, 0, 0));
  EXPECT_TRUE(z->had_offset);
  EXPECT_EQ(ParseDateTime("2016-04-01T02:30:00+02:30")->utc, Utc(2016, 4, 1, 0, 0, 0));
  EXPECT_EQ(ParseDateTime("2016-03-31T23:00:00.999-01:00")->utc, Utc(2016, 4, 1, 0, 0, 0));
  EXPECT_EQ(ParseDateTime("2016-04-01t00:00:00z")->utc, Utc(2016, 4, 1, 0, 0, 0));
  EXPECT_EQ(ParseDateTime("2016-12-31T23:59:60Z")->utc, Utc(2017, 1, 1, 0, 0, 0));
}

TEST(DateTimeTest, NoOffsetIsReported) {
  auto local = ParseDateTime("2024-08-02T00:00:00");
  ASSERT_TRUE(local.has_value());
  EXPECT_FALSE(local->had_offset);
  EXPECT_EQ(local->utc, Utc(2024, 8, 2, 0, 0, 0));
}

TEST(DateTimeTest, RejectsMalformed) {
  for (const char* bad :
       {"", "2024-08-02", "2024-08-02 00:00:00Z", "2024-8-02T00:00:00Z", "2024-02-30T00:00:00Z",
        "2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-08-02T24:00:00Z",
        "2024-08-02T00:60:00Z", "2024-08-02T00:00:61Z", "2024-08-02T00:00:00.Z",
        "2024-08-02T00:00:00+0200", "2024-08-02T00:00:00+24:00", "2024-08-02T00:00:00Zjunk",
        "2024-08-02T00:00:00 ", "+2024-08-02T00:00:00Z"}) {
    EXPECT_FALSE(ParseDateTime(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace mtasts::tlsrpt
