// Checks of the check itself: whether GatherLimits cut it short (a hostile or broken domain
// cannot hold a worker for longer than the deadline, nor make it probe without end).
#include <map>
#include <string>
#include <vector>

#include "validate/check_text.h"
#include "validate/checks.h"

namespace mtasts::validate {

void CheckCompleteness(const Input& in, Findings* out) {
  std::map<std::string, std::vector<std::string>> by_limit;
  for (const Observations::Skipped& s : in.obs.skipped) by_limit[s.limit].push_back(s.what);
  for (const auto& [limit, what] : by_limit) {
    out->push_back({FindingCode::kCheckIncomplete, Severity::kError, in.obs.domain,
                    "the check of " + in.obs.domain + " reached " + limit +
                        ", so these were not checked: " + JoinList(what) +
                        "; nothing proves a sender can deliver to them, so enforce waits until "
                        "a check covers everything (fewer MX hosts or addresses, faster servers)"});
  }
}

}  // namespace mtasts::validate
