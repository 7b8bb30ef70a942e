#include "k8s/leader_elector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "fakes/fake_client.h"
#include "k8s/lease_record.h"

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

// The renew deadline counts from the start of the last renewal, which precedes the cut; the
// slack covers a thread's wake-up on a loaded machine. The lease (2 s) expires later still.
constexpr auto kDeadlineAndWakeUp = 1000ms + 100ms;

TEST(LeaseRecordTest, RoundTripsAndReleasedLeaseHasNoHolder) {
  LeaseRecord record{"pod-a", 15, "2026-11-28T20:00:00.000000Z", "2026-11-28T20:00:02.000000Z", 3};
  nlohmann::json lease = {{"metadata", {{"name", "x"}}}};
  WriteLeaseRecord(record, lease);
  EXPECT_EQ(ReadLeaseRecord(lease), record);
  record.holder_identity.clear();
  WriteLeaseRecord(record, lease);
  EXPECT_FALSE(lease["spec"].contains("holderIdentity"));
  EXPECT_EQ(ReadLeaseRecord(lease), record);
  EXPECT_EQ(ReadLeaseRecord(nlohmann::json{{"spec", {{"leaseDurationSeconds", "15"}}}}),
            LeaseRecord{});
}

// A candidate running LeaderElector::Run on its own thread with its own FakeClient.
class Candidate {
 public:
  Candidate(FakeApiServer& server, const std::string& identity) : client_(server) {
    LeaderElectionConfig config{"mail", "operator", identity, 1500ms, 1000ms, 100ms};
    LeaderCallbacks callbacks{[this](std::stop_token token) {
                                token_ = token;
                                started_at_ = SteadyClock::now();
                                ++terms_;
                              },
                              [this] {
                                stopped_at_ = SteadyClock::now();
                                token_was_stopped_ = token_.stop_requested();
                                ++stops_;
                              }};
    elector_ = LeaderElector::Create(client_, config, std::move(callbacks)).value();
    thread_ = std::jthread([this](std::stop_token stop) { result_ = elector_->Run(stop); });
  }
  ~Candidate() { Stop(); }
  void Stop() {
    if (thread_.joinable()) {
      thread_.request_stop();
      thread_.join();
    }
  }
  // Waits until on_started_leading has run (its writes are then visible to the caller).
  bool WaitUntilLeading(std::chrono::milliseconds limit) { return Await(terms_, limit); }
  // Waits until on_stopped_leading has run.
  bool WaitUntilStopped(std::chrono::milliseconds limit) { return Await(stops_, limit); }

  FakeClient client_;
  std::unique_ptr<LeaderElector> elector_;
  std::stop_token token_;
  static bool Await(const std::atomic<int>& counter, std::chrono::milliseconds limit) {
    for (auto end = SteadyClock::now() + limit; SteadyClock::now() < end;) {
      if (counter.load() > 0) return true;
      std::this_thread::sleep_for(1ms);
    }
    return counter.load() > 0;
  }

  // Written by the callbacks on the Run thread; the counters, bumped last, publish them.
  std::atomic<int> terms_{0}, stops_{0};
  SteadyClock::time_point started_at_{}, stopped_at_{};
  bool token_was_stopped_ = false;
  Status result_;
  std::jthread thread_;
};

TEST(LeaderElectorTest, RejectsConfigsThatCannotWork) {
  FakeApiServer server;
  FakeClient client(server);
  auto no_identity = LeaderElector::Create(client, {"mail", "operator", ""}, {});
  EXPECT_EQ(no_identity.status().code(), StatusCode::kInvalidArgument);
  auto bad_order = LeaderElector::Create(client, {"mail", "operator", "a", 10s, 10s, 2s}, {});
  EXPECT_EQ(bad_order.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_order.status().message().find("lease duration > renew deadline"),
            std::string::npos);
}

