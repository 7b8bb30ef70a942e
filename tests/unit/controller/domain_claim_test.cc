#include "controller/domain_claim.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

TEST(DomainClaimTest, OldestHoldsTiesByKey) {
  EXPECT_EQ(DomainHolder({}), "");
  EXPECT_EQ(DomainHolder({{"b/new", "2026-11-30T00:00:01Z"}, {"a/old", "2026-11-30T00:00:00Z"}}),
            "a/old");
  EXPECT_EQ(DomainHolder({{"b/x", "2026-11-30T00:00:00Z"}, {"a/x", "2026-11-30T00:00:00Z"}}),
            "a/x");
}

TEST(DomainClaimTest, ClaimsFollowChanges) {
  DomainClaims claims;
  claims.Set("example.com", {"mail/first", "2026-11-30T00:00:00Z"});
  claims.Set("example.com", {"mail/second", "2026-11-30T00:00:05Z"});
  EXPECT_EQ(claims.Holder("example.com"), "mail/first");
  EXPECT_EQ(claims.Claimants("example.com").size(), 2u);
  // The holder moves to another domain: the second now holds example.com.
  claims.Set("example.org", {"mail/first", "2026-11-30T00:00:00Z"});
  EXPECT_EQ(claims.Holder("example.com"), "mail/second");
  EXPECT_EQ(claims.DomainOf("mail/first"), "example.org");
  EXPECT_EQ(claims.Domains(), (std::vector<std::string>{"example.com", "example.org"}));
  claims.Remove("mail/second");
  EXPECT_EQ(claims.Holder("example.com"), "");
  EXPECT_TRUE(claims.Claimants("example.com").empty());
}

}  // namespace
}  // namespace mtasts::controller
