// The reconciler's sequence on an in-memory API server: what it writes, in which order, and that
// it writes nothing when nothing changed. The real-parts version is tests/integration/operator.
#include "controller/reconciler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <functional>

#include "controller/names.h"
#include "controller/resources.h"
#include "fakes/fake_api_server.h"
#include "fakes/fake_client.h"
#include "fakes/fake_event_recorder.h"
#include "fakes/fake_resolver.h"
#include "policy/policy_id.h"

namespace mtasts::controller {
namespace {

using k8s::Object;

const Clock::TimePoint kT0 = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30};

class ReconcilerTest : public ::testing::Test {
 protected:
  ReconcilerTest() : client_(server_), clock_(kT0) {
    Create(MtaStsPolicies(), Policy("example-com", "example.com", "mx.example.com"));
  }

  static Object Policy(const std::string& name, const std::string& domain, const std::string& mx) {
    return {{"apiVersion", "mtasts.io/v1alpha1"},
            {"kind", "MtaStsPolicy"},
            {"metadata", {{"name", name}, {"namespace", "mail"}, {"uid", "uid-" + name}}},
            {"spec",
             {{"domain", domain},
              {"mode", "enforce"},
              {"mx", {mx}},
              {"certificate", {{"issuerRef", {{"name", "ca"}, {"kind", "ClusterIssuer"}}}}}}}};
  }

  void Create(const k8s::ResourceRef& ref, const Object& o) {
    ASSERT_TRUE(server_.Create(ref, o).ok());
    if (ref.resource == "mtastspolicies") {
      claims_.Set(o["spec"]["domain"], {KeyOf(o), o["metadata"].value("creationTimestamp", "")});
    }
  }

  static std::string KeyOf(const Object& o) {
    return o["metadata"].value("namespace", "") + "/" + o["metadata"].value("name", "");
  }

  CacheLookup Cache(k8s::ResourceRef ref) {
    return [this, ref](const std::string& key) -> std::optional<Object> {
      const size_t slash = key.find('/');
      auto got = server_.Get(ref, key.substr(0, slash), key.substr(slash + 1));
      return got.ok() ? std::optional<Object>(*got) : std::nullopt;
    };
  }

  Reconciler Make(std::chrono::seconds revalidate_interval = std::chrono::hours(1)) {
    return Reconciler(ReconcilerDeps{.client = client_,
                                     .caches = {Cache(MtaStsPolicies()), Cache(k8s::ConfigMaps()),
                                                Cache(Certificates()), Cache(DnsEndpoints())},
                                     .claims = claims_,
                                     .serve_check =
                                         [this](const std::string&, const std::string& bytes) {
                                           served_bytes_ = bytes;
                                           return serving_;
                                         },
                                     .live_check =
                                         [this](const std::string&, std::chrono::seconds) {
                                           ++live_checks_;
                                           clock_.Advance(check_takes_);
                                           validate::Report report;
                                           report.obs.now = clock_.Now();
                                           report.findings = live_findings_;
                                           return report;
                                         },
                                     .resolver = resolver_,
                                     .events = events_,
                                     .clock = clock_,
                                     .settings = {},
                                     .observer = {},
                                     .revalidate_interval = revalidate_interval});
  }

  Object Get(const k8s::ResourceRef& ref, const std::string& name) {
    auto got = server_.Get(ref, "mail", name);
    return got.ok() ? *got : Object();
  }

