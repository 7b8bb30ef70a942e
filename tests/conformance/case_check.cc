#include "case_check.h"

#include "error_code.h"
#include "policy/mx_pattern.h"
#include "policy/policy_file.h"
#include "policy/policy_response.h"
#include "policy/sts_record.h"
#include "policy/tlsrpt_record.h"
#include "tlsrpt/report.h"

namespace mtasts::conformance {
namespace {

using json = nlohmann::json;
namespace p = mtasts::policy;

// What the project's code concluded about a case's input.
struct Outcome {
  bool valid = false;
  json fields = json::object();  // in the shape of `expect`
  std::string why_invalid;
  std::string error_code;  // the issue code of why_invalid, where the parser has one
  std::string malformed;   // the case could not be evaluated
  std::string selected;    // the record chosen from the case's rrset
};

// Records the first error of `issues` as why `out` is invalid; false if there is none.
bool NoteFirstError(const std::vector<p::Issue>& issues, Outcome* out) {
  for (const p::Issue& i : issues) {
    if (i.severity != Severity::kError) continue;
    out->why_invalid = p::FormatIssue(i);
    out->error_code = i.code;
    return true;
  }
  return false;
}

json Extensions(const std::vector<std::pair<std::string, std::string>>& extensions) {
  json out = json::object();
  for (const auto& [name, value] : extensions) out[name] = value;
  return out;
}

p::TxtRrset ToRrset(const json& rrset) {
  p::TxtRrset out;
  for (const json& rr : rrset) out.push_back(rr.get<p::TxtRr>());
  return out;
}

// Parses a TXT case, through selection when it has an rrset. `Record` is StsRecord or
// TlsRptRecord; `fill` adds the kind's own fields.
template <typename Record, typename Select, typename Parse, typename Fill>
Outcome EvaluateTxt(const VectorCase& c, Select select, Parse parse, Fill fill) {
  Outcome out;
  std::string record = c.input;
  if (c.rrset) {
    p::Parsed<std::string> selected = select(ToRrset(*c.rrset));
    if (!selected.ok()) {
      NoteFirstError(selected.issues, &out);
      return out;
    }
    record = out.selected = *selected.value;  // parse what selection kept, not the input
  }
  p::Parsed<Record> parsed = parse(record);
  out.valid = parsed.ok();
  if (!out.valid) {
    NoteFirstError(parsed.issues, &out);
    return out;
  }
  fill(*parsed.value, &out.fields);
  out.fields["extensions"] = Extensions(parsed.value->extensions);
  return out;
}

Outcome EvaluatePolicy(const VectorCase& c) {
  Outcome out;
  p::ParsedPolicy parsed = p::ParsePolicy(c.input);
  std::vector<p::Issue> issues = parsed.issues;
  if (c.context) {
    const json& ctx = *c.context;
    p::PolicyResponse response;
    try {
      response.http_status = ctx.value("http_status", 200);
      response.content_type = ctx.value("content_type", std::string("text/plain"));
      response.redirected = ctx.value("redirected", false);
    } catch (const json::exception&) {
      out.malformed = "context fields have the wrong types";
      return out;
    }
    std::vector<p::Issue> http = p::CheckPolicyResponse(response);
    issues.insert(issues.begin(), http.begin(), http.end());
  }
  out.valid = !NoteFirstError(issues, &out) && parsed.ok();
  if (!out.valid) return out;
  const p::Policy& policy = *parsed.value;
  out.fields = {{"version", policy.version},
                {"mode", p::ModeName(policy.mode)},
                {"max_age", policy.max_age},
                {"mx", policy.mx},
                {"extensions", Extensions(policy.extensions)}};
  return out;
}

Outcome EvaluateMxMatch(const VectorCase& c) {
  Outcome out;
  std::string pattern = c.expect["pattern"].get<std::string>();
  Status status = p::ValidateMxPattern(pattern);
  out.valid = status.ok();
  out.why_invalid = status.message();
  out.fields = {
      {"pattern", pattern}, {"host", c.input}, {"match", p::MxPatternMatches(pattern, c.input)}};
  return out;
}

Outcome EvaluateReport(const VectorCase& c) {
  Outcome out;
  StatusOr<tlsrpt::ParsedReport> parsed =
      tlsrpt::ParseReport(c.input, tlsrpt::ReportParseMode::kStrict);
  out.valid = parsed.ok();
  if (!out.valid) {
    out.why_invalid = parsed.status().message();
    return out;
  }
  const tlsrpt::Report& report = parsed->report;
  json policies = json::array();
  for (const tlsrpt::PolicyResult& policy : report.policies) {
    json result_types = json::array();
    for (const tlsrpt::FailureDetail& d : policy.failure_details)
      result_types.push_back(d.result_type);
    policies.push_back({{"policy-type", tlsrpt::PolicyTypeName(policy.policy_type)},
                        {"policy-domain", policy.policy_domain},
                        {"mx-host", policy.mx_host},
                        {"total-successful-session-count", policy.total_successful_session_count},
                        {"total-failure-session-count", policy.total_failure_session_count},
                        {"result-types", result_types}});
  }
  out.fields = {{"organization-name", report.organization_name},
                {"contact-info", report.contact_info},
                {"report-id", report.report_id},
                {"policies", policies}};
  return out;
}

Outcome Evaluate(const VectorCase& c) {
  if (c.kind == "txt") {
    return EvaluateTxt<p::StsRecord>(c, p::SelectStsRecord, p::ParseStsRecord,
                                     [](const p::StsRecord& r, json* f) {
                                       (*f)["v"] = "STSv1";
                                       (*f)["id"] = r.id;
                                     });
  }
  if (c.kind == "tlsrpt_txt") {
    return EvaluateTxt<p::TlsRptRecord>(c, p::SelectTlsRptRecord, p::ParseTlsRptRecord,
                                        [](const p::TlsRptRecord& r, json* f) {
                                          (*f)["v"] = "TLSRPTv1";
                                          (*f)["rua"] = r.rua;
                                        });
  }
  if (c.kind == "policy") return EvaluatePolicy(c);
  if (c.kind == "mx_match") return EvaluateMxMatch(c);
  return EvaluateReport(c);
}

// The first place where `actual` differs from `expected`, as "path: expected X, got Y", or "".
std::string FirstDifference(const json& expected, const json& actual, const std::string& path) {
  if (expected.is_array() && actual.is_array() && expected.size() == actual.size()) {
    for (size_t i = 0; i < expected.size(); ++i) {
      std::string d = FirstDifference(expected[i], actual[i], path + "[" + std::to_string(i) + "]");
      if (!d.empty()) return d;
    }
    return "";
  }
  if (expected.is_object() && actual.is_object() && expected.size() == actual.size()) {
    for (const auto& [key, value] : expected.items()) {
      if (!actual.contains(key)) break;
      std::string d = FirstDifference(value, actual[key], path + "." + key);
      if (!d.empty()) return d;
    }
    if (expected == actual) return "";
  }
  if (expected == actual) return "";
  return path + ": expected " + expected.dump() + ", got " + actual.dump();
}

}  // namespace

std::string CheckCase(const VectorCase& c) {
  if (!c.malformed.empty()) return "malformed case: " + c.malformed;
  Outcome got = Evaluate(c);
  if (!got.malformed.empty()) return "malformed case: " + got.malformed;
  if (got.valid != c.valid) {
    return c.valid ? "expected valid, got invalid: " + got.why_invalid
                   : "expected invalid, got valid";
  }
  if (c.rrset && c.valid && got.selected != c.input) {
    return "selection keeps " + json(got.selected).dump() + " but the case's input is " +
           json(c.input).dump();
  }
  if (!c.valid && c.expect.contains("error")) {
    std::string why = CompareErrorCode(c.kind, c.expect["error"].get<std::string>(),
                                       {got.error_code, got.why_invalid});
    if (!why.empty()) return "error: " + why;
  }
  for (const auto& [key, expected] : c.expect.items()) {
    if (key == "error") continue;
    auto actual = got.fields.find(key);
    if (actual == got.fields.end()) {
      if (!c.valid) continue;  // an invalid input has no parsed fields
      return "expect." + key + " is not a field of kind " + c.kind;
    }
    if (std::string d = FirstDifference(expected, *actual, key); !d.empty()) return d;
  }
  return "";
}

}  // namespace mtasts::conformance
