#include "controller/rollout.h"

#include "spec/serve.h"

namespace mtasts::controller {

policy::Mode EffectiveMode(const spec::MtaStsPolicySpec& spec) {
  return spec::ModeRank(spec.mode) < spec::ModeRank(policy::Mode::kTesting)
             ? spec.mode
             : policy::Mode::kTesting;
}

}  // namespace mtasts::controller
