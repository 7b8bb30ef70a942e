#include "spec/serve.h"

#include "base/strings.h"

namespace mtasts::spec {

int ModeRank(policy::Mode mode) {
  switch (mode) {
    case policy::Mode::kNone:
      return 0;
    case policy::Mode::kTesting:
      return 1;
    case policy::Mode::kEnforce:
      return 2;
  }
  return 0;
}

StatusOr<policy::Policy> PolicyToServe(const MtaStsPolicySpec& spec, policy::Mode effective,
                                       const std::vector<std::string>& live_mx_hosts) {
  if (ModeRank(effective) > ModeRank(spec.mode)) {
    return InvalidArgumentError("mode " + std::string(policy::ModeName(effective)) +
                                " is past the target mode " +
                                std::string(policy::ModeName(spec.mode)) + " of " + spec.domain);
  }
  policy::Policy out;
  out.mode = effective;
  out.max_age = effective == policy::Mode::kEnforce ? spec.max_age : spec.rollout.testing_max_age;
  if (!spec.mx.empty()) {
    out.mx = spec.mx;
  } else {
    for (const std::string& live : live_mx_hosts) {
      std::string host = CanonicalDomain(live);
      if (!host.empty()) out.mx.push_back(std::move(host));
    }
  }
  out.mx = policy::CanonicalMxList(out.mx);
  if (out.mx.empty() && effective != policy::Mode::kNone) {
    return FailedPreconditionError(spec.domain + " has no mx patterns (spec.mx is empty) and " +
                                   "no live MX hosts were given; add spec.mx or publish MX " +
                                   "records");
  }
  return out;
}

}  // namespace mtasts::spec