  void CertificateReady() {
    const Object cert = {{"apiVersion", "cert-manager.io/v1"},
                         {"kind", "Certificate"},
                         {"metadata", {{"name", "example-com-mta-sts"}, {"namespace", "mail"}}},
                         {"status", {{"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
    ASSERT_TRUE(server_.ApplyStatus(Certificates(), cert, {"cert-manager", true}).ok());
  }

  std::string Condition(const std::string& type) {
    const Object policy = Get(MtaStsPolicies(), "example-com");
    for (const Object& c : policy["status"]["conditions"]) {
      if (c["type"] == type) return c.value("status", "") + " " + c.value("reason", "");
    }
    return "";
  }

  // DNS answers the id the DNSEndpoint carries now (external-dns and the provider caught up).
  void DnsCatchesUp() {
    const std::optional<std::string> id =
        AnnouncedId(Get(DnsEndpoints(), "example-com-mta-sts"), "example.com");
    dns::TxtAnswer answer;
    answer.name = "_mta-sts.example.com";
    answer.outcome = id ? dns::Outcome::kFound : dns::Outcome::kNxDomain;
    if (id) answer.records = {{{"v=STSv1; id=" + *id}, 300}};
    resolver_.txt["_mta-sts.example.com"] = answer;
  }

  // Reconciles until the key settles (no immediate requeue), with DNS catching up in between.
  k8s::ProcessResult Settle(Reconciler& reconciler) {
    k8s::ProcessResult result;
    for (int i = 0; i < 6; ++i) {
      result = reconciler.Reconcile("mail/example-com", {});
      DnsCatchesUp();
      if (issue_certificates_ && Get(Certificates(), "example-com-mta-sts").is_object()) {
        CertificateReady();
      }
      if (result.requeue_after && *result.requeue_after > std::chrono::nanoseconds(0) &&
          *result.requeue_after < std::chrono::seconds(2)) {
        continue;  // waiting for DNS: look again
      }
      if (!result.requeue_after || *result.requeue_after > std::chrono::nanoseconds(0)) {
        const Object status = Get(MtaStsPolicies(), "example-com")["status"];
        if (Condition("DNSPublished") == "True Published") break;
      }
    }
    return result;
  }

  // The user edits policy example-com.
  void Edit(const std::function<void(Object&)>& change) {
    Object policy = Get(MtaStsPolicies(), "example-com");
    change(policy);
    ASSERT_TRUE(server_.Update(MtaStsPolicies(), policy).ok());
  }

  Object Status() { return Get(MtaStsPolicies(), "example-com")["status"]; }

  std::string ServedMode() {
    const std::string bytes =
        Get(k8s::ConfigMaps(), "example-com-mta-sts-policy")["data"].value("mta-sts.txt", "");
    const size_t at = bytes.find("mode: ");
    return at == std::string::npos ? "" : bytes.substr(at + 6, bytes.find('\r', at) - at - 6);
  }

  int Writes() {
    return client_.Calls("apply") + client_.Calls("create") + client_.Calls("update");
  }

  k8s::FakeApiServer server_;
  k8s::FakeClient client_;
  FakeClock clock_;
  DomainClaims claims_;
  dns::FakeResolver resolver_;
  k8s::FakeEventRecorder events_;
  std::vector<EndpointResult> serving_;
  std::string served_bytes_;
  validate::Findings live_findings_;  // what the live check finds: none, every gate passes
  int live_checks_ = 0;
  std::chrono::seconds check_takes_{0};  // how far one live check moves the clock
  bool issue_certificates_ = false;      // Settle plays cert-manager
};

TEST_F(ReconcilerTest, ServesFirstThenAnnouncesThenSaysPublished) {
  Reconciler reconciler = Make();
  const std::string key = "mail/example-com";
  serving_ = {{"10.0.0.1:8443", false, "connection refused", std::nullopt}};
  reconciler.Reconcile(key, {});

  const Object cm = Get(k8s::ConfigMaps(), "example-com-mta-sts-policy");
  const std::string bytes = cm["data"]["mta-sts.txt"];
  EXPECT_EQ(bytes, "version: STSv1\r\nmode: testing\r\nmx: mx.example.com\r\nmax_age: 86400\r\n");
  EXPECT_TRUE(Get(Certificates(), "example-com-mta-sts").is_object());
  // Not served yet: nothing announced.
  EXPECT_TRUE(Get(DnsEndpoints(), "example-com-mta-sts")["spec"]["endpoints"].empty());
  EXPECT_EQ(Condition("PolicyServed"), "False EndpointNotServing");
  EXPECT_EQ(Condition("DNSPublished"), "False AnnouncementHeld");
  EXPECT_EQ(Condition("Ready"), "False Issuing");

  // Served everywhere: the id goes into the DNSEndpoint.
  CertificateReady();
  serving_ = {{"10.0.0.1:8443", true, "", std::nullopt}};
  reconciler.Reconcile(key, {});
  const std::string id = Get(MtaStsPolicies(), "example-com")["status"]["policyId"];
  EXPECT_TRUE(policy::IdMatchesContent(id, bytes));
  EXPECT_EQ(Get(DnsEndpoints(), "example-com-mta-sts")["spec"]["endpoints"][0]["targets"][0],
            "\"v=STSv1; id=" + id + "\"");
  EXPECT_EQ(Condition("DNSPublished"), "False NotPublished");  // DNS has not caught up

  // DNS answers it: published, and Ready waits only for the rollout.
  dns::TxtAnswer answer;
  answer.outcome = dns::Outcome::kFound;
  answer.name = "_mta-sts.example.com";
  answer.records = {{{"v=STSv1; id=" + id}, 300}};
  resolver_.txt["_mta-sts.example.com"] = answer;
  reconciler.Reconcile(key, {});
  EXPECT_EQ(Condition("DNSPublished"), "True Published");
  EXPECT_EQ(Condition("Ready"), "False Testing");  // spec.mode enforce: testing comes first
  EXPECT_EQ(Get(MtaStsPolicies(), "example-com")["status"]["effectiveMode"], "testing");
  EXPECT_THAT(events_.Lines(), ::testing::Contains(::testing::HasSubstr("PolicyAnnounced")));

  // Nothing changed: no write at all, and the same id a day later.
  const int writes = Writes();
  clock_.Advance(std::chrono::hours(24));
  reconciler.Reconcile(key, {});
  EXPECT_EQ(Writes(), writes);
  EXPECT_EQ(Get(MtaStsPolicies(), "example-com")["status"]["policyId"], id);
}

// Policies rolled out with a one-hour testing period, served everywhere, certificate ready.
class RolloutTest : public ReconcilerTest {
 protected:
  RolloutTest() {
    Edit([](Object& p) {
      p["spec"]["rollout"] = {{"testingPeriod", "1h"}};
      p["spec"]["maxAge"] = 86400;
    });
    issue_certificates_ = true;
    serving_ = {{"a:1", true, "", std::nullopt}};
  }

  std::vector<std::string> EventReasons() {
    std::vector<std::string> out;
    for (const std::string& line : events_.Lines()) {
      for (const char* reason : {"TestingStarted", "Promoted", "Demoted", "RolledBack",
                                 "GatesFailed", "RemovalHeld", "Released", "RemovedImmediately"}) {
        if (line.find(std::string(" ") + reason + ":") != std::string::npos) out.push_back(reason);
      }
    }
    return out;
  }

  Reconciler reconciler_ = Make();
};

TEST_F(RolloutTest, TestingThenEnforceOnceThePeriodIsOverAndEveryGatePasses) {
  Settle(reconciler_);
  EXPECT_EQ(ServedMode(), "testing");
  EXPECT_EQ(Status()["effectiveMode"], "testing");
  EXPECT_EQ(Status()["promotion"]["eligibleAt"], "2026-11-30T01:00:00Z");
  EXPECT_EQ(Condition("Reconciling"), "True Testing");
  const std::string testing_id = Status()["policyId"];

  // Half way: still testing, and nothing is written.
  clock_.Advance(std::chrono::minutes(30));
  const int writes = Writes();
  reconciler_.Reconcile("mail/example-com", {});
  EXPECT_EQ(Writes(), writes);
  EXPECT_EQ(ServedMode(), "testing");

  // The period is over: the gates run again, pass, and enforce is served, then announced.
  clock_.Advance(std::chrono::minutes(30));
  const int checks = live_checks_;
  Settle(reconciler_);
  EXPECT_GT(live_checks_, checks);
  EXPECT_EQ(ServedMode(), "enforce");
  EXPECT_EQ(Status()["effectiveMode"], "enforce");
  EXPECT_NE(Status()["policyId"], testing_id);
  EXPECT_EQ(Condition("Enforced"), "True Enforcing");
  EXPECT_EQ(Condition("Ready"), "True Published");
  EXPECT_EQ(Condition("Validated"), "True GatesPassed");
  EXPECT_THAT(EventReasons(), ::testing::ElementsAre("TestingStarted", "Promoted"));
}

TEST_F(RolloutTest, AGateRunThatTookTimeCountsAsFreshEvenWithAShortInterval) {
  // A 3-second interval and checks that take 2 seconds: the run ends after the pass began.
  Reconciler reconciler = Make(std::chrono::seconds(3));
  check_takes_ = std::chrono::seconds(2);
  Settle(reconciler);
  clock_.Advance(std::chrono::hours(1));
  Settle(reconciler);
  EXPECT_EQ(Status()["effectiveMode"], "enforce");
  EXPECT_EQ(Condition("Enforced"), "True Enforcing");
}

TEST_F(RolloutTest, AFailingGateHoldsTestingAndNamesTheBlocker) {
  live_findings_ = {{validate::FindingCode::kCertificateExpired, Severity::kError, "mx.example.com",
                     "mx.example.com presents an expired certificate"}};
  Settle(reconciler_);
  clock_.Advance(std::chrono::hours(2));
  Settle(reconciler_);
  EXPECT_EQ(ServedMode(), "testing");
  EXPECT_EQ(Status()["effectiveMode"], "testing");
  EXPECT_EQ(Status()["promotion"]["blockedBy"][0]["code"], "certificate-expired");
  EXPECT_EQ(Status()["promotion"]["blockedBy"][0]["target"], "mx.example.com");
  EXPECT_EQ(Condition("Stalled"), "True GatesFailing");
  EXPECT_EQ(Condition("Validated"), "False GatesFailed");

  // Fixed: enforce follows at the next look.
  live_findings_.clear();
  clock_.Advance(std::chrono::hours(1));
  Settle(reconciler_);
  EXPECT_EQ(Status()["effectiveMode"], "enforce");
}

TEST_F(RolloutTest, DriftUnderEnforceServesTestingWithANewIdWithinAnInterval) {
  Settle(reconciler_);
  clock_.Advance(std::chrono::hours(1));
  Settle(reconciler_);
  ASSERT_EQ(Status()["effectiveMode"], "enforce");
  const std::string enforce_id = Status()["policyId"];

  live_findings_ = {{validate::FindingCode::kCertificateHostMismatch, Severity::kError,
                     "mx.example.com", "mx.example.com presents a certificate for other.example"}};
  clock_.Advance(std::chrono::hours(1));
  const k8s::ProcessResult result = Settle(reconciler_);
  EXPECT_EQ(ServedMode(), "testing");
  EXPECT_EQ(Status()["effectiveMode"], "testing");
  EXPECT_NE(Status()["policyId"], enforce_id);
  EXPECT_EQ(Condition("Stalled"), "True GatesFailing");  // testing again, until the MX is fixed
  EXPECT_THAT(EventReasons(), ::testing::Contains("Demoted"));
  ASSERT_TRUE(result.requeue_after);
  EXPECT_LE(*result.requeue_after, std::chrono::hours(1)) << "the next check within an interval";
}

TEST_F(RolloutTest, AlertKeepsEnforceAndSaysDegraded) {
  Edit([](Object& p) { p["spec"]["rollout"]["onMxDrift"] = "Alert"; });
  Settle(reconciler_);
  clock_.Advance(std::chrono::hours(1));
  Settle(reconciler_);
  ASSERT_EQ(Status()["effectiveMode"], "enforce");
  live_findings_ = {{validate::FindingCode::kMxUnreachable, Severity::kError, "mx.example.com",
                     "mx.example.com does not answer"}};
  clock_.Advance(std::chrono::hours(1));
  Settle(reconciler_);
  EXPECT_EQ(ServedMode(), "enforce");
  EXPECT_EQ(Condition("Degraded"), "True MxDrift");
}

TEST_F(RolloutTest, AutoPromoteFalseWaitsForTheApprovalOfThatId) {
  Edit([](Object& p) { p["spec"]["rollout"]["autoPromote"] = false; });
  Settle(reconciler_);
  clock_.Advance(std::chrono::hours(1));
  Settle(reconciler_);
  EXPECT_EQ(ServedMode(), "testing");
  EXPECT_EQ(Condition("Stalled"), "True AwaitingApproval");
  const std::string id = Status()["policyId"];
  Edit([&](Object& p) { p["metadata"]["annotations"] = {{std::string(kPromoteAnnotation), id}}; });
  Settle(reconciler_);
  EXPECT_EQ(Status()["effectiveMode"], "enforce");
}

TEST_F(RolloutTest, DeletionServesNoneHoldsItForMaxAgeThenRemovesDnsFirst) {
  Settle(reconciler_);
  EXPECT_THAT(Get(MtaStsPolicies(), "example-com")["metadata"]["finalizers"],
              ::testing::ElementsAre(std::string(kRemovalFinalizer)));
  Edit([](Object& p) { p["metadata"]["deletionTimestamp"] = "2026-11-30T00:00:00Z"; });
  Settle(reconciler_);
  EXPECT_EQ(ServedMode(), "none");
  EXPECT_EQ(Status()["effectiveMode"], "none");
  const k8s::ProcessResult held = Settle(reconciler_);
  EXPECT_EQ(Condition("Reconciling"), "True RemovalHold");
  ASSERT_TRUE(held.requeue_after);
  EXPECT_GT(*held.requeue_after, std::chrono::hours(23)) << "held for max_age (one day)";

  // The hold is over: the DNSEndpoint goes, and nothing else until DNS stops answering.
  clock_.Advance(std::chrono::hours(24));
  reconciler_.Reconcile("mail/example-com", {});
  EXPECT_FALSE(Get(DnsEndpoints(), "example-com-mta-sts").is_object());
  EXPECT_TRUE(Get(k8s::ConfigMaps(), "example-com-mta-sts-policy").is_object());
  EXPECT_EQ(Condition("Ready"), "False RemovingRecords");

  DnsCatchesUp();  // the record is gone from DNS
  reconciler_.Reconcile("mail/example-com", {});
  EXPECT_FALSE(Get(k8s::ConfigMaps(), "example-com-mta-sts-policy").is_object());
  EXPECT_FALSE(Get(Certificates(), "example-com-mta-sts").is_object());
  EXPECT_FALSE(Get(MtaStsPolicies(), "example-com")["metadata"].contains("finalizers"));
  EXPECT_THAT(EventReasons(), ::testing::Contains("Released"));
}

TEST_F(RolloutTest, ImmediateRemovalSkipsTheHoldAndSaysWhatSendersMayCache) {
  Settle(reconciler_);
  Edit([](Object& p) {
    p["spec"]["removal"] = "Immediate";
    p["metadata"]["deletionTimestamp"] = "2026-11-30T00:00:00Z";
  });
  reconciler_.Reconcile("mail/example-com", {});
  EXPECT_FALSE(Get(DnsEndpoints(), "example-com-mta-sts").is_object());
  DnsCatchesUp();
  reconciler_.Reconcile("mail/example-com", {});
  EXPECT_FALSE(Get(k8s::ConfigMaps(), "example-com-mta-sts-policy").is_object());
  EXPECT_THAT(EventReasons(), ::testing::Contains("RemovedImmediately"));
}

TEST_F(ReconcilerTest, NewBytesKeepTheOldIdUntilServed) {
  Reconciler reconciler = Make();
  const std::string key = "mail/example-com";
  serving_ = {{"a:1", true, "", std::nullopt}};
  reconciler.Reconcile(key, {});
  CertificateReady();
  reconciler.Reconcile(key, {});
  const std::string old_id = Get(MtaStsPolicies(), "example-com")["status"]["policyId"];

  Edit([](Object& p) { p["spec"]["mx"] = {"mx2.example.com"}; });
  clock_.Advance(std::chrono::hours(1));
  serving_ = {{"a:1", true, "", std::nullopt}, {"b:1", false, "serves other bytes", std::nullopt}};
  reconciler.Reconcile(key, {});
  EXPECT_NE(served_bytes_.find("mx2.example.com"), std::string::npos);
  EXPECT_EQ(AnnouncedId(Get(DnsEndpoints(), "example-com-mta-sts"), "example.com"), old_id);
  EXPECT_EQ(Condition("PolicyServed"), "False EndpointNotServing");

  serving_ = {{"a:1", true, "", std::nullopt}, {"b:1", true, "", std::nullopt}};
  reconciler.Reconcile(key, {});
  const std::string new_id = Get(MtaStsPolicies(), "example-com")["status"]["policyId"];
  EXPECT_NE(new_id, old_id);
  EXPECT_TRUE(policy::IdMatchesContent(new_id, served_bytes_));
  EXPECT_EQ(AnnouncedId(Get(DnsEndpoints(), "example-com-mta-sts"), "example.com"), new_id);
}

TEST_F(ReconcilerTest, AWaitGrowsWithTheTimeWaitedNotWithThePasses) {
  Reconciler reconciler = Make();
  const std::string key = "mail/example-com";
  serving_ = {{"a:1", true, "", std::nullopt}};
  reconciler.Reconcile(key, {});
  CertificateReady();
  auto wait = [&] {
    const k8s::ProcessResult result = reconciler.Reconcile(key, {});
    return result.requeue_after.value_or(std::chrono::hours(99));
  };
  // Announced, DNS not caught up. Events bring the key back at once, many times: each pass
  // still looks again within a second.
  for (int pass = 0; pass < 8; ++pass) {
    EXPECT_EQ(wait(), std::chrono::seconds(1)) << "pass " << pass;
  }
  EXPECT_EQ(Condition("DNSPublished"), "False NotPublished");
  clock_.Advance(std::chrono::seconds(10));
  EXPECT_EQ(wait(), std::chrono::seconds(10)) << "as long again as it has waited";
  clock_.Advance(std::chrono::hours(1));
  EXPECT_EQ(wait(), std::chrono::seconds(64)) << "at most";
  // Published: the next wait starts over.
  DnsCatchesUp();
  reconciler.Reconcile(key, {});
  EXPECT_EQ(Condition("DNSPublished"), "True Published");
  resolver_.txt.erase("_mta-sts.example.com");
  Edit([](Object& p) { p["spec"]["mx"] = {"mx2.example.com"}; });
  EXPECT_EQ(wait(), std::chrono::seconds(1));
  // Waiting, then waiting for a person (a spec it refuses) for an hour: the fix waits afresh.
  clock_.Advance(std::chrono::seconds(30));
  Edit([](Object& p) { p["spec"]["mode"] = "bogus"; });
  EXPECT_EQ(wait(), std::chrono::hours(99)) << "no requeue";
  EXPECT_EQ(Condition("Stalled"), "True InvalidSpec");
  clock_.Advance(std::chrono::hours(1));
  Edit([](Object& p) { p["spec"]["mode"] = "enforce"; });
  EXPECT_EQ(wait(), std::chrono::seconds(1));
}

TEST_F(ReconcilerTest, TheYoungerOfTwoPoliciesForOneDomainWritesNothing) {
  Object younger = Policy("second", "example.com", "mx.example.com");
  younger["metadata"]["creationTimestamp"] = "2999-01-01T00:00:00Z";
  Create(MtaStsPolicies(), younger);
  Reconciler reconciler = Make();
  reconciler.Reconcile("mail/second", {});
  EXPECT_FALSE(Get(k8s::ConfigMaps(), "second-mta-sts-policy").is_object());
  auto status = Get(MtaStsPolicies(), "second")["status"];
  EXPECT_EQ(status["conditions"].size(), 3u);  // Ready, Reconciling, Stalled only
  EXPECT_THAT(status.dump(),
              ::testing::HasSubstr("already published by MtaStsPolicy mail/example-com"));
}

TEST_F(ReconcilerTest, MissingCrdIsAConditionAndARetryNotACrash) {
  client_.FailOn("apply certificates",
                 NotFoundError("the server could not find the requested resource"));
  Reconciler reconciler = Make();
  const k8s::ProcessResult result = reconciler.Reconcile("mail/example-com", {});
  EXPECT_TRUE(result.status.ok());
  ASSERT_TRUE(result.requeue_after);
  EXPECT_EQ(Condition("CertificateReady"), "False CertificateCRDMissing");
  EXPECT_EQ(Condition("Stalled"), "True CertificateCRDMissing");
  // The ConfigMap is written all the same: serving does not wait for cert-manager's CRD.
  EXPECT_TRUE(Get(k8s::ConfigMaps(), "example-com-mta-sts-policy").is_object());
}

TEST_F(ReconcilerTest, AStoppedTokenWritesNothing) {
  Reconciler reconciler = Make();
  std::stop_source stop;
  stop.request_stop();
  serving_ = {{"a:1", true, "", std::nullopt}};
  const k8s::ProcessResult result = reconciler.Reconcile("mail/example-com", stop.get_token());
  EXPECT_EQ(result.status.code(), StatusCode::kCancelled);
  EXPECT_EQ(Writes(), 0);
}

}  // namespace
}  // namespace mtasts::controller
