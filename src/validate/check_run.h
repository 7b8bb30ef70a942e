// CheckDomains: gathers and evaluates many domains at once, `concurrency` at a time, and hands
// each report on in the order the domains were given, as soon as every earlier one is done, so
// a run over thousands of domains holds only the reports still waiting for an earlier one.
// Politeness towards shared MX hosts is the SmtpSource's business (SharedSmtpSource); this only
// bounds how many domains are in flight.
//
// Thread-safety: call from one thread; it starts and joins its own workers, which share the
// Gatherer (so the Gatherer's collaborators must be thread-safe, as the production ones are).
// The callbacks are called from worker threads, one at a time.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "validate/evaluate.h"
#include "validate/gather.h"

namespace mtasts::validate {

// Receives the report of domains[index]; indexes arrive in increasing order.
using ReportSink = std::function<void(size_t index, Report&& report)>;
// After each domain completes (in any order): how many are done.
using ProgressFn = std::function<void(size_t done, size_t total)>;

void CheckDomains(const std::vector<std::string>& domains, Gatherer& gatherer,
                  const CheckOptions& options, int concurrency, const ReportSink& sink,
                  const ProgressFn& progress = nullptr);

// The same, collecting every report (for callers with few domains).
std::vector<Report> CheckDomains(const std::vector<std::string>& domains, Gatherer& gatherer,
                                 const CheckOptions& options, int concurrency);

}  // namespace mtasts::validate
