// The status an MtaStsPolicy should have after a reconcile, from the one it has. Everything that
// did not change keeps its value and its timestamps, so when nothing changed the result equals
// the observed status and no write is made. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "controller/conditions.h"
#include "k8s/client.h"

namespace mtasts::controller {

// The policy DNS now announces, once its bytes are served everywhere.
struct Announcement {
  std::string id;
  std::string hash;  // policy::ContentDigest of the bytes
  std::string mode;  // "none", "testing", "enforce"
  int64_t max_age = 0;
};

// `conditions` replace those of the same type (a condition whose status did not change keeps its
// lastTransitionTime); conditions of other types stay. With an announcement: policyId,
// policyHash, effectiveMode, publishedAt (when the id changed), lastServedAt (when the bytes
// changed), largestMaxAge (never lowered). Without one, those keep their values. (What the
// rollout keeps, testingSince among it, is rollout_status.h's.)
k8s::Object NextStatus(const k8s::Object& observed, int64_t generation,
                       const std::optional<Announcement>& announced,
                       const std::vector<Condition>& conditions, Clock::TimePoint now);

}  // namespace mtasts::controller
