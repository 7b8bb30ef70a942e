// The reconciler's sequence on an in-memory API server: what it writes, in which order, and that
// it writes nothing when nothing changed. The real-parts version is tests/integration/operator.
#include "controller/reconciler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

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

  Reconciler Make() {
    return Reconciler(ReconcilerDeps{.client = client_,
                                     .caches = {Cache(MtaStsPolicies()), Cache(k8s::ConfigMaps()),
                                                Cache(Certificates()), Cache(DnsEndpoints())},
                                     .claims = claims_,
                                     .serve_check =
                                         [this](const std::string&, const std::string& bytes) {
                                           served_bytes_ = bytes;
                                           return serving_;
                                         },
                                     .resolver = resolver_,
                                     .events = events_,
                                     .clock = clock_,
                                     .settings = {},
                                     .observer = {}});
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
  EXPECT_EQ(Condition("Ready"), "False RolloutPending");
  EXPECT_EQ(Get(MtaStsPolicies(), "example-com")["status"]["effectiveMode"], "testing");
  EXPECT_THAT(events_.Lines(), ::testing::Contains(::testing::HasSubstr("PolicyAnnounced")));

  // Nothing changed: no write at all, and the same id a day later.
  const int writes = Writes();
  clock_.Advance(std::chrono::hours(24));
  reconciler.Reconcile(key, {});
  EXPECT_EQ(Writes(), writes);
  EXPECT_EQ(Get(MtaStsPolicies(), "example-com")["status"]["policyId"], id);
}

TEST_F(ReconcilerTest, NewBytesKeepTheOldIdUntilServed) {
  Reconciler reconciler = Make();
  const std::string key = "mail/example-com";
  serving_ = {{"a:1", true, "", std::nullopt}};
  reconciler.Reconcile(key, {});
  CertificateReady();
  reconciler.Reconcile(key, {});
  const std::string old_id = Get(MtaStsPolicies(), "example-com")["status"]["policyId"];

  Object policy = Get(MtaStsPolicies(), "example-com");
  policy["spec"]["mx"] = {"mx2.example.com"};
  ASSERT_TRUE(server_.Update(MtaStsPolicies(), policy).ok());
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
