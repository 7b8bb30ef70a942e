#include "k8s/leader_elector.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include "eventually.h"
#include "fakes/fake_client.h"
#include "k8s/lease_record.h"
#include "k8s/workers.h"

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;
using SteadyTime = std::chrono::steady_clock::time_point;

// The defaults: lease 15 s, renew deadline 10 s, retry 2 s (campaign retries up to 4.4 s).
constexpr auto kLease = 15s;
constexpr auto kRenewDeadline = 10s;
constexpr auto kRetry = 2s;
constexpr auto kLongestCampaignRetry = 4400ms;
// The fake clock moves in these steps, each given a moment of real time so that the electors'
// threads (which re-read the clock every millisecond) act on it. A callback may run one step
// late on a loaded machine: times measured on the fake clock are exact to a step.
constexpr auto kStep = 100ms;

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

// Who wrote the policy object, and when (fake time, taken as the write begins).
struct WriteLog {
  std::mutex mu;
  std::vector<std::pair<std::string, SteadyTime>> writes;
  void Add(const std::string& who, SteadyTime at) {
    std::lock_guard lock(mu);
    writes.emplace_back(who, at);
  }
};

// A candidate running LeaderElector::Run on its own thread with its own FakeClient for the
// lease. With a WriteLog it also runs, while leading, a worker whose reconcile writes the policy
// object over and over through a second client, checking its cancellation before each write.
class Candidate {
 public:
  Candidate(FakeApiServer& server, FakeClock& clock, const std::string& identity,
            WriteLog* writes = nullptr)
      : client_(server), work_client_(server), clock_(clock), identity_(identity) {
    LeaderElectionConfig config{"mail", "operator", identity, kLease, kRenewDeadline, kRetry};
    config.clock = &clock;
    config.max_wait = 1ms;
    LeaderCallbacks callbacks{[this, writes](std::stop_token token) {
                                token_ = token;
                                started_at_ = clock_.SteadyNow();
                                if (writes != nullptr) StartWork(*writes, token);
                                ++terms_;
                              },
                              [this] {
                                if (workers_) workers_->Stop(Drain::kNo);
                                stopped_at_ = clock_.SteadyNow();
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
  bool Leading() const { return terms_.load() > 0; }
  bool Stopped() const { return stops_.load() > 0; }

  FakeClient client_;       // the lease's
  FakeClient work_client_;  // the reconciler's
  FakeClock& clock_;
  std::string identity_;
  std::unique_ptr<LeaderElector> elector_;
  std::stop_token token_;
  // Written by the callbacks on the Run thread; the counters, bumped last, publish them.
  std::atomic<int> terms_{0}, stops_{0};
  SteadyTime started_at_{}, stopped_at_{};
  bool token_was_stopped_ = false;
  Status result_;
  std::unique_ptr<WorkQueue> queue_;
  std::unique_ptr<Workers> workers_;
  std::jthread thread_;

 private:
  void StartWork(WriteLog& writes, std::stop_token leadership) {
    queue_ = std::make_unique<WorkQueue>();
    workers_ = std::make_unique<Workers>(
        *queue_, [this, &writes](const std::string&, std::stop_token cancel) {
          while (!cancel.stop_requested()) {
            writes.Add(identity_, clock_.SteadyNow());
            Object patch = {{"data", {{"writer", identity_}}}};
            Status written =
                work_client_.MergePatch(ConfigMaps(), "mail", "policy", patch, "").status();
            if (!written.ok()) return ProcessResult::Failed(written);
            std::this_thread::sleep_for(1ms);
          }
          return ProcessResult::Failed(CancelledError("leadership lost"));
        });
    queue_->Add("mail/policy");
    workers_->Start(1, leadership);
  }
};

// Advances the clock step by step until `done` holds (true) or `limit` of fake time has passed.
template <typename Pred>
bool AdvanceUntil(FakeClock& clock, Pred done, std::chrono::nanoseconds limit) {
  for (std::chrono::nanoseconds passed{0}; passed <= limit; passed += kStep) {
    if (Eventually(done, 10ms)) return true;
    clock.Advance(kStep);
  }
  return Eventually(done, 10ms);
}

class LeaderElectorTest : public ::testing::Test {
 protected:
  FakeApiServer server_;
  FakeClock clock_{Clock::TimePoint(1000s)};
};

TEST_F(LeaderElectorTest, RejectsConfigsThatCannotWork) {
  FakeClient client(server_);
  auto no_identity = LeaderElector::Create(client, {"mail", "operator", ""}, {});
  EXPECT_EQ(no_identity.status().code(), StatusCode::kInvalidArgument);
  auto bad_order = LeaderElector::Create(client, {"mail", "operator", "a", 10s, 10s, 2s}, {});
  EXPECT_EQ(bad_order.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad_order.status().message().find("lease duration > renew deadline"),
            std::string::npos);
}

TEST_F(LeaderElectorTest, LoneCandidateCreatesTheLeaseAndLeads) {
  Candidate a(server_, clock_, "pod-a");
  ASSERT_TRUE(Eventually([&] { return a.Leading(); }));
  LeaseRecord record = ReadLeaseRecord(*server_.Get(Leases(), "mail", "operator"));
  EXPECT_EQ(record.holder_identity, "pod-a");
  EXPECT_EQ(record.lease_duration_seconds, 15);
  EXPECT_EQ(record.lease_transitions, 0);
  EXPECT_FALSE(record.acquire_time.empty());
  std::string first_renewal = record.renew_time;
  EXPECT_TRUE(AdvanceUntil(
      clock_,
      [&] {
        return ReadLeaseRecord(*server_.Get(Leases(), "mail", "operator")).renew_time !=
               first_renewal;
      },
      kRetry))
      << "the leader did not renew within its retry period";
  EXPECT_EQ(a.terms_.load(), 1);
}

TEST_F(LeaderElectorTest, TwoCandidatesNeverLeadAtOnceAndGracefulReleaseHandsOver) {
  Candidate a(server_, clock_, "pod-a");
  ASSERT_TRUE(Eventually([&] { return a.Leading(); }));
  Candidate b(server_, clock_, "pod-b");
  // 30 s of both campaigning and renewing: twice the lease duration.
  EXPECT_FALSE(AdvanceUntil(
      clock_, [&] { return a.elector_->IsLeader() && b.elector_->IsLeader(); }, 2 * kLease));
  EXPECT_TRUE(a.elector_->IsLeader());
  EXPECT_FALSE(b.Leading());
  auto released = clock_.SteadyNow();
  a.Stop();
  EXPECT_TRUE(a.result_.ok()) << a.result_.ToString();
  EXPECT_TRUE(a.token_was_stopped_);
  ASSERT_TRUE(AdvanceUntil(
      clock_, [&] { return b.Leading(); }, kLongestCampaignRetry));
  // A released lease is taken at the next campaign retry, not after the lease duration.
  EXPECT_LE(b.started_at_ - released, kLongestCampaignRetry + kStep);
  LeaseRecord record = ReadLeaseRecord(*server_.Get(Leases(), "mail", "operator"));
  EXPECT_EQ(record.holder_identity, "pod-b");
  EXPECT_EQ(record.lease_transitions, 1);
}

TEST_F(LeaderElectorTest, LeaderCutOffStopsWithinTheRenewDeadline) {
  Candidate a(server_, clock_, "pod-a");
  ASSERT_TRUE(Eventually([&] { return a.Leading(); }));
  auto cut = clock_.SteadyNow();
  a.client_.Fail(UnavailableError("connection refused"));
  ASSERT_TRUE(AdvanceUntil(
      clock_, [&] { return a.Stopped(); }, kRenewDeadline + kStep));
  a.thread_.join();  // Run returns by itself once leadership is lost
  EXPECT_EQ(a.result_.code(), StatusCode::kUnavailable) << a.result_.ToString();
  EXPECT_TRUE(a.token_was_stopped_);
  EXPECT_LE(a.stopped_at_ - cut, kRenewDeadline + kStep);
}

TEST_F(LeaderElectorTest, LeaderStuckInARequestStillStopsWithinTheRenewDeadline) {
  Candidate a(server_, clock_, "pod-a");
  ASSERT_TRUE(Eventually([&] { return a.Leading(); }));
  auto cut = clock_.SteadyNow();
  a.client_.Hang();
  ASSERT_TRUE(AdvanceUntil(
      clock_, [&] { return a.Stopped(); }, kRenewDeadline + kStep));
  EXPECT_FALSE(a.elector_->IsLeader());
  EXPECT_LE(a.stopped_at_ - cut, kRenewDeadline + kStep);
  a.client_.Resume();  // lets the stuck renewal return so Run can finish
  a.thread_.join();
  EXPECT_EQ(a.result_.code(), StatusCode::kUnavailable);
}

TEST_F(LeaderElectorTest, StaleLeaseIsTakenOnlyAfterItsDurationAndNeverOverlaps) {
  Candidate a(server_, clock_, "pod-a");
  ASSERT_TRUE(Eventually([&] { return a.Leading(); }));
  Candidate b(server_, clock_, "pod-b");
  ASSERT_FALSE(AdvanceUntil(
      clock_, [&] { return b.Leading(); }, 3 * kRetry));  // b saw a renew
  a.client_.Fail(UnavailableError("partitioned"));
  auto cut = clock_.SteadyNow();
  ASSERT_TRUE(AdvanceUntil(
      clock_, [&] { return b.Leading(); }, kLease + 2 * kLongestCampaignRetry));
  a.thread_.join();
  EXPECT_LT(a.stopped_at_, b.started_at_) << "two leaders at once";
  // b saw the last renewal (at most one retry before the cut) and waits the lease duration.
  EXPECT_GE(b.started_at_ - cut, kLease - kRetry);
  EXPECT_LE(b.started_at_ - cut, kLease + 2 * kLongestCampaignRetry + kStep);
  EXPECT_EQ(ReadLeaseRecord(*server_.Get(Leases(), "mail", "operator")).lease_transitions, 1);
}

TEST_F(LeaderElectorTest, TheOldLeadersReconcilerWritesNothingOnceTheNewLeaderStarts) {
  ASSERT_TRUE(
      server_.Create(ConfigMaps(), {{"metadata", {{"namespace", "mail"}, {"name", "policy"}}}})
          .ok());
  WriteLog writes;
  Candidate a(server_, clock_, "pod-a", &writes);
  ASSERT_TRUE(Eventually([&] { return a.Leading(); }));
  Candidate b(server_, clock_, "pod-b", &writes);
  ASSERT_FALSE(AdvanceUntil(
      clock_, [&] { return b.Leading(); }, 3 * kRetry));
  // a loses the lease's API path but could still write the policy: only the cancellation of
  // its reconcile stops it.
  a.client_.Fail(UnavailableError("partitioned"));
  ASSERT_TRUE(AdvanceUntil(
      clock_, [&] { return b.Leading(); }, kLease + 2 * kLongestCampaignRetry));
  ASSERT_TRUE(Eventually([&] {
    std::lock_guard lock(writes.mu);
    return !writes.writes.empty() && writes.writes.back().first == "pod-b";
  }));
  b.Stop();
  a.thread_.join();
  std::lock_guard lock(writes.mu);
  int by_a = 0;
  for (const auto& [who, at] : writes.writes) {
    if (who != "pod-a") continue;
    ++by_a;
    EXPECT_LT(at, b.started_at_) << "the old leader wrote after the new one started";
  }
  EXPECT_GT(by_a, 0) << "the old leader never wrote: the test proves nothing";
  EXPECT_EQ((*server_.Get(ConfigMaps(), "mail", "policy"))["data"]["writer"], "pod-b");
}

}  // namespace
}  // namespace mtasts::k8s
