// LeaseRecord: the fields of a coordination.k8s.io/v1 Lease's spec that leader election reads
// and writes. A value type; thread-compatible.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace mtasts::k8s {

struct LeaseRecord {
  std::string holder_identity;  // empty: nobody holds the lease (released)
  int32_t lease_duration_seconds = 0;
  std::string acquire_time;  // MicroTime, as stored
  std::string renew_time;
  int32_t lease_transitions = 0;

  friend bool operator==(const LeaseRecord&, const LeaseRecord&) = default;
};

// Reads spec from a Lease object; absent or mistyped fields read as empty or zero.
LeaseRecord ReadLeaseRecord(const nlohmann::json& lease);
// Writes the record into lease.spec, leaving other fields alone; an empty holder or time removes
// that field (a released lease has no holderIdentity).
void WriteLeaseRecord(const LeaseRecord& record, nlohmann::json& lease);

}  // namespace mtasts::k8s
