#include "controller/policy_status.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

using k8s::Object;
using std::chrono::hours;

const Clock::TimePoint kT0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30};
const std::vector<Condition> kReadyTrue = {{kReady, "True", "Published", "m"}};

TEST(PolicyStatusTest, NothingNewMeansTheSameStatus) {
  const Announcement a{"id1", "hash1", "testing", 86400};
  const Object first = NextStatus(Object::object(), 3, a, kReadyTrue, kT0);
  EXPECT_EQ(first["policyId"], "id1");
  EXPECT_EQ(first["effectiveMode"], "testing");
  EXPECT_EQ(first["publishedAt"], "2026-11-30T00:00:00Z");
  EXPECT_FALSE(first.contains("testingSince")) << "the rollout machine's field";
  EXPECT_EQ(first["largestMaxAge"], 86400);
  EXPECT_EQ(first["observedGeneration"], 3);
  // An hour later nothing changed: equal, so no write.
  EXPECT_EQ(NextStatus(first, 3, a, kReadyTrue, kT0 + hours(1)), first);
  EXPECT_EQ(NextStatus(first, 3, std::nullopt, kReadyTrue, kT0 + hours(1)), first);
}

TEST(PolicyStatusTest, TimesMoveOnlyWithWhatTheyDescribe) {
  const Object first =
      NextStatus(Object::object(), 1, Announcement{"id1", "h1", "testing", 86400}, kReadyTrue, kT0);
  const Object second = NextStatus(first, 2, Announcement{"id2", "h2", "testing", 600},
                                   {{kReady, "False", "Issuing", "w"}}, kT0 + hours(1));
  EXPECT_EQ(second["publishedAt"], "2026-11-30T01:00:00Z");
  EXPECT_EQ(second["lastServedAt"], "2026-11-30T01:00:00Z");
  EXPECT_EQ(second["largestMaxAge"], 86400);  // never lowered
  EXPECT_EQ(second["conditions"][0]["lastTransitionTime"], "2026-11-30T01:00:00Z");
  EXPECT_EQ(second["conditions"][0]["observedGeneration"], 2);
  // Same condition status, new message: the transition time stays.
  const Object third =
      NextStatus(second, 2, std::nullopt, {{kReady, "False", "Issuing", "w2"}}, kT0 + hours(2));
  EXPECT_EQ(third["conditions"][0]["lastTransitionTime"], "2026-11-30T01:00:00Z");
  EXPECT_EQ(third["conditions"][0]["message"], "w2");
}

TEST(PolicyStatusTest, OtherConditionsStay) {
  const Object observed = {{"conditions", {{{"type", "PolicyServed"}, {"status", "True"}}}}};
  const Object next = NextStatus(observed, 1, std::nullopt, kReadyTrue, kT0);
  ASSERT_EQ(next["conditions"].size(), 2u);
  EXPECT_EQ(next["conditions"][0]["type"], "PolicyServed");
}

}  // namespace
}  // namespace mtasts::controller
