// The operator's metrics, each named here once (prefix mtasts_operator_), on a registry that
// /metrics renders. Thread-safe: every recorder may be called from any thread. An OperatorMetrics
// lives as long as its registry renders (the workqueue-depth hook refers to it).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string_view>

#include "http/metrics.h"
#include "tlsrpt/tally.h"

namespace mtasts::controller {

// How one reconcile ended (cert-manager's reading: a conflict is requeued, not an error).
enum class ReconcileResult { kSuccess, kError, kRequeue, kConflict };

std::string_view ReconcileResultName(ReconcileResult result);  // "success", "error", ...

class OperatorMetrics {
 public:
  // Registers every family on `registry`, which must outlive this; `version` is the build's.
  OperatorMetrics(http::Registry& registry, std::string_view version);

  // reconciles_total{result} and reconcile_duration_seconds.
  void RecordReconcile(ReconcileResult result, std::chrono::duration<double> took);
  // workqueue_depth: `depth` is read at every scrape.
  void ReadWorkqueueDepthFrom(std::function<double()> depth);
  // policies{effective_mode}: how many policies are in `effective_mode` ("none", "testing",
  // "enforce"; all three are present from the start, at zero).
  void SetPolicies(std::string_view effective_mode, double count);
  // gate_runs_total{result: passed|failed} and gate_run_duration_seconds: one run of the
  // enforce gates against a live domain.
  void RecordGateRun(bool passed, std::chrono::duration<double> took);
  // serve_endpoint_verification_failures_total{endpoint}: a serve endpoint ("host:port") did not
  // serve the expected policy bytes with a certificate that verifies.
  void CountVerificationFailure(std::string_view endpoint);
  // certificate_expiry_days{namespace,policy}: days until the served certificate of the policy
  // expires (negative once it has).
  void SetCertificateExpiry(std::string_view ns, std::string_view policy,
                            std::chrono::system_clock::time_point not_after,
                            std::chrono::system_clock::time_point now);
  // reports_received_total{code}: a report POSTed to the intake, by the status it was answered
  // (200 counted or seen before, 400 not a report, 415 another content type).
  void CountReportPost(int status);
  // report_window_sessions{namespace,policy,result: successful|failed}: the sessions the
  // senders' reports of the policy's window count (tlsRpt.ingest only); and
  // report_window_failures{namespace,policy,result_type}: its failed sessions by RFC 8460 result
  // type (a type RFC 8460 does not define counts as "other"; a type with none has no series).
  void SetReportWindow(std::string_view ns, std::string_view policy,
                       const tlsrpt::DomainTally& window);
  // Forgets the series of a policy that is gone.
  void ForgetPolicy(std::string_view ns, std::string_view policy);
  // Forgets the failures of a serve endpoint that is gone (a replaced pod's address).
  void ForgetEndpoint(std::string_view endpoint);

 private:
  http::Counter& reconciles_;
  http::Histogram& reconcile_duration_;
  http::Gauge& workqueue_depth_;
  http::Gauge& policies_;
  http::Counter& verification_failures_;
  http::Gauge& certificate_expiry_days_;
  http::Counter& gate_runs_;
  http::Histogram& gate_run_duration_;
  http::Counter& reports_received_;
  http::Gauge& report_window_sessions_;
  http::Gauge& report_window_failures_;
  http::Registry& registry_;
};

}  // namespace mtasts::controller
