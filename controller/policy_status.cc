#include "controller/policy_status.h"

#include <algorithm>

#include "base/utc_time.h"

namespace mtasts::controller {
namespace {

using k8s::Object;

std::string Text(const Object& status, const char* key) {
  const auto it = status.find(key);
  return it != status.end() && it->is_string() ? it->get<std::string>() : "";
}

Object MergeConditions(const Object& observed, const std::vector<Condition>& conditions,
                       int64_t generation, const std::string& now) {
  Object merged = observed.is_array() ? observed : Object::array();
  for (const Condition& c : conditions) {
    Object next = {
        {"type", c.type},       {"status", c.status},        {"reason", c.reason},
        {"message", c.message}, {"lastTransitionTime", now}, {"observedGeneration", generation}};
    auto same_type = std::find_if(merged.begin(), merged.end(), [&](const Object& o) {
      return o.is_object() && o.value("type", "") == c.type;
    });
    if (same_type == merged.end()) {
      merged.push_back(std::move(next));
      continue;
    }
    if (same_type->value("status", "") == c.status && same_type->contains("lastTransitionTime")) {
      next["lastTransitionTime"] = (*same_type)["lastTransitionTime"];
    }
    *same_type = std::move(next);
  }
  return merged;
}

}  // namespace

Object NextStatus(const Object& observed_status, int64_t generation,
                  const std::optional<Announcement>& announced,
                  const std::vector<Condition>& conditions, Clock::TimePoint now_time) {
  const Object observed = observed_status.is_object() ? observed_status : Object::object();
  const std::string now = FormatUtc(now_time);
  Object next = observed;
  next["observedGeneration"] = generation;
  if (announced) {
    if (Text(observed, "policyId") != announced->id) next["publishedAt"] = now;
    if (Text(observed, "policyHash") != announced->hash) next["lastServedAt"] = now;
    next["policyId"] = announced->id;
    next["policyHash"] = announced->hash;
    next["effectiveMode"] = announced->mode;
    const int64_t largest = observed.value("largestMaxAge", int64_t{0});
    next["largestMaxAge"] = std::max(largest, announced->max_age);
  }
  next["conditions"] =
      MergeConditions(observed.value("conditions", Object::array()), conditions, generation, now);
  return next;
}

}  // namespace mtasts::controller
