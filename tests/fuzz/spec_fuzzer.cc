// The MtaStsPolicy YAML loader on arbitrary input. Properties: it never throws or crashes, and
// every resource it accepts yields, at every mode up to the target, a policy that renders and
// parses back (the loader's checks are enough for the renderer).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "policy/policy_file.h"
#include "spec/load.h"
#include "spec/serve.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mtasts;
  const std::string_view yaml(reinterpret_cast<const char*>(data), size);
  spec::LoadResult loaded = spec::LoadMtaStsPolicy(yaml);
  FUZZ_CHECK(loaded.policy.has_value() == !spec::HasErrors(loaded.diagnostics));
  if (!loaded.policy) return 0;
  const spec::MtaStsPolicySpec& s = loaded.policy->spec;
  for (policy::Mode mode : {policy::Mode::kNone, policy::Mode::kTesting, policy::Mode::kEnforce}) {
    if (spec::ModeRank(mode) > spec::ModeRank(s.mode)) continue;
    auto served = spec::PolicyToServe(s, mode, {"mx.example.net"});
    FUZZ_CHECK(served.ok());
    auto bytes = policy::RenderPolicy(*served);
    FUZZ_CHECK(bytes.ok());
    FUZZ_CHECK(policy::ParsePolicy(*bytes).ok());
  }
  return 0;
}
