#include "k8s/leader_elector.h"

#include <condition_variable>
#include <mutex>
#include <thread>

#include "base/log.h"
#include "k8s/micro_time.h"

namespace mtasts::k8s {
namespace {

// client-go's JitterFactor for campaign retries.
constexpr double kRetryJitter = 1.2;

std::string Millis(std::chrono::nanoseconds d) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count()) + "ms";
}

}  // namespace

StatusOr<std::unique_ptr<LeaderElector>> LeaderElector::Create(Client& client,
                                                               LeaderElectionConfig config,
                                                               LeaderCallbacks callbacks) {
  if (config.lease_namespace.empty() || config.lease_name.empty() || config.identity.empty()) {
    return InvalidArgumentError(
        "leader election needs a lease namespace, a lease name and an identity; got namespace \"" +
        config.lease_namespace + "\", name \"" + config.lease_name + "\", identity \"" +
        config.identity + "\"");
  }
  if (!(config.lease_duration > config.renew_deadline &&
        config.renew_deadline > config.retry_period &&
        config.retry_period > std::chrono::nanoseconds::zero())) {
    return InvalidArgumentError(
        "leader election needs lease duration > renew deadline > retry period > 0; got " +
        Millis(config.lease_duration) + ", " + Millis(config.renew_deadline) + ", " +
        Millis(config.retry_period) + " (the defaults are 15s, 10s, 2s)");
  }
  return std::unique_ptr<LeaderElector>(
      new LeaderElector(client, std::move(config), std::move(callbacks)));
}

LeaderElector::LeaderElector(Client& client, LeaderElectionConfig config, LeaderCallbacks callbacks)
    : client_(client), config_(std::move(config)), callbacks_(std::move(callbacks)) {}

Status LeaderElector::Run(std::stop_token stop) {
  LogInfo("campaigning for leadership",
          {{"lease", config_.lease_namespace + "/" + config_.lease_name},
           {"identity", config_.identity}});
  while (!stop.stop_requested()) {
    auto started = config_.clock->SteadyNow();
    if (TryAcquireOrRenew() == Attempt::kLeading) return Lead(stop, started);
    Sleep(JitteredRetryPeriod(), stop);
  }
  return OkStatus();
}

std::chrono::nanoseconds LeaderElector::JitteredRetryPeriod() {
  double stretch = std::uniform_real_distribution<double>(0, kRetryJitter)(random_);
  return config_.retry_period +
         std::chrono::duration_cast<std::chrono::nanoseconds>(config_.retry_period * stretch);
}

Status LeaderElector::Lead(std::stop_token stop, std::chrono::steady_clock::time_point acquired) {
  std::mutex mu;
  std::condition_variable_any changed;
  auto last_renewal = acquired;  // start of the last successful write, guarded by mu
  bool held_by_other = false;    // guarded by mu

  std::stop_source work;
  leading_ = true;
  LogInfo("started leading", {{"identity", config_.identity}});
  if (callbacks_.on_started_leading) callbacks_.on_started_leading(work.get_token());

  std::jthread renewer([&](std::stop_token renewer_stop) {
    while (true) {
      Sleep(config_.retry_period, renewer_stop);
      if (renewer_stop.stop_requested()) return;
      auto started = config_.clock->SteadyNow();
      Attempt attempt = TryAcquireOrRenew();
      std::lock_guard lock(mu);
      if (attempt == Attempt::kLeading) last_renewal = std::max(last_renewal, started);
      if (attempt == Attempt::kHeldByOther) held_by_other = true;
      changed.notify_all();
      if (held_by_other) return;
    }
  });

  // Watch the deadline here rather than in the renewer, which may be stuck in a request.
  std::string lost_because;
  {
    std::unique_lock lock(mu);
    while (!stop.stop_requested()) {
      if (held_by_other) {
        lost_because = "another replica holds the lease";
        break;
      }
      auto left = last_renewal + config_.renew_deadline - config_.clock->SteadyNow();
      if (left <= std::chrono::nanoseconds::zero()) {
        lost_because =
            "no renewal succeeded within the renew deadline of " + Millis(config_.renew_deadline);
        break;
      }
      changed.wait_for(lock, stop, std::min<std::chrono::nanoseconds>(left, config_.max_wait),
                       [&] { return held_by_other; });
    }
  }

  work.request_stop();
  leading_ = false;
  if (lost_because.empty()) {
    LogInfo("stopped leading: shutting down", {{"identity", config_.identity}});
  } else {
    LogError("stopped leading: lost the lease",
             {{"identity", config_.identity}, {"reason", lost_because}});
  }
  if (callbacks_.on_stopped_leading) callbacks_.on_stopped_leading();

  renewer.request_stop();
  renewer.join();  // a request in flight finishes (or times out) first
  if (!lost_because.empty()) {
    return UnavailableError("lost leadership of lease " + config_.lease_namespace + "/" +
                            config_.lease_name + ": " + lost_because);
  }
  Release();
  return OkStatus();
}

void LeaderElector::Sleep(std::chrono::nanoseconds duration, std::stop_token stop) const {
  std::mutex mu;
  std::condition_variable_any wake;
  std::unique_lock lock(mu);
  auto until = config_.clock->SteadyNow() + duration;
  while (!stop.stop_requested()) {
    auto left = until - config_.clock->SteadyNow();
    if (left <= std::chrono::nanoseconds::zero()) return;
    wake.wait_for(lock, stop, std::min<std::chrono::nanoseconds>(left, config_.max_wait),
                  [] { return false; });
  }
}

}  // namespace mtasts::k8s
