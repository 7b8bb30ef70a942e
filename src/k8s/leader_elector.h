// LeaderElector: one-leader-at-a-time among replicas, through a coordination.k8s.io/v1 Lease.
//
// Run() campaigns (every retry_period, stretched by a random part of up to 1.2 times itself as
// client-go's elector does so that candidates do not poll in step, it tries to take the lease:
// absent, released, or not renewed for its lease duration as measured on *this* replica's clock,
// so clock skew between replicas does not matter), then leads: on_started_leading gets a stop
// token, and the lease is renewed every retry_period. Every write is conditional on the Lease's
// resourceVersion, so two candidates never both win one round.
//
// Safety: if no renewal has succeeded for renew_deadline (measured from the start of the last
// successful request), the leader stops at once, even while a renewal request hangs: each
// renewal attempt is bounded by that deadline. The token is stopped and on_stopped_leading runs
// before Run() returns. Others can take the lease only lease_duration after they last saw it
// change, which is later, so two leaders never overlap as long as the leader's work observes the
// token (Workers::Start takes it: the reconcile in flight is cancelled and no key is handed out)
// and a write already sent ends within lease_duration - renew_deadline (5 s by default). A hung
// renewal itself ends within the client's request timeout, and Run() returns after it: give the
// elector a client of its own whose request timeout is at most half the renew deadline, so that
// every renewal attempt (a PUT, or a GET and a PUT) ends within the deadline.
//
// On a requested stop the leader stops its work first, then releases the lease (no holder,
// leaseDurationSeconds 1), so a successor takes over at its next retry.
//
// Thread-safety: Run() is called once, from one thread. Callbacks run on that thread and should
// return promptly (start work elsewhere; stop it when the token says so). IsLeader() may be
// called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <stop_token>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "k8s/client.h"
#include "k8s/lease_record.h"

namespace mtasts::k8s {

struct LeaderElectionConfig {
  std::string lease_namespace;
  std::string lease_name;
  std::string identity;  // unique per replica, e.g. "<pod name>_<random>"
  std::chrono::nanoseconds lease_duration = std::chrono::seconds(15);
  std::chrono::nanoseconds renew_deadline = std::chrono::seconds(10);
  std::chrono::nanoseconds retry_period = std::chrono::seconds(2);
  const Clock* clock = &RealClock::Get();
  // Longest a wait sleeps before it re-reads `clock` (keep it small with a FakeClock).
  std::chrono::nanoseconds max_wait = std::chrono::milliseconds(100);
};

struct LeaderCallbacks {
  // Leadership begins; stop the work when `stop` is requested.
  std::function<void(std::stop_token stop)> on_started_leading;
  // Leadership ended (the token is already stopped).
  std::function<void()> on_stopped_leading;
};

class LeaderElector {
 public:
  // kInvalidArgument when the config cannot work (names missing, or not
  // lease_duration > renew_deadline > retry_period > 0).
  static StatusOr<std::unique_ptr<LeaderElector>> Create(Client& client,
                                                         LeaderElectionConfig config,
                                                         LeaderCallbacks callbacks);

  // Campaigns, then leads until leadership is lost or `stop` is requested. Returns OK after a
  // requested stop, kUnavailable when leadership was lost (the caller usually exits, as a
  // restarted replica campaigns afresh).
  Status Run(std::stop_token stop);

  bool IsLeader() const { return leading_.load(); }

 private:
  enum class Attempt { kLeading, kHeldByOther, kFailed };

  LeaderElector(Client& client, LeaderElectionConfig config, LeaderCallbacks callbacks);

  // One round: take or renew the lease if this replica may. Called by one thread at a time.
  Attempt TryAcquireOrRenew();
  Attempt CreateLease();
  // Writes this replica as holder over `old_record`, conditional on lease's resourceVersion.
  Attempt WriteAsHolder(Object lease, const LeaseRecord& old_record);
  // Keeps a successful write (create or update) of `record` as the lease this replica holds.
  Attempt Hold(StatusOr<Object> written, const LeaseRecord& record);
  void Observe(const LeaseRecord& record);
  // Leads from an acquisition whose request started at `acquired`, until lost or stopped.
  Status Lead(std::stop_token stop, std::chrono::steady_clock::time_point acquired);
  void Release();
  // Sleeps for `duration` on the config clock, or until `stop` is requested.
  void Sleep(std::chrono::nanoseconds duration, std::stop_token stop) const;
  // retry_period stretched by a random part of up to kRetryJitter times itself.
  std::chrono::nanoseconds JitteredRetryPeriod();

  Client& client_;
  const LeaderElectionConfig config_;
  const LeaderCallbacks callbacks_;
  std::atomic<bool> leading_{false};
  std::mt19937_64 random_{std::random_device{}()};  // Run's thread only

  // State of the attempts (one thread at a time: Run's, then the renewer's, then Run's again).
  std::optional<Object> held_lease_;  // the Lease as last written by this replica
  LeaseRecord observed_record_;
  std::chrono::steady_clock::time_point observed_at_{};
};

}  // namespace mtasts::k8s
