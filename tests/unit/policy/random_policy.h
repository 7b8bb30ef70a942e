// A seeded generator of valid policies, for property tests: random modes, max_age values, mx
// patterns (wildcards, mixed case, duplicates) and extensions (spaces, UTF-8).
#pragma once

#include <random>

#include "policy/policy_file.h"

namespace mtasts::policy {

Policy RandomPolicy(std::mt19937& rng);

}  // namespace mtasts::policy
