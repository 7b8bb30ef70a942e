// ParseReport: walks the JSON document of an RFC 8460 §4 report into typed values.
#include "tlsrpt/report.h"

#include "tlsrpt/field_reader.h"
#include "tlsrpt/strict_json.h"

namespace mtasts::tlsrpt {
namespace {

using json = nlohmann::json;

// An array longer than any real sender writes is refused whole, before any of it is read.
Status CheckCount(const std::string& path, size_t count, size_t cap) {
  if (count <= cap) return OkStatus();
  return InvalidArgumentError(path + ": " + std::to_string(count) + " elements, more than the " +
                              std::to_string(cap) + " a report may hold");
}

class ReportReader {
 public:
  ReportReader(ReportParseMode mode, std::vector<std::string>* warnings)
      : fields_(mode == ReportParseMode::kTolerant, warnings) {}

  Status Read(const json& root, Report* out);

 private:
  Status ReadDateRange(const json& root, Report* out);
  Status ReadPolicy(const json& item, const std::string& path, PolicyResult* out);
  Status ReadFailure(const json& item, const std::string& path, FailureDetail* out);

  FieldReader fields_;
};

Status ReportReader::Read(const json& root, Report* out) {
  if (!root.is_object()) {
    return InvalidArgumentError("the report must be a JSON object, got " + JsonTypeName(root));
  }
  RETURN_IF_ERROR(
      fields_.ReadString(root, "", "organization-name", Need::kExpected, &out->organization_name));
  RETURN_IF_ERROR(ReadDateRange(root, out));
  RETURN_IF_ERROR(
      fields_.ReadString(root, "", "contact-info", Need::kExpected, &out->contact_info));
  RETURN_IF_ERROR(fields_.ReadString(root, "", "report-id", Need::kExpected, &out->report_id));
  ASSIGN_OR_RETURN(const json* policies,
                   fields_.Typed(root, "", "policies", Need::kRequired, json::value_t::array));
  if (policies->empty()) fields_.Warn("policies: empty, so the report says nothing");
  RETURN_IF_ERROR(CheckCount("policies", policies->size(), kMaxPolicies));
  for (size_t i = 0; i < policies->size(); ++i) {
    std::string path = "policies[" + std::to_string(i) + "]";
    RETURN_IF_ERROR(ReadPolicy((*policies)[i], path, &out->policies.emplace_back()));
  }
  return OkStatus();
}

Status ReportReader::ReadDateRange(const json& root, Report* out) {
  ASSIGN_OR_RETURN(const json* range,
                   fields_.Typed(root, "", "date-range", Need::kExpected, json::value_t::object));
  if (range == nullptr) return OkStatus();
  RETURN_IF_ERROR(fields_.ReadDateTime(*range, "date-range", "start-datetime", &out->start));
  RETURN_IF_ERROR(fields_.ReadDateTime(*range, "date-range", "end-datetime", &out->end));
  if (out->end < out->start) {
    fields_.Warn("date-range: end-datetime is before start-datetime");
  } else if (out->end - out->start > std::chrono::days{1}) {
    fields_.Warn("date-range: covers more than one day; RFC 8460 §4.1 asks for one UTC day");
  }
  return OkStatus();
}

Status ReportReader::ReadPolicy(const json& item, const std::string& path, PolicyResult* out) {
  if (!item.is_object()) {
    return InvalidArgumentError(path + ": must be an object, got " + JsonTypeName(item));
  }
  ASSIGN_OR_RETURN(const json* policy,
                   fields_.Typed(item, path, "policy", Need::kRequired, json::value_t::object));
  std::string policy_path = path + ".policy";
  std::string type;
  RETURN_IF_ERROR(fields_.ReadString(*policy, policy_path, "policy-type", Need::kRequired, &type));
  if (type == "sts") {
    out->policy_type = PolicyType::kSts;
  } else if (type == "tlsa") {
    out->policy_type = PolicyType::kTlsa;
  } else if (type == "no-policy-found") {
    out->policy_type = PolicyType::kNoPolicyFound;
  } else {
    return InvalidArgumentError(policy_path + ".policy-type: \"" + type +
                                "\" is not sts, tlsa or no-policy-found");
  }
  RETURN_IF_ERROR(fields_.ReadStringList(*policy, policy_path, "policy-string",
                                         FieldReader::LoneString::kDeviation, &out->policy_string));
  RETURN_IF_ERROR(fields_.ReadString(*policy, policy_path, "policy-domain", Need::kRequired,
                                     &out->policy_domain));
  // RFC 8460 Appendix B shows mx-host as a string although §4.4 says array (EID 6241).
  RETURN_IF_ERROR(fields_.ReadStringList(*policy, policy_path, "mx-host",
                                         FieldReader::LoneString::kAccept, &out->mx_host));
  ASSIGN_OR_RETURN(const json* summary,
                   fields_.Typed(item, path, "summary", Need::kRequired, json::value_t::object));
  std::string summary_path = path + ".summary";
  RETURN_IF_ERROR(fields_.ReadCount(*summary, summary_path, "total-successful-session-count",
                                    &out->total_successful_session_count));
  RETURN_IF_ERROR(fields_.ReadCount(*summary, summary_path, "total-failure-session-count",
                                    &out->total_failure_session_count));
  ASSIGN_OR_RETURN(const json* details, fields_.Typed(item, path, "failure-details",
                                                      Need::kOptional, json::value_t::array));
  if (details == nullptr) return OkStatus();
  RETURN_IF_ERROR(CheckCount(path + ".failure-details", details->size(), kMaxFailureDetails));
  for (size_t i = 0; i < details->size(); ++i) {
    std::string detail_path = path + ".failure-details[" + std::to_string(i) + "]";
    RETURN_IF_ERROR(ReadFailure((*details)[i], detail_path, &out->failure_details.emplace_back()));
  }
  return OkStatus();
}

Status ReportReader::ReadFailure(const json& item, const std::string& path, FailureDetail* out) {
  if (!item.is_object()) {
    return InvalidArgumentError(path + ": must be an object, got " + JsonTypeName(item));
  }
  RETURN_IF_ERROR(
      fields_.ReadString(item, path, "result-type", Need::kRequired, &out->result_type));
  RETURN_IF_ERROR(fields_.ReadIp(item, path, "sending-mta-ip", &out->sending_mta_ip));
  RETURN_IF_ERROR(fields_.ReadString(item, path, "receiving-mx-hostname", Need::kOptional,
                                     &out->receiving_mx_hostname));
  RETURN_IF_ERROR(fields_.ReadString(item, path, "receiving-mx-helo", Need::kOptional,
                                     &out->receiving_mx_helo));
  RETURN_IF_ERROR(fields_.ReadIp(item, path, "receiving-ip", &out->receiving_ip));
  RETURN_IF_ERROR(
      fields_.ReadCount(item, path, "failed-session-count", &out->failed_session_count));
  RETURN_IF_ERROR(fields_.ReadString(item, path, "additional-information", Need::kOptional,
                                     &out->additional_information));
  return fields_.ReadString(item, path, "failure-reason-code", Need::kOptional,
                            &out->failure_reason_code);
}

}  // namespace

std::string_view PolicyTypeName(PolicyType type) {
  switch (type) {
    case PolicyType::kSts:
      return "sts";
    case PolicyType::kTlsa:
      return "tlsa";
    case PolicyType::kNoPolicyFound:
      return "no-policy-found";
  }
  return "no-policy-found";
}

StatusOr<ParsedReport> ParseReport(std::string_view text, ReportParseMode mode) {
  ParsedReport out;
  JsonLimits limits{kMaxReportBytes, kMaxReportDepth, mode == ReportParseMode::kTolerant};
  ASSIGN_OR_RETURN(json root, ParseStrictJson(text, limits, &out.warnings));
  RETURN_IF_ERROR(ReportReader(mode, &out.warnings).Read(root, &out.report));
  return out;
}

}  // namespace mtasts::tlsrpt
