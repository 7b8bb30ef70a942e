// From the resource to the bytes: the RFC 8461 policy an MtaStsPolicy serves at a given stage of
// its rollout. Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "policy/policy_file.h"
#include "spec/mta_sts_policy.h"

namespace mtasts::spec {

// The policy to serve while the rollout is at `effective` mode:
//   mode     `effective`; InvalidArgument if it is past spec.mode (the target is never exceeded);
//   mx       spec.mx, or when that is empty the live MX hosts (trailing dot dropped). Kept in
//            mode none too: chasquid and Stalwart reject a none policy without mx, and would go
//            on applying the enforce policy they cached;
//   max_age  spec.maxAge in enforce; rollout.testingMaxAge in testing and none (RFC 8461 §8.3
//            removal wants a small one).
// FailedPrecondition when testing or enforce would have no mx at all.
StatusOr<policy::Policy> PolicyToServe(const MtaStsPolicySpec& spec, policy::Mode effective,
                                       const std::vector<std::string>& live_mx_hosts = {});

// none < testing < enforce.
int ModeRank(policy::Mode mode);

}  // namespace mtasts::spec
