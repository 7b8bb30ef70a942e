#include "controller/operator_metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using testing::HasSubstr;
using testing::Not;

TEST(OperatorMetricsTest, EveryFamilyIsThereFromTheStart) {
  http::Registry registry;
  OperatorMetrics metrics(registry, "0.1.0");
  const std::string text = registry.Render();
  for (std::string_view line : {
           "mtasts_operator_build_info{version=\"0.1.0\"} 1\n",
           "mtasts_operator_reconciles_total{result=\"success\"} 0\n",
           "mtasts_operator_reconciles_total{result=\"error\"} 0\n",
           "mtasts_operator_reconciles_total{result=\"requeue\"} 0\n",
           "mtasts_operator_reconciles_total{result=\"conflict\"} 0\n",
           "mtasts_operator_reconcile_duration_seconds_count 0\n",
           "mtasts_operator_workqueue_depth 0\n",
           "mtasts_operator_policies{effective_mode=\"none\"} 0\n",
           "mtasts_operator_policies{effective_mode=\"testing\"} 0\n",
           "mtasts_operator_policies{effective_mode=\"enforce\"} 0\n",
           "mtasts_operator_gate_runs_total{result=\"passed\"} 0\n",
           "mtasts_operator_gate_runs_total{result=\"failed\"} 0\n",
           "mtasts_operator_gate_run_duration_seconds_count 0\n",
           "# TYPE mtasts_operator_serve_endpoint_verification_failures_total counter\n",
           "# TYPE mtasts_operator_certificate_expiry_days gauge\n",
       }) {
    if (line.starts_with("# TYPE")) {
      EXPECT_THAT(text, Not(HasSubstr(line))) << "no series yet, so no family";
    } else {
      EXPECT_THAT(text, HasSubstr(line));
    }
  }
}

TEST(OperatorMetricsTest, RecordsWhatTheOperatorDoes) {
  http::Registry registry;
  OperatorMetrics metrics(registry, "0.1.0");
  metrics.RecordReconcile(ReconcileResult::kSuccess, milliseconds(30));
  metrics.RecordReconcile(ReconcileResult::kConflict, milliseconds(2));
  metrics.RecordReconcile(ReconcileResult::kSuccess, std::chrono::seconds(90));
  int depth = 4;
  metrics.ReadWorkqueueDepthFrom([&depth] { return depth; });
  metrics.SetPolicies("testing", 3);
  metrics.RecordGateRun(true, milliseconds(400));
  metrics.RecordGateRun(false, std::chrono::seconds(45));
  metrics.CountVerificationFailure("10.0.0.7:443");
  metrics.CountVerificationFailure("10.0.0.7:443");
  metrics.CountVerificationFailure("[2001:db8::7]:443");
  metrics.CountReportPost(200);
  metrics.CountReportPost(200);
  metrics.CountReportPost(415);
  tlsrpt::DomainTally window;
  window.successful = 990;
  window.failed = 10;
  // An unknown type, sent by a hostile sender: counted as other, never a label.
  window.failures_by_result = {{"certificate-expired", 7}, {"x\"}\n", 2}, {"(other)", 1}};
  metrics.SetReportWindow("mail", "example-com", window);
  const auto now = std::chrono::system_clock::now();
  metrics.SetCertificateExpiry("mail", "example-com", now + hours(36), now);
  metrics.SetCertificateExpiry("mail", "expired", now - hours(24), now);
  std::string text = registry.Render();
  for (std::string_view line : {
           "mtasts_operator_reconciles_total{result=\"success\"} 2\n",
           "mtasts_operator_reconciles_total{result=\"conflict\"} 1\n",
           "mtasts_operator_reconcile_duration_seconds_bucket{le=\"0.005\"} 1\n",
           "mtasts_operator_reconcile_duration_seconds_bucket{le=\"0.05\"} 2\n",
           "mtasts_operator_reconcile_duration_seconds_bucket{le=\"60\"} 2\n",
           "mtasts_operator_reconcile_duration_seconds_bucket{le=\"+Inf\"} 3\n",
           "mtasts_operator_reconcile_duration_seconds_count 3\n",
           "mtasts_operator_workqueue_depth 4\n",
           "mtasts_operator_policies{effective_mode=\"testing\"} 3\n",
           "mtasts_operator_serve_endpoint_verification_failures_total{endpoint=\"10.0.0.7:443\"} "
           "2\n",
           "mtasts_operator_serve_endpoint_verification_failures_total"
           "{endpoint=\"[2001:db8::7]:443\"} 1\n",
           "mtasts_operator_certificate_expiry_days{namespace=\"mail\",policy=\"example-com\"} "
           "1.5\n",
           "mtasts_operator_certificate_expiry_days{namespace=\"mail\",policy=\"expired\"} -1\n",
       }) {
    EXPECT_THAT(text, HasSubstr(line));
  }
  for (std::string_view line : {
           "mtasts_operator_gate_runs_total{result=\"passed\"} 1\n",
           "mtasts_operator_gate_runs_total{result=\"failed\"} 1\n",
           "mtasts_operator_gate_run_duration_seconds_bucket{le=\"0.5\"} 1\n",
           "mtasts_operator_gate_run_duration_seconds_bucket{le=\"60\"} 2\n",
           "mtasts_operator_reports_received_total{code=\"200\"} 2\n",
           "mtasts_operator_reports_received_total{code=\"415\"} 1\n",
       }) {
    EXPECT_THAT(text, HasSubstr(line));
  }

  const std::string sessions = "mtasts_operator_report_window_sessions{namespace=\"mail\",";
  EXPECT_THAT(text, HasSubstr(sessions + "policy=\"example-com\",result=\"failed\"} 10\n"));
  const std::string failures =
      "mtasts_operator_report_window_failures{namespace=\"mail\",policy=\"example-com\",";
  EXPECT_THAT(text, HasSubstr(failures + "result_type=\"certificate-expired\"} 7\n"));
  EXPECT_THAT(text, HasSubstr(failures + "result_type=\"other\"} 3\n"));
  EXPECT_THAT(text, Not(HasSubstr("result_type=\"sts-policy-invalid\""))) << "none: no series";
  window.failures_by_result = {{"certificate-expired", 7}};
  metrics.SetReportWindow("mail", "example-com", window);
  EXPECT_THAT(registry.Render(), Not(HasSubstr(failures + "result_type=\"other\"")))
      << "gone from the window: gone from /metrics";

  depth = 0;
  metrics.ForgetPolicy("mail", "example-com");
  metrics.ForgetEndpoint("10.0.0.7:443");
  text = registry.Render();
  EXPECT_THAT(text, HasSubstr("mtasts_operator_workqueue_depth 0\n")) << "read at each scrape";
  EXPECT_THAT(text, Not(HasSubstr("example-com")));
  EXPECT_THAT(text, HasSubstr("policy=\"expired\""));
  EXPECT_THAT(text, Not(HasSubstr("10.0.0.7:443")));
}

TEST(OperatorMetricsTest, ResultsHaveTheirNames) {
  EXPECT_EQ(ReconcileResultName(ReconcileResult::kSuccess), "success");
  EXPECT_EQ(ReconcileResultName(ReconcileResult::kError), "error");
  EXPECT_EQ(ReconcileResultName(ReconcileResult::kRequeue), "requeue");
  EXPECT_EQ(ReconcileResultName(ReconcileResult::kConflict), "conflict");
}

}  // namespace
}  // namespace mtasts::controller
