#include "k8s/key_backoff.h"

#include <gtest/gtest.h>

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;

TEST(KeyBackoffTest, DoublesFromFiveMillisecondsToFiveMinutes) {
  KeyBackoff backoff(5ms, 5min);
  const std::chrono::nanoseconds expected[] = {5ms,     10ms,    20ms,    40ms,     80ms,   160ms,
                                               320ms,   640ms,   1280ms,  2560ms,   5120ms, 10240ms,
                                               20480ms, 40960ms, 81920ms, 163840ms, 5min,   5min};
  for (auto want : expected) EXPECT_EQ(backoff.NextDelay("ns/a"), want);
  EXPECT_EQ(backoff.Failures("ns/a"), 18);
}

TEST(KeyBackoffTest, StaysAtTheCapForeverWithoutOverflow) {
  KeyBackoff backoff(5ms, 5min);
  for (int i = 0; i < 10000; ++i) backoff.NextDelay("k");
  EXPECT_EQ(backoff.NextDelay("k"), 5min);
}

TEST(KeyBackoffTest, ForgottenKeysLeaveNothingBehind) {
  KeyBackoff backoff(5ms, 5min);
  for (int i = 0; i < 1000; ++i) backoff.NextDelay("ns/k" + std::to_string(i));
  EXPECT_EQ(backoff.TrackedKeys(), 1000u);
  for (int i = 0; i < 1000; ++i) backoff.Forget("ns/k" + std::to_string(i));
  EXPECT_EQ(backoff.Failures("ns/k1"), 0);
  EXPECT_EQ(backoff.TrackedKeys(), 0u) << "looking a key up must not add it either";
}

TEST(KeyBackoffTest, KeysAreIndependentAndForgetResets) {
  KeyBackoff backoff(5ms, 5min);
  backoff.NextDelay("a");
  backoff.NextDelay("a");
  EXPECT_EQ(backoff.NextDelay("b"), 5ms);
  EXPECT_EQ(backoff.NextDelay("a"), 20ms);
  backoff.Forget("a");
  EXPECT_EQ(backoff.Failures("a"), 0);
  EXPECT_EQ(backoff.NextDelay("a"), 5ms);
  EXPECT_EQ(backoff.Failures("b"), 1);
}

}  // namespace
}  // namespace mtasts::k8s
