// The rollout's decision of which mode to serve. Today: the lower of spec.mode and testing, so a
// policy is never enforced before the gates that allow it exist; the rollout state machine
// (testing → enforce only when safe) replaces this one function. Pure.
#pragma once

#include "policy/policy_file.h"
#include "spec/mta_sts_policy.h"

namespace mtasts::controller {

policy::Mode EffectiveMode(const spec::MtaStsPolicySpec& spec);

}  // namespace mtasts::controller
