#include "validate/analysis.h"

#include <algorithm>

#include "base/strings.h"
#include "policy/issue.h"
#include "policy/mx_pattern.h"
#include "policy/policy_file.h"
#include "policy/sts_record.h"
#include "policy/tlsrpt_record.h"

namespace mtasts::validate {
namespace {

template <typename T>
std::vector<std::string> Issues(const policy::Parsed<T>& parsed, Severity severity) {
  std::vector<std::string> out;
  for (const policy::Issue& issue : parsed.issues) {
    // max_age gets its own finding (max-age-short); the selection's lookalike warning too.
    if (issue.code == policy::issue_code::kMaxAgeShort ||
        issue.code == policy::issue_code::kMaxAgeZero ||
        issue.code == policy::issue_code::kLookalikeRecord) {
      continue;
    }
    if (issue.severity == severity) out.push_back(policy::FormatIssue(issue));
  }
  return out;
}

template <typename T>
std::vector<std::string> Errors(const policy::Parsed<T>& parsed) {
  return Issues(parsed, Severity::kError);
}

std::string FirstError(const std::vector<std::string>& errors) {
  return errors.empty() ? "" : errors.front();
}

int CountStartingWith(const policy::TxtRrset& rrset, std::string_view version) {
  int n = 0;
  for (const policy::TxtRr& rr : rrset) {
    if (JoinTxtStrings(rr).starts_with(version)) ++n;
  }
  return n;
}

// Selection first, so "none" and "several" are told apart from "one that does not parse".
template <typename Select, typename Parse>
RecordAnalysis AnalyzeRecord(const TxtObservation& txt, std::string_view version, Select select,
                             Parse parse) {
  RecordAnalysis out;
  if (txt.lookup != Lookup::kFound) return out;
  policy::Parsed<std::string> selected = select(txt.records);
  if (!selected.ok()) {
    // no_record or multiple_records; count what a prefix-matching sender counts.
    out.candidates = CountStartingWith(txt.records, version);
    if (out.candidates == 1) out.candidates = 2;  // a lookalike made the selection ambiguous
    for (const policy::Issue& i : selected.issues) {
      if (i.code == policy::issue_code::kNoRecord) out.candidates = 0;
    }
    return out;
  }
  out.candidates = 1;
  out.record = *selected.value;
  for (const policy::Issue& i : selected.issues) {
    if (i.code == policy::issue_code::kLookalikeRecord) out.lookalike = true;
  }
  auto parsed = parse(out.record);
  out.valid = parsed.ok();
  out.error = FirstError(Errors(parsed));
  out.warnings = Issues(parsed, Severity::kWarning);
  return out;
}

PolicyAnalysis AnalyzePolicy(const PolicyFetchObservation& fetch) {
  PolicyAnalysis out;
  out.served = fetch.failure == PolicyFetchObservation::Failure::kNone && fetch.http_status == 200;
  if (!out.served) return out;
  policy::ParsedPolicy parsed = policy::ParsePolicy(fetch.body);
  out.errors = Errors(parsed);
  out.warnings = Issues(parsed, Severity::kWarning);
  out.valid = parsed.ok();
  if (parsed.ok()) {
    out.mode = std::string(policy::ModeName(parsed.value->mode));
    out.max_age = parsed.value->max_age;
    out.mx_patterns = parsed.value->mx;
  }
  return out;
}

}  // namespace

Analysis Analyze(const Observations& obs) {
  Analysis a;
  a.sts = AnalyzeRecord(obs.sts_txt, "v=STSv1", policy::SelectStsRecord,
                        [](const std::string& r) { return policy::ParseStsRecord(r); });
  if (a.sts.valid) a.sts.id = policy::ParseStsRecord(a.sts.record).value->id;
  a.tlsrpt = AnalyzeRecord(obs.tlsrpt_txt, "v=TLSRPTv1", policy::SelectTlsRptRecord,
                           [](const std::string& r) { return policy::ParseTlsRptRecord(r); });
  if (a.tlsrpt.valid) a.tlsrpt.rua = policy::ParseTlsRptRecord(a.tlsrpt.record).value->rua;
  a.policy = AnalyzePolicy(obs.policy);
  for (const MxHostObservation& host : obs.mx_hosts) {
    if (host.mx.host.empty()) a.null_mx = true;
    a.mx_covered.push_back(policy::MxHostCovered(a.policy.mx_patterns, host.mx.host));
  }
  for (const std::string& pattern : a.policy.mx_patterns) {
    a.pattern_used.push_back(std::any_of(
        obs.mx_hosts.begin(), obs.mx_hosts.end(),
        [&](const MxHostObservation& h) { return policy::MxPatternMatches(pattern, h.mx.host); }));
  }
  return a;
}

}  // namespace mtasts::validate
