// Evaluate: runs the ordered list of checks over one domain's Observations and returns the
// Report: what was seen, what it means, what is wrong, and whether the domain may go to
// `mode: enforce` (DESIGN §5 gates 1-4). Pure; thread-safe.
#pragma once

#include "validate/analysis.h"
#include "validate/checks.h"
#include "validate/finding.h"
#include "validate/observations.h"

namespace mtasts::validate {

struct Report {
  Observations obs;
  Analysis analysis;
  Findings findings;  // in check order
  // Every live MX is covered and passes STARTTLS and certificate checks, the policy is served
  // validly and the one _mta-sts record parses: no finding is an error.
  bool enforce_ready = false;
};

Report Evaluate(Observations obs, const CheckOptions& options = {});

}  // namespace mtasts::validate
