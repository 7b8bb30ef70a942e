// Two replicas, each with its intake and store, share one (fake) API server; the informer's
// callbacks are driven by hand with what the server holds, so each interleaving is exact.
#include "controller/report_store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "controller/names.h"
#include "fakes/fake_client.h"
#include "k8s/resource.h"

namespace mtasts::controller {
namespace {

using ::testing::HasSubstr;

std::string Report(const std::string& id, int successful, int failed) {
  return R"({"organization-name": "Company-X",
  "date-range": {"start-datetime": "2026-11-29T00:00:00Z", "end-datetime": "2026-11-29T23:59:59Z"},
  "contact-info": "sts-reporting@company-x.example", "report-id": ")" +
         id + R"(",
  "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
    "summary": {"total-successful-session-count": )" +
         std::to_string(successful) + R"(, "total-failure-session-count": )" +
         std::to_string(failed) + R"(}}]})";
}

http::Request Post(std::string body) {
  return {"POST", "/tlsrpt", "", {{"content-type", "application/tlsrpt+json"}}, std::move(body)};
}

// The reports ConfigMap of the policy every replica here stores under.
StatusOr<k8s::Object> StoredWindow(k8s::FakeApiServer& server) {
  return server.Get(k8s::ConfigMaps(), "mail", ReportsConfigMapName("example"));
}

struct Replica {
  Replica(k8s::FakeApiServer& server, const Clock& clock)
      : client(server),
        intake(
            clock, [](std::string_view domain) { return domain == "example.com"; },
            [this](std::string_view domain) { changed.emplace_back(domain); }),
        store(client, intake, [](std::string_view domain) -> std::optional<Owner> {
          if (domain != "example.com") return std::nullopt;
          return Owner{"mail", "example", "uid-1"};
        }) {}

  // The informer bringing what the server holds now.
  void See(k8s::FakeApiServer& server) {
    StatusOr<k8s::Object> stored = StoredWindow(server);
    ASSERT_TRUE(stored.ok()) << stored.status().message();
    store.Handlers().on_add(*stored);
  }
  int64_t Reports() const {
    return intake.Window("example.com").value_or(tlsrpt::DomainTally{}).reports;
  }

  k8s::FakeClient client;
  std::vector<std::string> changed;  // what the intake said changed, in order
  ReportIntake intake;
  ReportStore store;
};

class ReportStoreTest : public ::testing::Test {
 protected:
  k8s::FakeApiServer server_;
  FakeClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 30}};
  Replica a_{server_, clock_};
  Replica b_{server_, clock_};
};

TEST_F(ReportStoreTest, AReportCountsOnceWhicheverReplicaReceivedIt) {
  EXPECT_EQ(a_.intake.Post(Post(Report("r1", 90, 10))).status, 200);
  EXPECT_EQ(a_.store.Flush({}), 1);
  EXPECT_EQ(a_.store.Flush({}), 0) << "nothing new: no write";

  StatusOr<k8s::Object> stored = StoredWindow(server_);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->at("metadata").at("labels").at(std::string(kContentLabel)), "reports");
  EXPECT_EQ(stored->at("metadata").at("ownerReferences")[0].at("uid"), "uid-1");

  b_.See(server_);
  EXPECT_EQ(b_.Reports(), 1);
  EXPECT_EQ(b_.intake.Window("example.com")->failed, 10);
  a_.See(server_);  // its own write: nothing changed
  EXPECT_EQ(a_.changed, std::vector<std::string>{"example.com"}) << "the post only";
  EXPECT_EQ(b_.changed, std::vector<std::string>{"example.com"}) << "the stored window";
  // The sender retries through the other replica.
  EXPECT_THAT(b_.intake.Post(Post(Report("r1", 90, 10))).body, HasSubstr("received before"));
  EXPECT_EQ(b_.store.Flush({}), 0);
}

