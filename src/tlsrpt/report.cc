// ParseReport: walks the JSON document of an RFC 8460 §4 report into typed values.
#include "tlsrpt/report.h"

#include <arpa/inet.h>

#include <limits>

#include "tlsrpt/datetime.h"
#include "tlsrpt/strict_json.h"

namespace mtasts::tlsrpt {
namespace {

using json = nlohmann::json;

enum class Need {
  kRequired,  // missing is an error in both modes
  kExpected,  // missing is an error in strict mode, a warning in tolerant mode
  kOptional,
};

std::string TypeName(const json& value) {
  if (value.is_number_float()) return "a fraction";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  if (value.is_boolean()) return "a boolean";
  return "null";
}

std::string Join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

class ReportReader {
 public:
  ReportReader(ReportParseMode mode, std::vector<std::string>* warnings)
      : tolerant_(mode == ReportParseMode::kTolerant), warnings_(warnings) {}

  Status Read(const json& root, Report* out);

 private:
  Status ReadDateRange(const json& root, Report* out);
  Status ReadPolicy(const json& item, const std::string& path, PolicyResult* out);
  Status ReadFailure(const json& item, const std::string& path, FailureDetail* out);

  // The member, nullptr if it is absent and that is allowed, or an error.
  StatusOr<const json*> Member(const json& object, const std::string& path, std::string_view key,
                               Need need);
  StatusOr<const json*> Typed(const json& object, const std::string& path, std::string_view key,
                              Need need, json::value_t type);
  Status ReadString(const json& object, const std::string& path, std::string_view key, Need need,
                    std::string* out);
  Status ReadStringList(const json& object, const std::string& path, std::string_view key,
                        std::vector<std::string>* out);
  Status ReadCount(const json& object, const std::string& path, std::string_view key, int64_t* out);
  Status ReadIp(const json& object, const std::string& path, std::string_view key,
                std::string* out);
  Status ReadDateTime(const json& object, const std::string& path, std::string_view key,
                      std::chrono::sys_seconds* out);
  // A deviation real senders produce: an error in strict mode, a warning in tolerant mode.
  Status Deviation(std::string what);

