#include "controller/conditions.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

Progress Healthy() {
  Progress p;
  p.certificate = {true, "Issued", "Certificate x is Ready"};
  p.served = {true, "Served", "every serve endpoint (2) serves policy abc"};
  p.published = {true, "Published", "_mta-sts.example.com answers \"v=STSv1; id=1\""};
  p.effective_mode = "testing";
  p.target_mode = "testing";
  return p;
}

const Condition* Find(const std::vector<Condition>& conditions, const std::string& type) {
  for (const Condition& c : conditions) {
    if (c.type == type) return &c;
  }
  return nullptr;
}

// Ready / Reconciling / Stalled for one healthy case and one change per row.
TEST(ConditionsTest, OneChangePerRow) {
  struct Row {
    const char* name;
    std::function<void(Progress&)> change;
    const char* ready;
    const char* reconciling;
    const char* stalled;
    const char* reason;
  };
  const Row rows[] = {
      {"healthy", [](Progress&) {}, "True", "False", "False", "Published"},
      {"certificate issuing",
       [](Progress& p) {
         p.certificate = {false, "Issuing", "w"};
       },
       "False", "True", "False", "Issuing"},
      {"an endpoint not serving",
       [](Progress& p) {
         p.served = {false, "EndpointNotServing", "e"};
       },
       "False", "True", "False", "EndpointNotServing"},
      {"DNS not there yet",
       [](Progress& p) {
         p.published = {false, "NotPublished", "n"};
       },
       "False", "True", "False", "NotPublished"},
      {"a CRD missing",
       [](Progress& p) {
         p.published = {false, "DNSEndpointCRDMissing", "m", true};
       },
       "False", "False", "True", "DNSEndpointCRDMissing"},
      {"blocked by a person's mistake",
       [](Progress& p) {
         p.blocked = Verdict{false, "InvalidSpec", "bad", true};
       },
       "False", "False", "True", "InvalidSpec"},
      {"enforce asked, testing served", [](Progress& p) { p.target_mode = "enforce"; }, "False",
       "True", "False", "RolloutPending"},
      {"the rollout let enforce through, testing still announced",
       [](Progress& p) {
         p.target_mode = "enforce";
         p.rollout = Verdict{true, "TargetReached", "mode enforce is the target"};
       },
       "False", "True", "False", "ModeChanging"},
      {"the rollout waits for a person",
       [](Progress& p) {
         p.target_mode = "enforce";
         p.rollout = Verdict{false, "AwaitingApproval", "approve", true};
       },
       "False", "False", "True", "AwaitingApproval"},
      {"the rollout soaking",
       [](Progress& p) {
         p.target_mode = "enforce";
         p.rollout = Verdict{false, "Testing", "until", false};
       },
       "False", "True", "False", "Testing"},
      {"the rollout's verdict is heard only once every stage is done",
       [](Progress& p) {
         p.served = {false, "EndpointNotServing", "e"};
         p.rollout = Verdict{false, "AwaitingApproval", "approve", true};
       },
       "False", "True", "False", "EndpointNotServing"},
      {"the first stage not done wins",
       [](Progress& p) {
         p.certificate = {false, "Issuing", "w"};
         p.published = {false, "NotPublished", "n"};
       },
       "False", "True", "False", "Issuing"},
  };
  for (const Row& row : rows) {
    Progress p = Healthy();
    row.change(p);
    const std::vector<Condition> c = DeriveConditions(p);
    EXPECT_EQ(Find(c, kReady)->status, row.ready) << row.name;
    EXPECT_EQ(Find(c, kReconciling)->status, row.reconciling) << row.name;
    EXPECT_EQ(Find(c, kStalled)->status, row.stalled) << row.name;
    EXPECT_EQ(Find(c, kReady)->reason, row.reason) << row.name;
  }
}

TEST(ConditionsTest, StagesReportedUnlessBlocked) {
  Progress p = Healthy();
  p.served = {false, "EndpointNotServing", "10.0.0.2:8443: connection refused"};
  const std::vector<Condition> c = DeriveConditions(p);
  EXPECT_EQ(*Find(c, kPolicyServed), (Condition{kPolicyServed, "False", "EndpointNotServing",
                                                "10.0.0.2:8443: connection refused"}));
  EXPECT_EQ(Find(c, kCertificateReady)->status, "True");
  p.blocked = Verdict{false, "DomainConflict", "held by mail/other", true};
  const std::vector<Condition> blocked = DeriveConditions(p);
  EXPECT_EQ(Find(blocked, kPolicyServed), nullptr);  // left as it was
  EXPECT_EQ(Find(blocked, kStalled)->message, "held by mail/other");
}

}  // namespace
}  // namespace mtasts::controller
