#include "controller/report_gate.h"

#include <cstdint>
#include <map>

#include "base/printable.h"
#include "spec/percent.h"

namespace mtasts::controller {

ReportVerdict JudgeReports(const tlsrpt::DomainTally& window, const spec::Rollout& rollout,
                           int window_days) {
  const int64_t failed = window.failed;
  const int64_t sessions = tlsrpt::Sessions(window);
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
                tlsrpt::CountsText(window.failures_by_result, 3) +
                "; by MX: " + tlsrpt::CountsText(window.failures_by_mx, 3) +
                ". Fix them (mtasts check DOMAIN shows the MX), or wait for them to leave the "
                "window"};
  }
  return {true, "ReportsPass",
          sums + ", within rollout.maxFailureRate " + spec::PercentText(rollout.max_failure_rate)};
}

nlohmann::json ReportsStatus(const tlsrpt::DomainTally& window, int window_days) {
  const int64_t sessions = tlsrpt::Sessions(window);
  const auto largest = [](const std::map<std::string, int64_t>& counts) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [name, n] : tlsrpt::ByCount(counts)) {
      if (out.size() == 5) break;
      out[Printable(name)] = n;
    }
    return out;
  };
  const auto basis_points = [&] {
    if (sessions == 0) return int64_t{0};
    return static_cast<int64_t>(static_cast<__int128>(window.failed) * 10000 / sessions);
  };
  return {{"windowDays", window_days},
          {"reports", window.reports},
          {"sessions", sessions},
          {"failedSessions", window.failed},
          {"failureRate", spec::PercentText(basis_points())},
          {"failuresByResult", largest(window.failures_by_result)},
          {"failuresByMx", largest(window.failures_by_mx)}};
}

int64_t PolicyFailures(const tlsrpt::DomainTally& window) {
  int64_t n = 0;
  for (const auto& [type, failed] : window.failures_by_result) {
    if (type.starts_with("sts-") || type.starts_with("certificate-") ||
        type == "starttls-not-supported" || type == "validation-failure") {
      tlsrpt::AddSaturating(n, failed);
    }
  }
  return n;
}

}  // namespace mtasts::controller
