#include "base/clock.h"

#include <gtest/gtest.h>

namespace mtasts {
namespace {

using namespace std::chrono_literals;

TEST(FakeClockTest, AdvanceMovesBothClocks) {
  FakeClock clock(Clock::TimePoint(1000s));
  auto steady = clock.SteadyNow();
  clock.Advance(90s);
  EXPECT_EQ(clock.Now(), Clock::TimePoint(1090s));
  EXPECT_EQ(clock.SteadyNow() - steady, 90s);
}

TEST(FakeClockTest, SetBackwardsKeepsSteadyMonotonic) {
  FakeClock clock(Clock::TimePoint(1000s));
  auto steady = clock.SteadyNow();
  clock.Set(Clock::TimePoint(500s));
  EXPECT_EQ(clock.Now(), Clock::TimePoint(500s));
  EXPECT_EQ(clock.SteadyNow(), steady);
}

}  // namespace
}  // namespace mtasts
