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
  obs.sts_txt = GatherTxt("_mta-sts." + obs.domain);
  obs.tlsrpt_txt = GatherTxt("_smtp._tls." + obs.domain);
  // The policy is fetched even without a TXT record: a served but unannounced policy is worth
  // reporting, and the operator serves before it announces.
  obs.policy = fetcher_.Fetch(obs.domain);
  GatherMx(obs);
  return obs;
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

void Gatherer::GatherMx(Observations& obs) {
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
  for (const MxEntry& mx : mxs) obs.mx_hosts.push_back(GatherMxHost(mx));
}

MxHostObservation Gatherer::GatherMxHost(const MxEntry& mx) {
  MxHostObservation host;
  host.mx = mx;
  if (mx.host.empty()) return host;  // null MX: nothing to connect to
  dns::AddressAnswer answer = resolver_.LookupAddresses(mx.host);
  host.address_lookup = ToLookup(answer.outcome);
  if (!answer.found()) {
    host.address_error = Describe(answer.error, answer.outcome);
    return host;
  }
  for (const dns::AddressRecord& address : answer.records) {
    host.addresses.push_back(prober_.Probe(mx.host, address.address));
  }
  return host;
}

}  // namespace mtasts::validate
