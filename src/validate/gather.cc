#include "validate/gather.h"

#include <algorithm>
#include <string>

#include "base/strings.h"

namespace mtasts::validate {
namespace {

Lookup ToLookup(dns::Outcome outcome) {
  if (outcome == dns::Outcome::kFound) return Lookup::kFound;
  if (dns::IsNoRecord(outcome)) return Lookup::kNoRecords;
  return Lookup::kTemporaryFailure;
}

std::string Describe(const std::string& error, dns::Outcome outcome) {
  if (!error.empty()) return error;
  return std::string(dns::OutcomeName(outcome));
}

}  // namespace

Observations Gatherer::Gather(std::string_view domain) {
  Observations obs;
  obs.domain = CanonicalDomain(domain);
  obs.now = clock_.Now();
  const Deadline deadline = clock_.SteadyNow() + limits_.deadline;
  obs.sts_txt = GatherTxt("_mta-sts." + obs.domain);
  obs.tlsrpt_txt = GatherTxt("_smtp._tls." + obs.domain);
  // The policy is fetched even without a TXT record: a served but unannounced policy is worth
  // reporting, and the operator serves before it announces.
  obs.policy.url = "https://mta-sts." + obs.domain + "/.well-known/mta-sts.txt";
  obs.policy.failure = PolicyFetchObservation::Failure::kNotFetched;
  if (!OutOfTime(deadline, "the policy", obs)) obs.policy = fetcher_.Fetch(obs.domain, deadline);
  if (!OutOfTime(deadline, "the MX records", obs)) GatherMx(obs, deadline);
  return obs;
}

bool Gatherer::OutOfTime(Deadline deadline, std::string what, Observations& obs) const {
  if (clock_.SteadyNow() < deadline) return false;
  obs.skipped.push_back({std::move(what), "the check's deadline of " +
                                              std::to_string(limits_.deadline.count()) +
                                              " seconds per domain"});
  return true;
}

TxtObservation Gatherer::GatherTxt(const std::string& name) {
  dns::TxtAnswer answer = resolver_.LookupTxt(name);
  TxtObservation txt;
  txt.name = name;
  txt.lookup = ToLookup(answer.outcome);
  for (const dns::TxtRecord& record : answer.records) txt.records.push_back(record.strings);
  if (txt.lookup == Lookup::kTemporaryFailure) txt.error = Describe(answer.error, answer.outcome);
  return txt;
}

void Gatherer::GatherMx(Observations& obs, Deadline deadline) {
  dns::MxAnswer answer = resolver_.LookupMx(obs.domain);
  obs.mx_lookup = ToLookup(answer.outcome);
  if (obs.mx_lookup == Lookup::kTemporaryFailure) {
    obs.mx_error = Describe(answer.error, answer.outcome);
    return;
  }
  std::vector<MxEntry> mxs;
  for (const dns::MxRecord& r : answer.records) {
    mxs.push_back({CanonicalDomain(r.host), r.priority});
  }
  if (mxs.empty()) {
    // RFC 5321 §5.1: no MX means the domain itself is the mail host.
    obs.implicit_mx = true;
    mxs.push_back({obs.domain, 0});
  }
  std::stable_sort(mxs.begin(), mxs.end(),
                   [](const MxEntry& a, const MxEntry& b) { return a.priority < b.priority; });
  for (size_t i = 0; i < mxs.size(); ++i) {
    if (i < limits_.max_mx_hosts) {
      obs.mx_hosts.push_back(GatherMxHost(mxs[i], deadline, obs));
      continue;
    }
    // Kept for the coverage checks, which cost nothing; not looked up, not probed.
    obs.mx_hosts.push_back({mxs[i], Lookup::kFound, "", {}});
    obs.skipped.push_back({mxs[i].host, "the limit of " + std::to_string(limits_.max_mx_hosts) +
                                            " MX hosts per domain"});
  }
}

MxHostObservation Gatherer::GatherMxHost(const MxEntry& mx, Deadline deadline, Observations& obs) {
  MxHostObservation host;
  host.mx = mx;
  if (mx.host.empty()) return host;  // null MX: nothing to connect to
  if (OutOfTime(deadline, mx.host, obs)) return host;
  dns::AddressAnswer answer = resolver_.LookupAddresses(mx.host);
  host.address_lookup = ToLookup(answer.outcome);
  if (!answer.found()) {
    host.address_error = Describe(answer.error, answer.outcome);
    return host;
  }
  for (size_t i = 0; i < answer.records.size(); ++i) {
    const std::string& ip = answer.records[i].address;
    if (i >= limits_.max_addresses) {
      obs.skipped.push_back(
          {ip + " (" + mx.host + ")",
           "the limit of " + std::to_string(limits_.max_addresses) + " addresses per MX host"});
    } else if (!OutOfTime(deadline, ip + " (" + mx.host + ")", obs)) {
      host.addresses.push_back(prober_.Probe(mx.host, ip, deadline));
    }
  }
  return host;
}

}  // namespace mtasts::validate
