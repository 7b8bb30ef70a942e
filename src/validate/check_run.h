// CheckDomains: gathers and evaluates many domains at once, `concurrency` at a time, and
// returns their reports in the order asked. Politeness towards shared MX hosts is the
// SmtpProber's business (SharedSmtpProber); this only bounds how many domains are in flight.
//
// Thread-safety: call from one thread; it starts and joins its own workers, which share the
// Gatherer (so the Gatherer's collaborators must be thread-safe, as the production ones are).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "validate/evaluate.h"
#include "validate/gather.h"

namespace mtasts::validate {

// Called after each domain completes, from a worker thread, with calls serialised.
using ProgressFn = std::function<void(size_t done, size_t total)>;

std::vector<Report> CheckDomains(const std::vector<std::string>& domains, Gatherer& gatherer,
                                 const CheckOptions& options, int concurrency,
                                 const ProgressFn& progress = nullptr);

}  // namespace mtasts::validate
