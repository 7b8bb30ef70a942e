#include "k8s/retry_backoff.h"

#include <gtest/gtest.h>

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;
using SteadyTime = RetryBackoff::SteadyTime;

TEST(RetryBackoffTest, DoublesFromTheReflectorsStartToItsCap) {
  RetryBackoff backoff({}, [] { return 0.0; });
  SteadyTime now{1h};
  const std::chrono::nanoseconds expected[] = {800ms,   1600ms,  3200ms, 6400ms,
                                               12800ms, 25600ms, 30s,    30s};
  for (auto want : expected) {
    EXPECT_EQ(backoff.Next(now), want);
    now += 1s;  // failures close together: no reset
  }
}

TEST(RetryBackoffTest, JitterStretchesEachWaitByUpToItself) {
  double random = 0.5;
  RetryBackoff backoff({}, [&] { return random; });
  SteadyTime now{1h};
  EXPECT_EQ(backoff.Next(now), 1200ms);
  random = 0.999;
  EXPECT_GT(backoff.Next(now), 3190ms);
  random = 0;
  EXPECT_EQ(backoff.Next(now), 3200ms);
}

TEST(RetryBackoffTest, StartsAfreshOnlyAfterTwoMinutesWithoutAFailure) {
  RetryBackoff backoff({}, [] { return 0.0; });
  SteadyTime now{1h};
  backoff.Next(now);
  now += 2min;  // exactly the reset interval: still the same streak
  EXPECT_EQ(backoff.Next(now), 1600ms);
  now += 2min + 1ms;
  EXPECT_EQ(backoff.Next(now), 800ms);
}

TEST(RetryBackoffTest, DefaultRandomnessStaysWithinTheJitter) {
  for (int i = 0; i < 100; ++i) {
    RetryBackoff fresh;
    auto wait = fresh.Next(SteadyTime{1h});
    EXPECT_GE(wait, 800ms);
    EXPECT_LT(wait, 1600ms);
  }
}

}  // namespace
}  // namespace mtasts::k8s
