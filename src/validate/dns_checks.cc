// Checks of what the DNS publishes: the _mta-sts and _smtp._tls records and the MX set.
#include <string>

#include "validate/check_text.h"
#include "validate/checks.h"

namespace mtasts::validate {
namespace {

void AddTemporaryFailure(const std::string& name, const std::string& what, const std::string& error,
                         Findings* out) {
  out->push_back({FindingCode::kDnsTemporaryFailure, Severity::kError, name,
                  "the " + what + " lookup for " + name + " failed (" + error +
                      "); nothing can be concluded about it: check that the domain's "
                      "authoritative servers answer, then run the check again"});
}

}  // namespace

void CheckDnsLookups(const Input& in, Findings* out) {
  const Observations& obs = in.obs;
  for (const TxtObservation* txt : {&obs.sts_txt, &obs.tlsrpt_txt}) {
    if (txt->lookup == Lookup::kTemporaryFailure) {
      AddTemporaryFailure(txt->name, "TXT", txt->error, out);
    }
  }
  if (obs.mx_lookup == Lookup::kTemporaryFailure) {
    AddTemporaryFailure(obs.domain, "MX", obs.mx_error, out);
  }
  for (const MxHostObservation& host : obs.mx_hosts) {
    if (host.address_lookup == Lookup::kTemporaryFailure) {
      AddTemporaryFailure(host.mx.host, "A/AAAA", host.address_error, out);
    }
  }
}

void CheckStsTxt(const Input& in, Findings* out) {
  const TxtObservation& txt = in.obs.sts_txt;
  const RecordAnalysis& sts = in.analysis.sts;
  if (txt.lookup == Lookup::kTemporaryFailure) return;  // reported by CheckDnsLookups
  if (sts.candidates == 0) {
    out->push_back({FindingCode::kStsTxtMissing, Severity::kError, txt.name,
                    "no v=STSv1 TXT record at " + txt.name +
                        ", so senders never look for a policy; publish \"v=STSv1; id=<id>\" "
                        "there (id: 1-32 letters and digits)"});
  } else if (sts.candidates > 1) {
    out->push_back({FindingCode::kStsTxtMultiple, Severity::kError, txt.name,
                    std::to_string(sts.candidates) + " v=STSv1 TXT records at " + txt.name +
                        ", so senders assume there is no policy (RFC 8461 §3.1); keep exactly "
                        "one and delete the others"});
  } else if (!sts.valid) {
    out->push_back({FindingCode::kStsTxtInvalid, Severity::kError, txt.name,
                    "the TXT record \"" + sts.record + "\" at " + txt.name + " is invalid (" +
                        sts.error + "), so senders ignore it; publish exactly \"v=STSv1; " +
                        "id=<id>\" with an id of 1-32 letters and digits"});
  } else if (sts.lookalike) {
    out->push_back({FindingCode::kStsTxtMultiple, Severity::kWarning, txt.name,
                    txt.name + " also holds a record that begins with v=STSv1 but is not the "
                               "policy record; senders that match the prefix (Postfix's "
                               "resolver, mailauth) see two records and no policy: delete it"});
  } else if (!sts.warnings.empty()) {
    out->push_back({FindingCode::kStsTxtInvalid, Severity::kWarning, txt.name,
                    "the TXT record \"" + sts.record + "\" at " + txt.name +
                        " is accepted by strict senders, but " + JoinList(sts.warnings, "; ") +
                        "; publish exactly \"v=STSv1; id=<id>\""});
  }
}

void CheckTlsRptTxt(const Input& in, Findings* out) {
  const TxtObservation& txt = in.obs.tlsrpt_txt;
  const RecordAnalysis& rpt = in.analysis.tlsrpt;
  if (txt.lookup == Lookup::kTemporaryFailure) return;
  if (rpt.candidates == 0) {
    out->push_back({FindingCode::kTlsRptTxtMissing, Severity::kWarning, txt.name,
                    "no v=TLSRPTv1 TXT record at " + txt.name +
                        ", so nobody tells you when senders fail to deliver securely; publish "
                        "\"v=TLSRPTv1; rua=mailto:tlsrpt@" +
                        in.obs.domain + "\""});
  } else if (rpt.candidates > 1) {
    out->push_back({FindingCode::kTlsRptTxtInvalid, Severity::kWarning, txt.name,
                    std::to_string(rpt.candidates) + " v=TLSRPTv1 TXT records at " + txt.name +
                        ", so senders send no reports (RFC 8460 §3); keep exactly one"});
  } else if (!rpt.valid) {
    out->push_back({FindingCode::kTlsRptTxtInvalid, Severity::kWarning, txt.name,
                    "the TXT record \"" + rpt.record + "\" at " + txt.name + " is invalid (" +
                        rpt.error +
                        "), so senders send no reports; publish "
                        "\"v=TLSRPTv1; rua=mailto:<address>\" (mailto: or https: URIs)"});
  }
}

void CheckMxSet(const Input& in, Findings* out) {
  const Observations& obs = in.obs;
  if (in.analysis.null_mx) {
    out->push_back({FindingCode::kMxNull, Severity::kInfo, obs.domain,
                    obs.domain + " publishes a null MX (RFC 7505): it accepts no mail, so "
                                 "MTA-STS protects nothing here; remove the null MX if the "
                                 "domain should receive mail"});
  } else if (obs.implicit_mx) {
    out->push_back({FindingCode::kMxMissing, Severity::kWarning, obs.domain,
                    obs.domain + " has no MX records, so senders deliver to its own address "
                                 "(RFC 5321 §5.1) and it is checked as the mail host; publish "
                                 "an MX record naming the real mail host"});
  }
}

void CheckPrivateAddresses(const Input& in, Findings* out) {
  // Refused addresses were never probed, so nothing else vouches for them: that blocks enforce.
  // Probed ones were judged like any other, and only a person's check probes them.
  const auto severity = [](bool refused) {
    return refused ? Severity::kError : Severity::kWarning;
  };
  const auto not_probed = [](bool refused) { return refused ? " (not probed)" : ""; };
  const PolicyFetchObservation& policy = in.obs.policy;
  if (!policy.private_range.empty()) {
    const bool refused = policy.failure == PolicyFetchObservation::Failure::kPrivateAddress;
    const std::string host = "mta-sts." + in.obs.domain;
    out->push_back({FindingCode::kPolicyAddressPrivate, severity(refused), host,
                    host + " resolves to the " + policy.private_range + " range" +
                        not_probed(refused) +
                        ", which public senders cannot reach, so they find no policy; "
                        "publish its public address"});
  }
  for (const MxHostObservation& host : in.obs.mx_hosts) {
    for (const SmtpObservation& address : host.addresses) {
      if (address.private_range.empty()) continue;
      out->push_back({FindingCode::kMxAddressPrivate, severity(address.refused), address.ip,
                      host.mx.host + " has the address " + address.ip + " in the " +
                          address.private_range + " range" + not_probed(address.refused) +
                          ", which public senders cannot reach; publish the MX's public "
                          "address instead"});
    }
  }
}

}  // namespace mtasts::validate
