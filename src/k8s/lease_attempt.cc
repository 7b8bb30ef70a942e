// The LeaderElector's rounds against the Lease object: acquire, renew, release.
#include <algorithm>

#include "base/log.h"
#include "k8s/leader_elector.h"
#include "k8s/micro_time.h"

namespace mtasts::k8s {
namespace {

// Lease durations are whole seconds on the wire (at least 1): round up, never shorten.
int32_t WholeSeconds(std::chrono::nanoseconds d) {
  auto seconds = std::chrono::ceil<std::chrono::seconds>(d).count();
  return static_cast<int32_t>(std::max<int64_t>(seconds, 1));
}

}  // namespace

LeaderElector::Attempt LeaderElector::TryAcquireOrRenew() {
  if (held_lease_) {
    // This replica wrote the lease last: a write conditional on that version either renews
    // it or proves somebody else wrote since (then re-read below).
    Object lease = *held_lease_;
    if (WriteAsHolder(std::move(lease), ReadLeaseRecord(*held_lease_)) == Attempt::kLeading) {
      return Attempt::kLeading;
    }
    held_lease_.reset();
  }
  StatusOr<Object> lease = client_.Get(Leases(), config_.lease_namespace, config_.lease_name);
  if (!lease.ok()) {
    if (lease.status().code() == StatusCode::kNotFound) return CreateLease();
    LogDebug("could not read the lease", {{"error", lease.status().ToString()}});
    return Attempt::kFailed;
  }
  LeaseRecord record = ReadLeaseRecord(*lease);
  Observe(record);
  if (!record.holder_identity.empty() && record.holder_identity != config_.identity) {
    std::chrono::nanoseconds duration = record.lease_duration_seconds > 0
                                            ? std::chrono::seconds(record.lease_duration_seconds)
                                            : config_.lease_duration;
    // Expiry is judged by when this replica last saw the record change, not by renewTime.
    if (config_.clock->SteadyNow() < observed_at_ + duration) return Attempt::kHeldByOther;
  }
  return WriteAsHolder(std::move(*lease), record);
}

LeaderElector::Attempt LeaderElector::CreateLease() {
  std::string now = FormatMicroTime(config_.clock->Now());
  LeaseRecord record{config_.identity, WholeSeconds(config_.lease_duration), now, now, 0};
  Object lease = {
      {"apiVersion", "coordination.k8s.io/v1"},
      {"kind", "Lease"},
      {"metadata", {{"name", config_.lease_name}, {"namespace", config_.lease_namespace}}}};
  WriteLeaseRecord(record, lease);
  return Hold(client_.Create(Leases(), lease), record);
}

LeaderElector::Attempt LeaderElector::WriteAsHolder(Object lease, const LeaseRecord& old_record) {
  std::string now = FormatMicroTime(config_.clock->Now());
  bool renewing = old_record.holder_identity == config_.identity;
  LeaseRecord record{config_.identity, WholeSeconds(config_.lease_duration),
                     renewing ? old_record.acquire_time : now, now,
                     old_record.lease_transitions + (renewing ? 0 : 1)};
  WriteLeaseRecord(record, lease);
  // lease still carries the metadata.resourceVersion it was read with: the PUT is conditional.
  return Hold(client_.Update(Leases(), lease), record);
}

LeaderElector::Attempt LeaderElector::Hold(StatusOr<Object> written, const LeaseRecord& record) {
  if (!written.ok()) {
    LogDebug("could not write the lease", {{"error", written.status().ToString()}});
    return Attempt::kFailed;
  }
  held_lease_ = std::move(written).value();
  Observe(record);
  return Attempt::kLeading;
}

void LeaderElector::Observe(const LeaseRecord& record) {
  if (record == observed_record_) return;
  if (record.holder_identity != observed_record_.holder_identity) {
    LogInfo("lease holder changed",
            {{"lease", config_.lease_name}, {"holder", record.holder_identity}});
  }
  observed_record_ = record;
  observed_at_ = config_.clock->SteadyNow();
}

void LeaderElector::Release() {
  if (!held_lease_) return;
  std::string now = FormatMicroTime(config_.clock->Now());
  LeaseRecord record = ReadLeaseRecord(*held_lease_);
  // No holder and a 1 s duration: any candidate may take the lease at its next round.
  record = {"", 1, now, now, record.lease_transitions};
  Object lease = *held_lease_;
  WriteLeaseRecord(record, lease);
  StatusOr<Object> released = client_.Update(Leases(), lease);
  held_lease_.reset();
  if (!released.ok()) {
    LogWarning("could not release the lease; a successor waits for it to expire",
               {{"error", released.status().ToString()}});
    return;
  }
  LogInfo("released the lease", {{"lease", config_.lease_name}});
}

}  // namespace mtasts::k8s
