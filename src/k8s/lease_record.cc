#include "k8s/lease_record.h"

namespace mtasts::k8s {
namespace {

template <typename T>
T Field(const nlohmann::json& spec, const char* key, nlohmann::json::value_t type, T fallback) {
  auto it = spec.find(key);
  if (it == spec.end()) return fallback;
  bool matches = it->type() == type || (type == nlohmann::json::value_t::number_integer &&
                                        it->type() == nlohmann::json::value_t::number_unsigned);
  return matches ? it->get<T>() : fallback;
}

}  // namespace

LeaseRecord ReadLeaseRecord(const nlohmann::json& lease) {
  auto it = lease.find("spec");
  if (it == lease.end() || !it->is_object()) return {};
  const nlohmann::json& spec = *it;
  using Type = nlohmann::json::value_t;
  return {Field<std::string>(spec, "holderIdentity", Type::string, ""),
          Field<int32_t>(spec, "leaseDurationSeconds", Type::number_integer, 0),
          Field<std::string>(spec, "acquireTime", Type::string, ""),
          Field<std::string>(spec, "renewTime", Type::string, ""),
          Field<int32_t>(spec, "leaseTransitions", Type::number_integer, 0)};
}

void WriteLeaseRecord(const LeaseRecord& record, nlohmann::json& lease) {
  nlohmann::json& spec = lease["spec"];
  if (!spec.is_object()) spec = nlohmann::json::object();
  // The API server rejects "" where it expects a time, so empty strings become absent fields.
  auto set_text = [&spec](const char* key, const std::string& value) {
    if (value.empty()) {
      spec.erase(key);
    } else {
      spec[key] = value;
    }
  };
  set_text("holderIdentity", record.holder_identity);
  spec["leaseDurationSeconds"] = record.lease_duration_seconds;
  set_text("acquireTime", record.acquire_time);
  set_text("renewTime", record.renew_time);
  spec["leaseTransitions"] = record.lease_transitions;
}

}  // namespace mtasts::k8s
