#include "base/utc_time.h"

#include <gtest/gtest.h>

#include <string>

namespace mtasts {
namespace {

using namespace std::chrono;

sys_seconds Utc(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

TEST(UtcTimeTest, Formats) {
  struct Case {
    UtcTime time;
    std::string seconds, millis, micros, date, compact;
  } cases[] = {
      {system_clock::from_time_t(0), "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z",
       "1970-01-01T00:00:00.000000Z", "1970-01-01", "19700101T000000Z"},
      {Utc(2023, 11, 14, 22, 13, 20), "2023-11-14T22:13:20Z", "2023-11-14T22:13:20.000Z",
       "2023-11-14T22:13:20.000000Z", "2023-11-14", "20231114T221320Z"},
      // Fractions are cut, never rounded up into the next second.
      {Utc(2026, 11, 28, 20, 45, 12) + microseconds(123456) + nanoseconds(999),
       "2026-11-28T20:45:12Z", "2026-11-28T20:45:12.123Z", "2026-11-28T20:45:12.123456Z",
       "2026-11-28", "20261128T204512Z"},
      // Before 1970 the day and second still count forwards.
      {Utc(1969, 12, 31, 23, 59, 59) + milliseconds(500), "1969-12-31T23:59:59Z",
       "1969-12-31T23:59:59.500Z", "1969-12-31T23:59:59.500000Z", "1969-12-31", "19691231T235959Z"},
      {UtcTime::max(), "2262-04-11T23:47:16Z", "2262-04-11T23:47:16.854Z",
       "2262-04-11T23:47:16.854775Z", "2262-04-11", "22620411T234716Z"},
      {UtcTime::min(), "1677-09-21T00:12:43Z", "1677-09-21T00:12:43.145Z",
       "1677-09-21T00:12:43.145224Z", "1677-09-21", "16770921T001243Z"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatUtc(c.time), c.seconds);
    EXPECT_EQ(FormatUtc(c.time, SecondFraction::kMillis), c.millis);
    EXPECT_EQ(FormatUtc(c.time, SecondFraction::kMicros), c.micros);
    EXPECT_EQ(FormatDate(c.time), c.date);
    EXPECT_EQ(FormatUtcCompact(c.time), c.compact);
  }
}

TEST(UtcTimeTest, FormatThenParseIsTheSameSecond) {
  for (UtcTime t : {UtcTime(Utc(2026, 2, 28, 23, 59, 59)), UtcTime(Utc(1999, 12, 31, 0, 0, 0))}) {
    auto parsed = ParseDateTime(FormatUtc(t));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->utc, floor<seconds>(t));
  }
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
}  // namespace mtasts
