// The enforce gates (DESIGN §5, gates 1-4) in the vocabulary of `mtasts check`: a gate's outcome
// is the findings of src/validate, so the operator and `mtasts check` never disagree. Here: which
// gate a finding code belongs to, the blockers status keeps, and gate 1 judged for the mx a spec
// is about to serve. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "validate/evaluate.h"
#include "validate/finding.h"

namespace mtasts::controller {

// One run of the enforce gates against the live domain.
struct GateRun {
  Clock::TimePoint at;
  // Every finding of the run; an error finding fails its gate.
  validate::Findings findings;
  std::vector<std::string> live_mx_hosts;  // the MX hosts DNS answered
};

// The run `mtasts check` would report for the domain, plus gates 3 and 4 made exact: the policy
// served at the public name must be `bytes`, and the one _mta-sts record must carry `id`.
GateRun GateRunOf(const validate::Report& report, const std::string& bytes, const std::string& id);

// What holds a policy back, as status.promotion.blockedBy shows it: an error finding without its
// severity.
struct Blocker {
  validate::FindingCode code;
  std::string target;   // the MX host, address, URL or record name
  std::string message;  // what is wrong and how to fix it
  friend bool operator==(const Blocker&, const Blocker&) = default;
};

// Status keeps this many blockers and findings: enough to act on, bounded for 10,000 policies.
inline constexpr std::size_t kMaxKeptFindings = 20;

enum class Gate {
  kMx,           // gates 1 and 2: a live MX not covered, unreachable, or without valid STARTTLS
  kPublication,  // gates 3 and 4: the policy as served, the _mta-sts record as answered
  kUnproven,     // the check could not look (a lookup failed, a limit cut it short)
  kNone,         // not an enforce gate (TLS-RPT record, max_age advice, unused patterns)
};
Gate GateOf(validate::FindingCode code);

// The inverse of validate::FindingCodeName, for blockers read back from status.
std::optional<validate::FindingCode> FindingCodeNamed(std::string_view name);

// The error findings as blockers, in check order, without repeats, at most kMaxKeptFindings.
std::vector<Blocker> BlockersOf(const validate::Findings& findings);

// Gate 1 for the mx patterns a spec serves, before they are served: each live MX host no pattern
// matches. An empty spec.mx serves the live set itself and so covers it.
validate::Findings UncoveredBySpec(const std::vector<std::string>& spec_mx,
                                   const std::vector<std::string>& live_mx_hosts);

}  // namespace mtasts::controller
