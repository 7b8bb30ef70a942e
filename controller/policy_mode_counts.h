// PolicyModeCounts: how many of the cached MtaStsPolicies publish each effective mode
// (status.effectiveMode), kept up to date from the policy informer's add, update and delete
// callbacks. /metrics reads the counts instead of parsing every cached policy at each scrape,
// which at 10,000 policies allocated some 100 MB per scrape that the allocator then kept.
// Thread-safe.
#pragma once

#include <array>
#include <mutex>

#include "k8s/client.h"
#include "policy/policy_file.h"

namespace mtasts::controller {

class PolicyModeCounts {
 public:
  void Added(const k8s::Object& policy);
  void Updated(const k8s::Object& before, const k8s::Object& after);
  void Deleted(const k8s::Object& policy);

  // Policies whose status says `mode`. A policy with no effective mode yet, or one no mode is
  // named, is in none of the counts.
  int Count(policy::Mode mode) const;

 private:
  void Move(const k8s::Object* leaving, const k8s::Object* arriving);

  mutable std::mutex mu_;
  std::array<int, 3> counts_{};  // by policy::Mode
};

}  // namespace mtasts::controller
