// The machine-readable form of a Report (`mtasts check --json`); the field list is documented
// in the README. Every string in it has passed through Printable (base/printable.h), so it is
// UTF-8 without control characters, whatever the domain publishes. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "validate/evaluate.h"

namespace mtasts::validate {

nlohmann::json ReportToJson(const Report& report, const CheckOptions& options = {});

}  // namespace mtasts::validate
