#include "policy/policy_id.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>
#include <string>

#include "policy/policy_file.h"
#include "random_policy.h"

namespace mtasts::policy {
namespace {

using namespace std::chrono;

Clock::TimePoint At(int y, unsigned m, unsigned d, int hh, int mm, int ss) {
  return sys_days{year{y} / month{m} / day{d}} + hours{hh} + minutes{mm} + seconds{ss};
}

TEST(PolicyIdTest, DateTimeThenDigest) {
  std::string id =
      MakePolicyId("version: STSv1\r\n", At(2026, 11, 28, 20, 40, 5) + milliseconds{999});
  EXPECT_EQ(id.substr(0, 16), "20261128T204005Z");
  EXPECT_EQ(id.substr(16), ContentDigest("version: STSv1\r\n"));
  EXPECT_EQ(id.size(), 24u);
  EXPECT_TRUE(IsValidPolicyId(id));
}

TEST(PolicyIdTest, StaysAlphanumericForAnyClock) {
  EXPECT_EQ(MakePolicyId("x", Clock::TimePoint{}).substr(0, 16), "19700101T000000Z");
  for (Clock::TimePoint t : {Clock::TimePoint::min(), Clock::TimePoint::max()}) {
    std::string id = MakePolicyId("x", t);
    EXPECT_EQ(id.size(), 24u) << id;
    EXPECT_TRUE(IsValidPolicyId(id)) << id;
  }
}

TEST(PolicyIdTest, DigestIsSha256Prefix) {
  // SHA-256("") = e3b0c442 98fc1c14 ...; SHA-256("abc") = ba7816bf ...
  EXPECT_EQ(ContentDigest(""), "e3b0c442");
  EXPECT_EQ(ContentDigest("abc"), "ba7816bf");
}

TEST(PolicyIdTest, Syntax) {
  EXPECT_TRUE(IsValidPolicyId("a"));
  EXPECT_TRUE(IsValidPolicyId(std::string(32, 'Z')));
  EXPECT_FALSE(IsValidPolicyId(std::string(33, 'Z')));
  EXPECT_FALSE(IsValidPolicyId(""));
  EXPECT_FALSE(IsValidPolicyId("2024-05-01"));
  EXPECT_FALSE(IsValidPolicyId("20240501T12:00"));
  EXPECT_FALSE(IsValidPolicyId("id_1"));
}

TEST(PolicyIdTest, MatchesOnlyItsOwnContent) {
  std::string id = MakePolicyId("A", At(2026, 1, 2, 3, 4, 5));
  EXPECT_TRUE(IdMatchesContent(id, "A"));
  EXPECT_FALSE(IdMatchesContent(id, "B"));
  EXPECT_FALSE(IdMatchesContent("20160831085700Z", "A"));  // a hand-made id never matches
  EXPECT_FALSE(IdMatchesContent(id.substr(0, 23), "A"));
}

// The controller's rule (keep the stored id while IdMatchesContent holds, else make a new one)
// changes the id exactly when the canonical bytes change, over a long random history.
TEST(PolicyIdTest, IdChangesIfAndOnlyIfBytesChange) {
  std::mt19937 rng(8461);
  std::vector<std::string> variants;
  for (int i = 0; i < 6; ++i) variants.push_back(*RenderPolicy(RandomPolicy(rng)));
  Clock::TimePoint now = At(2026, 11, 28, 0, 0, 0);
  std::string bytes = variants[0];
  std::string id = MakePolicyId(bytes, now);
  std::set<std::string> ids_seen = {id};
  for (int step = 0; step < 300; ++step) {
    now += seconds{std::uniform_int_distribution<int>(1, 90000)(rng)};
    std::string next = variants[std::uniform_int_distribution<size_t>(0, 5)(rng)];
    std::string next_id = IdMatchesContent(id, next) ? id : MakePolicyId(next, now);
    EXPECT_EQ(next_id != id, next != bytes) << "step " << step;
    if (next_id != id) EXPECT_TRUE(ids_seen.insert(next_id).second) << "an id came back";
    bytes = next;
    id = next_id;
  }
}

}  // namespace
}  // namespace mtasts::policy
