// An SMTP TLS report (RFC 8460 §4) parsed into typed values.
//
// Strict mode checks what the RFC and I-JSON require: RFC 3339 date-times with an offset, IP
// address strings, non-negative integer counts, no duplicate member names, and the required
// fields parsedmarc insists on. Tolerant mode also accepts the quirks real senders have been seen
// to send (a date-time without offset, an empty sending-mta-ip, a missing optional or descriptive
// field, a duplicate member: first wins) and lists each one as a warning. `mx-host` given as a
// string (RFC 8460 Appendix B) is normalised to a one-element list in both modes.
//
// Input is capped in size and nesting depth, so hostile reports cost bounded time and memory.
// Pure function over value types; thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace mtasts::tlsrpt {

inline constexpr size_t kMaxReportBytes = 20 * 1024 * 1024;  // decompressed JSON
inline constexpr int kMaxReportDepth = 16;                   // a valid report nests 5 deep
// A report lists one policy per policy the sender applied for the domains it reports on, and one
// failure-detail per distinct (result, sending MTA, receiving MX) triple of the day. The largest
// senders' reports hold a handful of policies and tens of details; these caps are 1,000 and
// 100 times that. They bound the typed copy of a report and the work of counting it, which the
// byte cap alone would let grow to millions of tiny elements.
inline constexpr size_t kMaxPolicies = 10000;
inline constexpr size_t kMaxFailureDetails = 1000;  // per policy

enum class ReportParseMode { kStrict, kTolerant };

enum class PolicyType { kSts, kTlsa, kNoPolicyFound };
// "sts", "tlsa", "no-policy-found".
std::string_view PolicyTypeName(PolicyType type);

struct FailureDetail {
  std::string result_type;  // kept even when unregistered (the registry is extensible)
  std::string sending_mta_ip;
  std::string receiving_mx_hostname;
  std::string receiving_mx_helo;
  std::string receiving_ip;
  int64_t failed_session_count = 0;
  std::string additional_information;
  std::string failure_reason_code;
};

struct PolicyResult {
  PolicyType policy_type = PolicyType::kNoPolicyFound;
  std::vector<std::string> policy_string;
  std::string policy_domain;
  std::vector<std::string> mx_host;  // [] when absent
  int64_t total_successful_session_count = 0;
  int64_t total_failure_session_count = 0;
  std::vector<FailureDetail> failure_details;
};

struct Report {
  std::string organization_name;
  std::chrono::sys_seconds start;  // date-range, converted to UTC
  std::chrono::sys_seconds end;
  std::string contact_info;
  std::string report_id;
  std::vector<PolicyResult> policies;
};

struct ParsedReport {
  Report report;
  // Tolerated deviations ("policies[0].failure-details[2].sending-mta-ip: empty ..."), plus
  // advice in both modes (a date-range that is not one UTC day).
  std::vector<std::string> warnings;
};

// InvalidArgument with the JSON path and the problem ("policies[0].summary.
// total-failure-session-count: must be a non-negative integer, got a string") on bad input.
StatusOr<ParsedReport> ParseReport(std::string_view json, ReportParseMode mode);

}  // namespace mtasts::tlsrpt
