// The human form of a Report (`mtasts check` without --json): one block per domain, grouped
// into DNS, the policy, and each MX host, each line with a pass/fail mark, each finding under
// the group it belongs to with its fix. Pure; thread-safe.
#pragma once

#include <string>

#include "validate/evaluate.h"

namespace mtasts::validate {

std::string ReportToText(const Report& report, const CheckOptions& options = {});

}  // namespace mtasts::validate