  bool tolerant_;
  std::vector<std::string>* warnings_;
};

Status ReportReader::Read(const json& root, Report* out) {
  if (!root.is_object()) {
    return InvalidArgumentError("the report must be a JSON object, got " + TypeName(root));
  }
  RETURN_IF_ERROR(
      ReadString(root, "", "organization-name", Need::kExpected, &out->organization_name));
  RETURN_IF_ERROR(ReadDateRange(root, out));
  RETURN_IF_ERROR(ReadString(root, "", "contact-info", Need::kExpected, &out->contact_info));
  RETURN_IF_ERROR(ReadString(root, "", "report-id", Need::kExpected, &out->report_id));
  ASSIGN_OR_RETURN(const json* policies,
                   Typed(root, "", "policies", Need::kRequired, json::value_t::array));
  if (policies->empty()) warnings_->push_back("policies: empty, so the report says nothing");
  for (size_t i = 0; i < policies->size(); ++i) {
    std::string path = "policies[" + std::to_string(i) + "]";
    RETURN_IF_ERROR(ReadPolicy((*policies)[i], path, &out->policies.emplace_back()));
  }
  return OkStatus();
}

Status ReportReader::ReadDateRange(const json& root, Report* out) {
  ASSIGN_OR_RETURN(const json* range,
                   Typed(root, "", "date-range", Need::kExpected, json::value_t::object));
  if (range == nullptr) return OkStatus();
  RETURN_IF_ERROR(ReadDateTime(*range, "date-range", "start-datetime", &out->start));
  RETURN_IF_ERROR(ReadDateTime(*range, "date-range", "end-datetime", &out->end));
  if (out->end < out->start) {
    warnings_->push_back("date-range: end-datetime is before start-datetime");
  } else if (out->end - out->start > std::chrono::days{1}) {
    warnings_->push_back(
        "date-range: covers more than one day; RFC 8460 §4.1 asks for one UTC day");
  }
  return OkStatus();
}

Status ReportReader::ReadPolicy(const json& item, const std::string& path, PolicyResult* out) {
  if (!item.is_object()) {
    return InvalidArgumentError(path + ": must be an object, got " + TypeName(item));
  }
  ASSIGN_OR_RETURN(const json* policy,
                   Typed(item, path, "policy", Need::kRequired, json::value_t::object));
  std::string policy_path = path + ".policy";
  std::string type;
  RETURN_IF_ERROR(ReadString(*policy, policy_path, "policy-type", Need::kRequired, &type));
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
  RETURN_IF_ERROR(ReadStringList(*policy, policy_path, "policy-string", &out->policy_string));
  RETURN_IF_ERROR(
      ReadString(*policy, policy_path, "policy-domain", Need::kRequired, &out->policy_domain));
  RETURN_IF_ERROR(ReadStringList(*policy, policy_path, "mx-host", &out->mx_host));
  ASSIGN_OR_RETURN(const json* summary,
                   Typed(item, path, "summary", Need::kRequired, json::value_t::object));
  std::string summary_path = path + ".summary";
  RETURN_IF_ERROR(ReadCount(*summary, summary_path, "total-successful-session-count",
                            &out->total_successful_session_count));
  RETURN_IF_ERROR(ReadCount(*summary, summary_path, "total-failure-session-count",
                            &out->total_failure_session_count));
  ASSIGN_OR_RETURN(const json* details,
                   Typed(item, path, "failure-details", Need::kOptional, json::value_t::array));
  if (details == nullptr) return OkStatus();
  for (size_t i = 0; i < details->size(); ++i) {
    std::string detail_path = path + ".failure-details[" + std::to_string(i) + "]";
    RETURN_IF_ERROR(ReadFailure((*details)[i], detail_path, &out->failure_details.emplace_back()));
  }
  return OkStatus();
}

Status ReportReader::ReadFailure(const json& item, const std::string& path, FailureDetail* out) {
  if (!item.is_object()) {
    return InvalidArgumentError(path + ": must be an object, got " + TypeName(item));
  }
  RETURN_IF_ERROR(ReadString(item, path, "result-type", Need::kRequired, &out->result_type));
  RETURN_IF_ERROR(ReadIp(item, path, "sending-mta-ip", &out->sending_mta_ip));
  RETURN_IF_ERROR(ReadString(item, path, "receiving-mx-hostname", Need::kOptional,
                             &out->receiving_mx_hostname));
  RETURN_IF_ERROR(
      ReadString(item, path, "receiving-mx-helo", Need::kOptional, &out->receiving_mx_helo));
  RETURN_IF_ERROR(ReadIp(item, path, "receiving-ip", &out->receiving_ip));
  RETURN_IF_ERROR(ReadCount(item, path, "failed-session-count", &out->failed_session_count));
  RETURN_IF_ERROR(ReadString(item, path, "additional-information", Need::kOptional,
                             &out->additional_information));
  return ReadString(item, path, "failure-reason-code", Need::kOptional, &out->failure_reason_code);
}

StatusOr<const json*> ReportReader::Member(const json& object, const std::string& path,
                                           std::string_view key, Need need) {
  auto it = object.find(key);
  if (it != object.end()) return &*it;
  std::string where = Join(path, key);
  if (need == Need::kRequired || (need == Need::kExpected && !tolerant_)) {
    return InvalidArgumentError(where + ": missing (a required field)");
  }
  if (need == Need::kExpected) warnings_->push_back(where + ": missing");
  return static_cast<const json*>(nullptr);
}

StatusOr<const json*> ReportReader::Typed(const json& object, const std::string& path,
                                          std::string_view key, Need need, json::value_t type) {
  ASSIGN_OR_RETURN(const json* value, Member(object, path, key, need));
  if (value != nullptr && value->type() != type) {
    return InvalidArgumentError(Join(path, key) + ": must be " + TypeName(json(type)) + ", got " +
                                TypeName(*value));
  }
  return value;
}

Status ReportReader::ReadString(const json& object, const std::string& path, std::string_view key,
                                Need need, std::string* out) {
  ASSIGN_OR_RETURN(const json* value, Typed(object, path, key, need, json::value_t::string));
  if (value != nullptr) *out = value->get<std::string>();
  return OkStatus();
}

Status ReportReader::ReadStringList(const json& object, const std::string& path,
                                    std::string_view key, std::vector<std::string>* out) {
  ASSIGN_OR_RETURN(const json* value, Member(object, path, key, Need::kOptional));
  if (value == nullptr) return OkStatus();
  if (value->is_string()) {
    // RFC 8460 Appendix B shows mx-host as a string although §4.4 says array (EID 6241).
    warnings_->push_back(Join(path, key) + ": a string, read as a one-element array");
    out->push_back(value->get<std::string>());
    return OkStatus();
  }
  if (!value->is_array()) {
    return InvalidArgumentError(Join(path, key) + ": must be an array of strings, got " +
                                TypeName(*value));
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const json& element = (*value)[i];
    if (!element.is_string()) {
      return InvalidArgumentError(Join(path, key) + "[" + std::to_string(i) +
                                  "]: must be a string, got " + TypeName(element));
    }
    out->push_back(element.get<std::string>());
  }
  return OkStatus();
}

Status ReportReader::ReadCount(const json& object, const std::string& path, std::string_view key,
                               int64_t* out) {
  ASSIGN_OR_RETURN(const json* value, Member(object, path, key, Need::kRequired));
  if (!value->is_number_unsigned() ||
      value->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    std::string got = value->is_number_integer() ? "a negative number" : TypeName(*value);
    return InvalidArgumentError(Join(path, key) + ": must be a non-negative integer, got " + got);
  }
  *out = static_cast<int64_t>(value->get<uint64_t>());
  return OkStatus();
}

Status ReportReader::ReadIp(const json& object, const std::string& path, std::string_view key,
                            std::string* out) {
  RETURN_IF_ERROR(ReadString(object, path, key, Need::kOptional, out));
  if (object.find(key) == object.end()) return OkStatus();
  unsigned char buf[16];
  if (inet_pton(AF_INET, out->c_str(), buf) == 1 || inet_pton(AF_INET6, out->c_str(), buf) == 1) {
    return OkStatus();
  }
  return Deviation(Join(path, key) + ": \"" + *out + "\" is not an IPv4 or IPv6 address");
}

Status ReportReader::ReadDateTime(const json& object, const std::string& path, std::string_view key,
                                  std::chrono::sys_seconds* out) {
  std::string text;
  ASSIGN_OR_RETURN(const json* value, Member(object, path, key, Need::kExpected));
  if (value == nullptr) return OkStatus();
  RETURN_IF_ERROR(ReadString(object, path, key, Need::kRequired, &text));
  std::optional<DateTime> parsed = ParseDateTime(text);
  if (!parsed) {
    return InvalidArgumentError(Join(path, key) + ": \"" + text +
                                "\" is not an RFC 3339 date-time like 2024-08-02T00:00:00Z");
  }
  *out = parsed->utc;
  if (parsed->had_offset) return OkStatus();
  return Deviation(Join(path, key) + ": \"" + text + "\" has no UTC offset; read as UTC");
}

Status ReportReader::Deviation(std::string what) {
  if (!tolerant_) return InvalidArgumentError(std::move(what));
  warnings_->push_back(std::move(what));
  return OkStatus();
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
