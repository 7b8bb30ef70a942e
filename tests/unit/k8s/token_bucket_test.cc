#include "k8s/token_bucket.h"

#include <gtest/gtest.h>

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;
using SteadyTime = TokenBucket::SteadyTime;

TEST(TokenBucketTest, BurstIsFreeThenOneTokenPerTenthOfASecond) {
  TokenBucket bucket(10, 100);
  SteadyTime now{1000s};
  for (int i = 0; i < 100; ++i) ASSERT_EQ(bucket.Reserve(now), 0ns) << "reservation " << i;
  EXPECT_EQ(bucket.Reserve(now), 100ms);
  EXPECT_EQ(bucket.Reserve(now), 200ms);
  EXPECT_EQ(bucket.Reserve(now), 300ms);
}

TEST(TokenBucketTest, TokensComeBackWithTimeUpToTheBurst) {
  TokenBucket bucket(10, 3);
  SteadyTime now{0s};
  for (int i = 0; i < 3; ++i) bucket.Reserve(now);
  EXPECT_EQ(bucket.Reserve(now), 100ms);  // owes one token
  now += 300ms;                           // three come back: the debt and two more
  EXPECT_EQ(bucket.Reserve(now), 0ns);
  EXPECT_EQ(bucket.Reserve(now), 0ns);
  EXPECT_EQ(bucket.Reserve(now), 100ms);
  now += 1h;  // a long quiet time refills only up to the burst
  for (int i = 0; i < 3; ++i) EXPECT_EQ(bucket.Reserve(now), 0ns);
  EXPECT_EQ(bucket.Reserve(now), 100ms);
}

TEST(TokenBucketTest, TimeGoingBackwardsNeitherRefillsNorBreaks) {
  TokenBucket bucket(10, 1);
  EXPECT_EQ(bucket.Reserve(SteadyTime{10s}), 0ns);
  EXPECT_EQ(bucket.Reserve(SteadyTime{5s}), 100ms);
}

}  // namespace
}  // namespace mtasts::k8s
