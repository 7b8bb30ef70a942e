// The machine-readable form of a Report (`mtasts check --json`); the field list is documented
// in the README. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "validate/evaluate.h"

namespace mtasts::validate {

nlohmann::json ReportToJson(const Report& report, const CheckOptions& options = {});

// "2027-01-31T12:00:00Z".
std::string FormatTimestamp(TimePoint t);

}  // namespace mtasts::validate
