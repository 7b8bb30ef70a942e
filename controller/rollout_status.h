// RolloutStatus in an MtaStsPolicy's status, and back: the one place that names the fields the
// rollout keeps across restarts. Reading never fails: a field missing, of the wrong type or out
// of range reads as absent, so a hand-edited or older status only costs a check run again. Pure;
// thread-safe.
//
//   status.effectiveMode, status.policyId, status.largestMaxAge  read only (NextStatus writes them)
//   status.testingSince
//   status.removalHoldSince
//   status.promotion.servingMode, .targetMode, .eligibleAt
//   status.promotion.blockedBy[]: {code, target, message}
//   status.promotion.lastValidation: {time, result: Passed|Failed, findings[]: {code, severity,
//                                     target, message}}
#pragma once

#include "controller/rollout_machine.h"
#include "k8s/client.h"

namespace mtasts::controller {

RolloutStatus ReadRolloutStatus(const k8s::Object& status);

// `status` with the fields the machine keeps set from `rollout` (absent ones removed); every
// other field stays as it was.
k8s::Object WithRolloutStatus(const k8s::Object& status, const RolloutStatus& rollout);

}  // namespace mtasts::controller
