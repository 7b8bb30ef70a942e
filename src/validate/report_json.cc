#include "validate/report_json.h"

#include <string>

#include "base/json_text.h"
#include "base/strings.h"
#include "base/utc_time.h"

namespace mtasts::validate {
namespace {

using nlohmann::json;

std::string LookupName(Lookup lookup) {
  switch (lookup) {
    case Lookup::kFound:
      return "found";
    case Lookup::kNoRecords:
      return "none";
    case Lookup::kTemporaryFailure:
      return "temporary-failure";
  }
  return "temporary-failure";
}

json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json TxtToJson(const TxtObservation& txt, const RecordAnalysis& record) {
  json records = json::array();
  for (const auto& rr : txt.records) records.push_back(JoinTxtStrings(rr));
  return {{"name", txt.name},
          {"lookup", LookupName(txt.lookup)},
          {"records", records},
          {"selected", NullIfEmpty(record.record)},
          {"valid", record.valid}};
}

json CertToJson(const std::optional<CertFacts>& cert) {
  if (!cert) return nullptr;
  return {{"subject", cert->leaf.subject},
          {"san", cert->leaf.dns_names},
          {"issuer", cert->leaf.issuer},
          {"not_after", FormatUtc(cert->leaf.not_after)}};
}

json PolicyToJson(const Report& r) {
  const PolicyFetchObservation& fetch = r.obs.policy;
  const PolicyAnalysis& policy = r.analysis.policy;
  if (!policy.served) return nullptr;
  json out = {{"url", fetch.url},
              {"http_status", fetch.http_status},
              {"content_type", fetch.content_type},
              {"valid", policy.valid},
              {"errors", policy.errors},
              {"mode", NullIfEmpty(policy.mode)},
              {"max_age", policy.max_age ? json(*policy.max_age) : json(nullptr)},
              {"mx", policy.mx_patterns},
              {"cert", CertToJson(fetch.cert)}};
  return out;
}

json MxToJson(const Report& r, const CheckOptions& options) {
  json out = json::array();
  for (size_t i = 0; i < r.obs.mx_hosts.size(); ++i) {
    const MxHostObservation& host = r.obs.mx_hosts[i];
    json addresses = json::array();
    for (const SmtpObservation& a : host.addresses) {
      const std::string problem = AddressProblem(host, a, r.obs.now, options);
      addresses.push_back({{"ip", a.ip},
                           {"starttls", a.starttls_offered},
                           {"tls_version", NullIfEmpty(a.tls_version)},
                           {"cert", CertToJson(a.cert)},
                           {"ok", problem.empty()},
                           {"error", NullIfEmpty(problem)}});
    }
    out.push_back({{"host", host.mx.host.empty() ? "." : host.mx.host},
                   {"priority", host.mx.priority},
                   {"covered", static_cast<bool>(r.analysis.mx_covered[i])},
                   {"addresses", addresses}});
  }
  return out;
}

}  // namespace

json ReportToJson(const Report& r, const CheckOptions& options) {
  json sts = TxtToJson(r.obs.sts_txt, r.analysis.sts);
  sts["id"] = NullIfEmpty(r.analysis.sts.id);
  json tlsrpt = TxtToJson(r.obs.tlsrpt_txt, r.analysis.tlsrpt);
  tlsrpt["rua"] = r.analysis.tlsrpt.rua;
  json findings = json::array();
  for (const Finding& f : r.findings) {
    findings.push_back({{"code", FindingCodeName(f.code)},
                        {"severity", SeverityName(f.severity)},
                        {"target", f.target},
                        {"message", f.message}});
  }
  // Records, replies and certificate names are bytes from outside: shown, never passed raw.
  return PrintableJson({{"domain", r.obs.domain},
                        {"txt", {{"mta_sts", sts}, {"tls_rpt", tlsrpt}}},
                        {"policy", PolicyToJson(r)},
                        {"mx", MxToJson(r, options)},
                        {"findings", findings},
                        {"enforce_ready", r.enforce_ready}});
}

}  // namespace mtasts::validate
