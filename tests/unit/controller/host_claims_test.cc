// HostClaims: the file of a host follows the claimant written last, and goes with the last one.
#include "controller/host_claims.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

using Vacated = HostClaims::Vacated;

constexpr char kA[] = "mail/a";
constexpr char kB[] = "mail/b";
constexpr char kHost[] = "mta-sts.example.com";
constexpr char kOther[] = "mta-sts.example.net";

TEST(HostClaimsTest, OneClaimantComesAndGoes) {
  HostClaims claims;
  EXPECT_EQ(claims.Claim(kA, kHost), std::nullopt);
  claims.MarkServed(kA);
  EXPECT_TRUE(claims.IsClaimed(kHost));
  EXPECT_EQ(claims.HostOf(kA), kHost);
  EXPECT_EQ(claims.Claim(kA, kHost), std::nullopt);  // the same claim again: nothing
  EXPECT_EQ(claims.Drop(kA), (Vacated{kHost, ""}));  // the last one: remove the file
  EXPECT_FALSE(claims.IsClaimed(kHost));
  EXPECT_EQ(claims.Drop(kA), std::nullopt);
}

TEST(HostClaimsTest, MovingToAnotherHostVacatesTheFirst) {
  HostClaims claims;
  claims.Claim(kA, kHost);
  claims.MarkServed(kA);
  EXPECT_EQ(claims.Claim(kA, kOther), (Vacated{kHost, ""}));
  EXPECT_FALSE(claims.IsClaimed(kHost));
  EXPECT_TRUE(claims.IsClaimed(kOther));
}

TEST(HostClaimsTest, WhenTheServedClaimantGoesTheOtherTakesOver) {
  HostClaims claims;
  claims.Claim(kA, kHost);
  claims.MarkServed(kA);
  claims.Claim(kB, kHost);
  claims.MarkServed(kB);                             // b's bytes are in the file now
  EXPECT_EQ(claims.Drop(kB), (Vacated{kHost, kA}));  // a's bytes must go back in
  EXPECT_EQ(claims.Drop(kA), (Vacated{kHost, ""}));
}

TEST(HostClaimsTest, WhenAnUnservedClaimantGoesNothingChanges) {
  HostClaims claims;
  claims.Claim(kA, kHost);
  claims.MarkServed(kA);
  claims.Claim(kB, kHost);  // b's bytes could not be written (a bad certificate, say)
  EXPECT_EQ(claims.Drop(kB), std::nullopt);  // a's file stays as it is
  claims.Claim(kB, kHost);
  EXPECT_EQ(claims.Drop(kA), (Vacated{kHost, kB}));
  EXPECT_EQ(claims.Drop(kB), (Vacated{kHost, ""}));
}

TEST(HostClaimsTest, TheClaimantWrittenLastIsServed) {
  HostClaims claims;
  claims.Claim(kA, kHost);
  claims.MarkServed(kA);
  claims.Claim(kB, kHost);
  claims.MarkServed(kB);
  claims.MarkServed(kA);  // a changed after b: a's bytes are in the file
  EXPECT_EQ(claims.Drop(kB), std::nullopt);
  EXPECT_EQ(claims.Drop(kA), (Vacated{kHost, ""}));
}

}  // namespace
}  // namespace mtasts::controller
