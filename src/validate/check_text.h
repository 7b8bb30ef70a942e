// Small wording helpers shared by the checks and reports, so that dates and lists read the same
// in every message. Pure; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "base/utc_time.h"
#include "validate/observations.h"

namespace mtasts::validate {

// "a, b, c".
std::string JoinList(const std::vector<std::string>& items, const std::string& separator = ", ");

}  // namespace mtasts::validate