TEST_F(ReportStoreTest, AWriteThatLostTheRaceIsRetriedOnTopOfTheWinner) {
  a_.intake.Post(Post(Report("r1", 90, 10)));
  b_.intake.Post(Post(Report("r2", 50, 0)));
  EXPECT_EQ(a_.store.Flush({}), 1);
  EXPECT_EQ(b_.store.Flush({}), 0) << "created by a first: AlreadyExists";
  EXPECT_EQ(b_.Reports(), 1) << "b's own count stays while it waits";

  b_.See(server_);
  EXPECT_EQ(b_.Reports(), 2);
  EXPECT_EQ(b_.store.Flush({}), 1);

  a_.intake.Post(Post(Report("r3", 1, 0)));
  EXPECT_EQ(a_.store.Flush({}), 0) << "a's version is stale: Conflict";
  a_.See(server_);
  EXPECT_EQ(a_.store.Flush({}), 1);
  b_.See(server_);
  for (const Replica* r : {&a_, &b_}) {
    EXPECT_EQ(r->Reports(), 3);
    EXPECT_EQ(r->intake.Window("example.com")->successful, 141);
  }
}

TEST_F(ReportStoreTest, ARestartedReplicaLosesNothing) {
  a_.intake.Post(Post(Report("r1", 90, 10)));
  a_.store.Flush({});
  a_.See(server_);  // its own write, echoed by the cache: counted once still
  EXPECT_EQ(a_.Reports(), 1);

  Replica restarted(server_, clock_);
  EXPECT_EQ(restarted.Reports(), 0);
  restarted.See(server_);
  EXPECT_EQ(restarted.Reports(), 1);
  EXPECT_EQ(restarted.intake.Window("example.com")->failed, 10);
}

TEST_F(ReportStoreTest, AnUnreadableWindowIsReplacedByTheNextWrite) {
  a_.intake.Post(Post(Report("r1", 90, 10)));
  a_.store.Flush({});
  StatusOr<k8s::Object> stored = StoredWindow(server_);
  ASSERT_TRUE(stored.ok());
  (*stored)["data"][std::string(kReportWindowKey)] = "{\"2026-11-30\": 7}";
  ASSERT_TRUE(b_.client.Update(k8s::ConfigMaps(), *stored).ok());

  b_.See(server_);
  EXPECT_EQ(b_.Reports(), 0);
  b_.intake.Post(Post(Report("r2", 5, 0)));
  EXPECT_EQ(b_.store.Flush({}), 1);
  a_.See(server_);
  EXPECT_EQ(a_.Reports(), 1) << "the window starts afresh from what b counted since";
}

TEST_F(ReportStoreTest, ADeletedWindowIsForgotten) {
  a_.intake.Post(Post(Report("r1", 90, 10)));
  a_.store.Flush({});
  StatusOr<k8s::Object> stored = StoredWindow(server_);
  ASSERT_TRUE(stored.ok());
  a_.store.Handlers().on_delete(*stored);
  EXPECT_FALSE(a_.intake.Window("example.com").has_value());
}

TEST(ReadReportsConfigMapTest, NamesWhatDoesNotRead) {
  const k8s::Object good = DesiredReportsConfigMap({"mail", "example", "uid-1"}, "Example.com.",
                                                   tlsrpt::ReportWindow().ToJson());
  ASSERT_TRUE(ReadReportsConfigMap(good, 14).ok());
  EXPECT_EQ(ReadReportsConfigMap(good, 14)->first, "example.com");

  struct Row {
    const char* name;
    std::function<void(k8s::Object&)> change;
    const char* error;
  };
  const Row rows[] = {
      {"no policy host",
       [](k8s::Object& o) {
         o["metadata"]["annotations"].erase(std::string(kPolicyHostAnnotation));
       },
       "does not name a policy host"},
      {"not JSON", [](k8s::Object& o) { o["data"][std::string(kReportWindowKey)] = "{"; },
       "is not JSON"},
      {"no window", [](k8s::Object& o) { o["data"].erase(std::string(kReportWindowKey)); },
       "is not JSON"},
      {"a day of garbage",
       [](k8s::Object& o) { o["data"][std::string(kReportWindowKey)] = R"({"x": {}})"; },
       "is not a day of counts"},
  };
  for (const Row& row : rows) {
    k8s::Object changed = good;
    row.change(changed);
    StatusOr<std::pair<std::string, tlsrpt::ReportWindow>> read = ReadReportsConfigMap(changed, 14);
    ASSERT_FALSE(read.ok()) << row.name;
    EXPECT_THAT(read.status().message(), HasSubstr(row.error)) << row.name;
  }
}

}  // namespace
}  // namespace mtasts::controller
