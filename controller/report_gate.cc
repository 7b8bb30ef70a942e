#include "controller/report_gate.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>
#include <vector>

#include "base/printable.h"
#include "spec/percent.h"

namespace mtasts::controller {
namespace {

// "certificate-expired 10, starttls-not-supported 2": the largest first, at most three.
std::string Largest(const std::map<std::string, int64_t>& counts) {
  std::vector<std::pair<std::string, int64_t>> sorted(counts.begin(), counts.end());
  std::ranges::stable_sort(sorted,
                           [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (size_t i = 0; i < sorted.size() && i < 3; ++i) {
    out +=
        (i == 0 ? "" : ", ") + Printable(sorted[i].first) + " " + std::to_string(sorted[i].second);
  }
  if (sorted.size() > 3) out += ", ...";
  return out;
}

}  // namespace

ReportVerdict JudgeReports(const tlsrpt::DomainTally& window, const spec::Rollout& rollout,
                           int window_days) {
  const int64_t failed = window.failed;
  const int64_t sessions = window.successful > std::numeric_limits<int64_t>::max() - failed
                               ? std::numeric_limits<int64_t>::max()
                               : window.successful + failed;
  const std::string days = "the last " + std::to_string(window_days) + " days";
  const std::string sums = std::to_string(window.reports) +
                           (window.reports == 1 ? " report of " : " reports of ") + days +
                           " count " + std::to_string(sessions) + " sessions, " +
                           std::to_string(failed) + " failed";
  if (sessions < rollout.min_reported_sessions) {
    return {false, "AwaitingReports",
            sums + "; enforce waits for at least rollout.minReportedSessions " +
                std::to_string(rollout.min_reported_sessions) + " sessions reported"};
  }
  // failed / sessions > rate / 10000, in integers that cannot overflow.
  const auto wide = [](int64_t n) { return static_cast<__int128>(n); };
  if (sessions > 0 && wide(failed) * 10000 > wide(rollout.max_failure_rate) * wide(sessions)) {
    return {false, "ReportedFailures",
            sums + ", more than rollout.maxFailureRate " +
                spec::PercentText(rollout.max_failure_rate) +
                ": under enforce these sessions would fail; by result: " +
                Largest(window.failures_by_result) + "; by MX: " + Largest(window.failures_by_mx) +
                ". Fix them (mtasts check DOMAIN shows the MX), or wait for them to leave the "
                "window"};
  }
  return {true, "ReportsPass",
          sums + ", within rollout.maxFailureRate " + spec::PercentText(rollout.max_failure_rate)};
}

}  // namespace mtasts::controller
