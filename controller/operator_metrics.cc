#include "controller/operator_metrics.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "policy/policy_file.h"

namespace mtasts::controller {
namespace {

constexpr ReconcileResult kResults[] = {ReconcileResult::kSuccess, ReconcileResult::kError,
                                        ReconcileResult::kRequeue, ReconcileResult::kConflict};
constexpr policy::Mode kModes[] = {policy::Mode::kNone, policy::Mode::kTesting,
                                   policy::Mode::kEnforce};

// A reconcile may wait on API writes, DNS look-ups and HTTPS fetches of every serve endpoint.
const std::vector<double> kReconcileBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                               1,     2.5,  5,     10,   30,  60};
// A gate run: DNS look-ups, an HTTPS fetch and a STARTTLS handshake per MX address, bounded by
// the 60-second deadline of one domain's check.
const std::vector<double> kGateRunBuckets = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

constexpr std::string_view kOtherResultType = "other";

// The result_type values of report_window_failures: the known types, then "other".
std::vector<std::string_view> ResultTypeLabels() {
  std::vector<std::string_view> labels = tlsrpt::KnownResultTypes();
  labels.push_back(kOtherResultType);
  return labels;
}

}  // namespace

std::string_view ReconcileResultName(ReconcileResult result) {
  switch (result) {
    case ReconcileResult::kSuccess:
      return "success";
    case ReconcileResult::kError:
      return "error";
    case ReconcileResult::kRequeue:
      return "requeue";
    case ReconcileResult::kConflict:
      return "conflict";
  }
  return "error";
}

OperatorMetrics::OperatorMetrics(http::Registry& registry, std::string_view version)
    : reconciles_(registry.AddCounter("mtasts_operator_reconciles_total",
                                      "Reconciles of MtaStsPolicies, by how they ended.",
                                      {"result"})),
      reconcile_duration_(registry.AddHistogram("mtasts_operator_reconcile_duration_seconds",
                                                "How long one reconcile took.", kReconcileBuckets)),
      workqueue_depth_(registry.AddGauge("mtasts_operator_workqueue_depth",
                                         "Policies waiting to be reconciled.")),
      policies_(registry.AddGauge("mtasts_operator_policies",
                                  "MtaStsPolicies by the mode published for senders.",
                                  {"effective_mode"})),
      verification_failures_(registry.AddCounter(
          "mtasts_operator_serve_endpoint_verification_failures_total",
          "Times a serve endpoint did not serve a policy's bytes with a certificate that "
          "verifies, which holds the announcement of its id.",
          {"endpoint"})),
      certificate_expiry_days_(
          registry.AddGauge("mtasts_operator_certificate_expiry_days",
                            "Days until the certificate served for a policy's host expires.",
                            {"namespace", "policy"})),
      gate_runs_(registry.AddCounter(
          "mtasts_operator_gate_runs_total",
          "Runs of the enforce gates against a live domain, by whether every gate passed.",
          {"result"})),
      gate_run_duration_(registry.AddHistogram("mtasts_operator_gate_run_duration_seconds",
                                               "How long one run of the enforce gates took.",
                                               kGateRunBuckets)),
      reports_received_(registry.AddCounter(
          "mtasts_operator_reports_received_total",
          "TLS reports POSTed to the intake, by the HTTP status they were answered.", {"code"})),
      report_window_sessions_(registry.AddGauge(
          "mtasts_operator_report_window_sessions",
          "Sessions the senders' TLS reports of a policy's window count, successful or failed.",
          {"namespace", "policy", "result"})),
      report_window_failures_(registry.AddGauge(
          "mtasts_operator_report_window_failures",
          "Failed sessions the senders' TLS reports of a policy's window count, by RFC 8460 "
          "result type.",
          {"namespace", "policy", "result_type"})),
      registry_(registry) {
  registry.AddGauge("mtasts_operator_build_info", "The operator's version; always 1.", {"version"})
      .Set({std::string(version)}, 1);
  for (ReconcileResult result : kResults) {
    reconciles_.Increment({std::string(ReconcileResultName(result))}, 0);
  }
  for (policy::Mode mode : kModes) policies_.Set({std::string(policy::ModeName(mode))}, 0);
  for (const char* result : {"passed", "failed"}) gate_runs_.Increment({result}, 0);
}

void OperatorMetrics::RecordReconcile(ReconcileResult result, std::chrono::duration<double> took) {
  reconciles_.Increment({std::string(ReconcileResultName(result))});
  reconcile_duration_.Observe(took.count());
}

void OperatorMetrics::ReadWorkqueueDepthFrom(std::function<double()> depth) {
  registry_.BeforeRender([this, depth = std::move(depth)] { workqueue_depth_.Set(depth()); });
}

void OperatorMetrics::SetPolicies(std::string_view effective_mode, double count) {
  policies_.Set({std::string(effective_mode)}, count);
}

void OperatorMetrics::RecordGateRun(bool passed, std::chrono::duration<double> took) {
  gate_runs_.Increment({passed ? "passed" : "failed"});
  gate_run_duration_.Observe(took.count());
}

void OperatorMetrics::CountVerificationFailure(std::string_view endpoint) {
  verification_failures_.Increment({std::string(endpoint)});
}

void OperatorMetrics::SetCertificateExpiry(std::string_view ns, std::string_view policy,
                                           std::chrono::system_clock::time_point not_after,
                                           std::chrono::system_clock::time_point now) {
  const std::chrono::duration<double, std::ratio<86400>> left = not_after - now;
  certificate_expiry_days_.Set({std::string(ns), std::string(policy)}, left.count());
}

void OperatorMetrics::CountReportPost(int status) {
  reports_received_.Increment({std::to_string(status)});
}

void OperatorMetrics::SetReportWindow(std::string_view ns, std::string_view policy,
                                      const tlsrpt::DomainTally& window) {
  for (const auto& [result, n] :
       {std::pair{"successful", window.successful}, {"failed", window.failed}}) {
    report_window_sessions_.Set({std::string(ns), std::string(policy), result},
                                static_cast<double>(n));
  }
  // Known types only, so what a sender sends never becomes a label, and the series are bounded.
  const std::vector<std::string_view>& known = tlsrpt::KnownResultTypes();
  std::map<std::string_view, int64_t> by_type;
  for (const auto& [type, n] : window.failures_by_result) {
    const auto it = std::ranges::find(known, type);
    tlsrpt::AddSaturating(by_type[it == known.end() ? kOtherResultType : *it], n);
  }
  for (const std::string_view type : ResultTypeLabels()) {
    const http::LabelValues labels = {std::string(ns), std::string(policy), std::string(type)};
    if (const auto it = by_type.find(type); it != by_type.end() && it->second > 0) {
      report_window_failures_.Set(labels, static_cast<double>(it->second));
    } else {
      report_window_failures_.Remove(labels);
    }
  }
}

void OperatorMetrics::ForgetPolicy(std::string_view ns, std::string_view policy) {
  certificate_expiry_days_.Remove({std::string(ns), std::string(policy)});
  for (const char* result : {"successful", "failed"}) {
    report_window_sessions_.Remove({std::string(ns), std::string(policy), result});
  }
  for (const std::string_view type : ResultTypeLabels()) {
    report_window_failures_.Remove({std::string(ns), std::string(policy), std::string(type)});
  }
}

void OperatorMetrics::ForgetEndpoint(std::string_view endpoint) {
  verification_failures_.Remove({std::string(endpoint)});
}

}  // namespace mtasts::controller
