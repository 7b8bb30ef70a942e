#include "validate/report_text.h"

#include <algorithm>
#include <vector>

#include "base/printable.h"
#include "validate/check_text.h"

namespace mtasts::validate {
namespace {

constexpr const char* kPass = "[pass]";
constexpr const char* kWarn = "[warn]";
constexpr const char* kFail = "[FAIL]";
constexpr const char* kInfo = "[info]";

const char* MarkFor(const std::vector<const Finding*>& findings) {
  const char* mark = kPass;
  for (const Finding* f : findings) {
    if (f->severity == Severity::kError) return kFail;
    if (f->severity == Severity::kWarning) mark = kWarn;
  }
  return mark;
}

const char* MarkFor(const Finding& f) {
  switch (f.severity) {
    case Severity::kError:
      return kFail;
    case Severity::kWarning:
      return kWarn;
    case Severity::kInfo:
      return kInfo;
  }
  return kFail;
}

bool IsPolicyFinding(const Report& r, const Finding& f) {
  switch (f.code) {
    case FindingCode::kStsPolicyFetchError:
    case FindingCode::kStsWebPkiInvalid:
    case FindingCode::kStsPolicyInvalid:
    case FindingCode::kMaxAgeShort:
    case FindingCode::kMxPatternUnused:
      return true;
    default:
      return f.target == "mta-sts." + r.obs.domain;
  }
}

bool BelongsToHost(const MxHostObservation& host, const Finding& f) {
  if (f.target == host.mx.host && f.code != FindingCode::kMxMissing) return true;
  return std::any_of(host.addresses.begin(), host.addresses.end(),
                     [&](const SmtpObservation& a) { return a.ip == f.target; });
}

class Writer {
 public:
  // Every line passes here, and most hold bytes from outside: records, replies, names.
  void Line(int indent, const std::string& text) {
    out_.append(indent * 2, ' ');
    out_ += Printable(text);
    out_ += '\n';
  }
  void Findings(int indent, const std::vector<const Finding*>& findings) {
    for (const Finding* f : findings) {
      Line(indent, std::string(MarkFor(*f)) + " " + std::string(FindingCodeName(f->code)) + ": " +
                       f->message);
    }
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

std::string TxtSummary(const TxtObservation& txt, const RecordAnalysis& record) {
  if (!record.record.empty()) return txt.name + " \"" + record.record + "\"";
  if (txt.lookup == Lookup::kTemporaryFailure) return txt.name + " lookup failed";
  return txt.name + (record.candidates > 1 ? " has several records" : " has no record");
}

std::string PolicySummary(const Report& r) {
  const PolicyAnalysis& p = r.analysis.policy;
  std::string s = "policy " + r.obs.policy.url;
  if (!p.served) return s + ": not served";
  s += ": HTTP " + std::to_string(r.obs.policy.http_status) + " " + r.obs.policy.content_type;
  if (!p.valid) return s + ", invalid";
  s += ", mode " + p.mode + ", max_age " + std::to_string(p.max_age.value_or(0));
  return s + ", mx " + (p.mx_patterns.empty() ? "(none)" : JoinList(p.mx_patterns));
}

}  // namespace

std::string ReportToText(const Report& r, const CheckOptions& options) {
  std::vector<const Finding*> dns, policy;
  std::vector<std::vector<const Finding*>> hosts(r.obs.mx_hosts.size());
  for (const Finding& f : r.findings) {
    size_t i = 0;
    while (i < hosts.size() && !BelongsToHost(r.obs.mx_hosts[i], f)) ++i;
    if (i < hosts.size()) {
      hosts[i].push_back(&f);
    } else {
      (IsPolicyFinding(r, f) ? policy : dns).push_back(&f);
    }
  }
  Writer w;
  w.Line(0, r.obs.domain + ": " +
                (r.enforce_ready ? "ready for mode: enforce" : "NOT ready for mode: enforce"));
  w.Line(1, std::string(MarkFor(dns)) + " DNS");
  w.Line(2, TxtSummary(r.obs.sts_txt, r.analysis.sts));
  w.Line(2, TxtSummary(r.obs.tlsrpt_txt, r.analysis.tlsrpt));
  w.Findings(2, dns);
  w.Line(1, std::string(MarkFor(policy)) + " " + PolicySummary(r));
  w.Findings(2, policy);
  for (size_t i = 0; i < hosts.size(); ++i) {
    const MxHostObservation& host = r.obs.mx_hosts[i];
    const std::string name = host.mx.host.empty() ? "." : host.mx.host;
    w.Line(1, std::string(MarkFor(hosts[i])) + " MX " + name + " (priority " +
                  std::to_string(host.mx.priority) + ")" +
                  (!r.analysis.policy.valid   ? ", no valid policy to match"
                   : r.analysis.mx_covered[i] ? ", covered by the policy"
                                              : ", not covered by the policy"));
    for (const SmtpObservation& a : host.addresses) {
      const std::string problem = AddressProblem(host, a, r.obs.now, options);
      std::string line = (problem.empty() ? kPass : kFail) + std::string(" ") + a.ip;
      if (!a.tls_version.empty()) line += " " + a.tls_version;
      if (a.cert) line += ", certificate expires " + FormatDate(a.cert->leaf.not_after);
      w.Line(2, line + (problem.empty() ? "" : ": " + problem));
    }
    w.Findings(2, hosts[i]);
  }
  return w.Take();
}

}  // namespace mtasts::validate
