#include "controller/policy_mode_counts.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

k8s::Object PolicyIn(const k8s::Object& mode) {
  return {{"metadata", {{"namespace", "mail"}, {"name", "example-com"}}},
          {"status", {{"effectiveMode", mode}}}};
}

struct Counts {
  int none, testing, enforce;
  bool operator==(const Counts&) const = default;
};

Counts Read(const PolicyModeCounts& counts) {
  return {counts.Count(policy::Mode::kNone), counts.Count(policy::Mode::kTesting),
          counts.Count(policy::Mode::kEnforce)};
}

TEST(PolicyModeCountsTest, FollowsAddsUpdatesAndDeletes) {
  PolicyModeCounts counts;
  counts.Added(PolicyIn("testing"));
  counts.Added(PolicyIn("testing"));
  counts.Added(PolicyIn("none"));
  EXPECT_EQ(Read(counts), (Counts{1, 2, 0}));
  counts.Updated(PolicyIn("testing"), PolicyIn("enforce"));  // promoted
  EXPECT_EQ(Read(counts), (Counts{1, 1, 1}));
  counts.Updated(PolicyIn("enforce"), PolicyIn("enforce"));  // another change, same mode
  EXPECT_EQ(Read(counts), (Counts{1, 1, 1}));
  counts.Deleted(PolicyIn("none"));
  EXPECT_EQ(Read(counts), (Counts{0, 1, 1}));
}

TEST(PolicyModeCountsTest, APolicyWithoutAModeIsInNoCount) {
  const k8s::Object no_status = {{"metadata", {{"namespace", "mail"}, {"name", "new"}}}};
  struct Row {
    const char* what;
    k8s::Object policy;
  };
  const Row rows[] = {
      {"no status", no_status},
      {"status without effectiveMode", {{"status", {{"policyId", "x"}}}}},
      {"status not an object", {{"status", "testing"}}},
      {"effectiveMode not a string", PolicyIn(3)},
      {"an unknown mode", PolicyIn("strict")},
  };
  for (const Row& row : rows) {
    PolicyModeCounts counts;
    counts.Added(row.policy);
    EXPECT_EQ(Read(counts), (Counts{0, 0, 0})) << row.what;
    // Its first status write brings it into a count; leaving it again takes it out.
    counts.Updated(row.policy, PolicyIn("testing"));
    EXPECT_EQ(Read(counts), (Counts{0, 1, 0})) << row.what;
    counts.Updated(PolicyIn("testing"), row.policy);
    EXPECT_EQ(Read(counts), (Counts{0, 0, 0})) << row.what;
  }
}

}  // namespace
}  // namespace mtasts::controller