TEST(LeaderElectorTest, LoneCandidateCreatesTheLeaseAndLeads) {
  FakeApiServer server;
  Candidate a(server, "pod-a");
  ASSERT_TRUE(a.WaitUntilLeading(2s));
  LeaseRecord record = ReadLeaseRecord(*server.Get(Leases(), "mail", "operator"));
  EXPECT_EQ(record.holder_identity, "pod-a");
  EXPECT_EQ(record.lease_duration_seconds, 2);  // 1.5 s rounded up to whole seconds
  EXPECT_EQ(record.lease_transitions, 0);
  EXPECT_FALSE(record.acquire_time.empty());
  std::string first_renewal = record.renew_time;
  std::this_thread::sleep_for(300ms);
  record = ReadLeaseRecord(*server.Get(Leases(), "mail", "operator"));
  EXPECT_NE(record.renew_time, first_renewal) << "the leader did not renew";
  EXPECT_EQ(a.terms_.load(), 1);
}

TEST(LeaderElectorTest, TwoCandidatesNeverLeadAtOnceAndGracefulReleaseHandsOver) {
  FakeApiServer server;
  Candidate a(server, "pod-a");
  ASSERT_TRUE(a.WaitUntilLeading(2s));
  Candidate b(server, "pod-b");
  for (int i = 0; i < 300; ++i) {  // 300 ms of both campaigning/renewing
    ASSERT_FALSE(a.elector_->IsLeader() && b.elector_->IsLeader());
    std::this_thread::sleep_for(1ms);
  }
  EXPECT_TRUE(a.elector_->IsLeader());
  auto released = SteadyClock::now();
  a.Stop();
  EXPECT_TRUE(a.result_.ok()) << a.result_.ToString();
  EXPECT_TRUE(a.token_was_stopped_);
  ASSERT_TRUE(b.WaitUntilLeading(2s));
  // A released lease is taken at the next retry (100 ms), not after the lease duration.
  EXPECT_LT(b.started_at_ - released, 500ms);
  LeaseRecord record = ReadLeaseRecord(*server.Get(Leases(), "mail", "operator"));
  EXPECT_EQ(record.holder_identity, "pod-b");
  EXPECT_EQ(record.lease_transitions, 1);
}

TEST(LeaderElectorTest, LeaderCutOffStopsWithinTheRenewDeadline) {
  FakeApiServer server;
  Candidate a(server, "pod-a");
  ASSERT_TRUE(a.WaitUntilLeading(2s));
  auto cut = SteadyClock::now();
  a.client_.Fail(UnavailableError("connection refused"));
  a.thread_.join();  // Run returns by itself once leadership is lost
  EXPECT_EQ(a.result_.code(), StatusCode::kUnavailable) << a.result_.ToString();
  EXPECT_TRUE(a.token_was_stopped_);
  EXPECT_LE(a.stopped_at_ - cut, kDeadlineAndWakeUp);
}

TEST(LeaderElectorTest, LeaderStuckInARequestStillStopsWithinTheRenewDeadline) {
  FakeApiServer server;
  Candidate a(server, "pod-a");
  ASSERT_TRUE(a.WaitUntilLeading(2s));
  auto cut = SteadyClock::now();
  a.client_.Hang();
  ASSERT_TRUE(a.WaitUntilStopped(3s));
  EXPECT_FALSE(a.elector_->IsLeader());
  EXPECT_LE(a.stopped_at_ - cut, kDeadlineAndWakeUp);
  a.client_.Resume();  // lets the stuck renewal return so Run can finish
  a.thread_.join();
  EXPECT_EQ(a.result_.code(), StatusCode::kUnavailable);
}

TEST(LeaderElectorTest, StaleLeaseIsTakenOnlyAfterItsDurationAndNeverOverlaps) {
  FakeApiServer server;
  Candidate a(server, "pod-a");
  ASSERT_TRUE(a.WaitUntilLeading(2s));
  Candidate b(server, "pod-b");
  std::this_thread::sleep_for(300ms);  // b has seen a renewing
  a.client_.Fail(UnavailableError("partitioned"));
  auto cut = SteadyClock::now();
  ASSERT_TRUE(b.WaitUntilLeading(5s));
  a.thread_.join();
  EXPECT_LT(a.stopped_at_, b.started_at_) << "two leaders at once";
  // b saw the last renewal at most one retry after the cut and waits the 2 s (rounded) duration.
  EXPECT_GE(b.started_at_ - cut, 1500ms);
  EXPECT_LE(b.started_at_ - cut, 2500ms);
  EXPECT_EQ(ReadLeaseRecord(*server.Get(Leases(), "mail", "operator")).lease_transitions, 1);
}

}  // namespace
}  // namespace mtasts::k8s
