#include "dns/ares_resolver.h"

#include <ares.h>

#include <algorithm>
#include <utility>

#include "base/strings.h"
#include "dns/ares_channel.h"
#include "dns/dns_message.h"

namespace mtasts::dns {

// One question being answered, possibly over several rounds when a CNAME target has to be asked
// for separately (an authoritative server does not chase targets outside its zones).
struct PendingQuery {
  PendingQuery(std::string_view asked, uint16_t t, int hops)
      : name(asked), type(t), current(asked), hops_left(hops) {}

  std::string name;  // as asked by the caller
  uint16_t type;
  std::string current;  // the name to ask next
  int hops_left;
  int next_server = 0;    // the server to ask first this round
  std::string failovers;  // "127.0.0.1:53 answered REFUSED; " for each server left behind
  bool done = false;
  Outcome outcome = Outcome::kBadResponse;
  std::vector<std::string> cname_chain;
  std::vector<ResourceRecord> records;
  std::string error;

  void Fail(Outcome o, std::string message) {
    outcome = o;
    error = std::move(message);
    done = true;
  }
};

namespace {

std::string_view TypeName(uint16_t type) {
  switch (type) {
    case kTypeA:
      return "A";
    case kTypeAaaa:
      return "AAAA";
    case kTypeMx:
      return "MX";
    case kTypeTxt:
      return "TXT";
    default:
      return "?";
  }
}

Outcome OutcomeOfAresStatus(int status) {
  switch (status) {
    case ARES_ENOTFOUND:
      return Outcome::kNxDomain;
    case ARES_ENODATA:
      return Outcome::kNoData;
    case ARES_ESERVFAIL:
      return Outcome::kServFail;
    case ARES_EREFUSED:
      return Outcome::kRefused;
    case ARES_ETIMEOUT:
      return Outcome::kTimeout;
    case ARES_ECONNREFUSED:
      return Outcome::kUnreachable;
    default:
      return Outcome::kBadResponse;
  }
}

}  // namespace

StatusOr<std::unique_ptr<AresResolver>> AresResolver::Create(ResolverOptions options) {
  if (options.timeout.count() <= 0 || options.tries <= 0 || options.max_channels <= 0 ||
      options.max_cname_hops < 0) {
    return InvalidArgumentError(
        "resolver options: timeout, tries and max_channels must be positive");
  }
  ChannelSettings settings;
  for (const std::string& server : options.servers) {
    if (!settings.servers_csv.empty()) settings.servers_csv += ',';
    settings.servers_csv += server;
  }
  settings.timeout = options.timeout;
  settings.tries = options.tries;
  // Create one channel now so that a bad server list fails here, not at the first lookup.
  ASSIGN_OR_RETURN(std::unique_ptr<AresChannel> probe, AresChannel::Create(settings));
  probe.reset();
  auto pool = std::make_unique<ChannelPool>(std::move(settings), options.max_channels);
  return std::unique_ptr<AresResolver>(new AresResolver(std::move(options), std::move(pool)));
}

AresResolver::AresResolver(ResolverOptions options, std::unique_ptr<ChannelPool> pool)
    : options_(std::move(options)), pool_(std::move(pool)) {}

AresResolver::~AresResolver() = default;

// A SERVFAIL or REFUSED answer: the next configured server is asked, as the system resolver
// does; after the last one, the query fails naming what each server answered.
static void FailOver(const RawAnswer& raw, PendingQuery& q, Outcome o, const std::string& what,
                     const std::vector<std::string>& servers) {
  std::string said = (raw.server >= 0 ? servers[raw.server] : std::string("the server")) +
                     (o == Outcome::kServFail ? " answered SERVFAIL" : " answered REFUSED");
  if (raw.server >= 0 && raw.server + 1 < static_cast<int>(servers.size())) {
    q.failovers += said + "; ";
    q.next_server = raw.server + 1;  // asked next round
    return;
  }
  q.Fail(o, what + ": " + q.failovers + said);
}

// Reads one round's raw answer into the query: done, the next server to ask, or a CNAME target
// to ask for next.
static void Absorb(const RawAnswer& raw, PendingQuery& q, const std::vector<std::string>& servers,
                   int timeout_ms, int tries) {
  std::string what = std::string(TypeName(q.type)) + " " + q.current;
  if (!raw.done) return q.Fail(Outcome::kBadResponse, what + ": the query did not complete");
  if (raw.bytes.empty()) {
    Outcome o = OutcomeOfAresStatus(raw.ares_status);
    std::string why = o == Outcome::kTimeout ? "no answer after " + std::to_string(tries) +
                                                   " tries of " + std::to_string(timeout_ms) + " ms"
                                             : ares_strerror(raw.ares_status);
    return q.Fail(o, what + ": " + q.failovers + why);
  }
  StatusOr<Message> message = DecodeMessage(raw.bytes.data(), raw.bytes.size());
  if (!message.ok()) return q.Fail(Outcome::kBadResponse, what + ": " + message.status().message());
  // Before the chain is read: the next server may answer the same name with the same CNAMEs.
  if (message->rcode == kRcodeServFail) return FailOver(raw, q, Outcome::kServFail, what, servers);
  if (message->rcode == kRcodeRefused) return FailOver(raw, q, Outcome::kRefused, what, servers);
  ChainedAnswer chain = FollowChain(*message, q.current, q.type);
  for (const std::string& target : chain.cname_chain) {
    bool seen =
        target == CanonicalDomain(q.name) ||
        std::find(q.cname_chain.begin(), q.cname_chain.end(), target) != q.cname_chain.end();
    if (seen || chain.loop)
      return q.Fail(Outcome::kBadResponse, what + ": CNAME loop at " + target);
    q.cname_chain.push_back(target);
  }
  switch (message->rcode) {
    case kRcodeNoError:
      break;
    case kRcodeNxDomain:
      return q.Fail(Outcome::kNxDomain, what + ": no such name (NXDOMAIN)");
    default:
      return q.Fail(Outcome::kBadResponse,
                    what + ": the server answered rcode " + std::to_string(message->rcode));
  }
  for (const ResourceRecord* rr : chain.records) q.records.push_back(*rr);
  if (!q.records.empty()) {
    q.outcome = Outcome::kFound;
    q.done = true;
  } else if (!chain.cname_chain.empty()) {
    if (q.hops_left-- <= 0) return q.Fail(Outcome::kBadResponse, what + ": CNAME chain too long");
    q.current = chain.cname_chain.back();  // ask the target itself next round
    q.next_server = 0;
    q.failovers.clear();
  } else {
    q.Fail(Outcome::kNoData,
           what + ": the name has no " + std::string(TypeName(q.type)) + " record (NODATA)");
  }
}

void AresResolver::Run(const std::vector<PendingQuery*>& queries) {
  StatusOr<ChannelPool::Lease> lease = pool_->Borrow();
  if (!lease.ok()) {
    for (PendingQuery* q : queries) q->Fail(Outcome::kUnreachable, lease.status().message());
    return;
  }
  for (;;) {
    std::vector<std::pair<PendingQuery*, RawAnswer>> round;
    for (PendingQuery* q : queries) {
      if (!q->done) round.emplace_back(q, RawAnswer{});
    }
    if (round.empty()) return;
    for (auto& [q, raw] : round) (*lease)->Start(q->current, q->type, q->next_server, &raw);
    (*lease)->Wait();
    for (auto& [q, raw] : round) {
      Absorb(raw, *q, (*lease)->servers(), static_cast<int>(options_.timeout.count()),
             options_.tries);
    }
  }
}

namespace {

TxtRecord ToTxt(const ResourceRecord& rr) { return {rr.strings, rr.ttl}; }
MxRecord ToMx(const ResourceRecord& rr) { return {rr.priority, rr.name, rr.ttl}; }
AddressRecord ToAddress(const ResourceRecord& rr) {
  return {rr.address, rr.type == kTypeAaaa, rr.ttl};
}

template <typename Record, typename Convert>
Answer<Record> ToAnswer(const std::string& name, Outcome outcome, std::vector<std::string> chain,
                        const std::vector<ResourceRecord>& records, std::string error,
                        Convert convert) {
  Answer<Record> out;
  out.outcome = outcome;
  out.name = name;
  out.cname_chain = std::move(chain);
  out.error = std::move(error);
  for (const ResourceRecord& rr : records) out.records.push_back(convert(rr));
  return out;
}

}  // namespace

TxtAnswer AresResolver::LookupTxt(std::string_view name) {
  PendingQuery q(name, kTypeTxt, options_.max_cname_hops);
  Run({&q});
  return ToAnswer<TxtRecord>(q.name, q.outcome, q.cname_chain, q.records, q.error, ToTxt);
}

MxAnswer AresResolver::LookupMx(std::string_view name) {
  PendingQuery q(name, kTypeMx, options_.max_cname_hops);
  Run({&q});
  return ToAnswer<MxRecord>(q.name, q.outcome, q.cname_chain, q.records, q.error, ToMx);
}

AddressAnswer AresResolver::LookupAddresses(std::string_view name) {
  PendingQuery a(name, kTypeA, options_.max_cname_hops);
  PendingQuery aaaa(name, kTypeAaaa, options_.max_cname_hops);
  Run({&a, &aaaa});
  auto rank = [](Outcome o) {  // which outcome speaks for the pair when neither found records
    return o == Outcome::kNoData ? 0 : o == Outcome::kNxDomain ? 1 : 2;
  };
  const PendingQuery& lead = a.outcome == Outcome::kFound           ? a
                             : aaaa.outcome == Outcome::kFound      ? aaaa
                             : rank(aaaa.outcome) > rank(a.outcome) ? aaaa
                                                                    : a;
  std::vector<ResourceRecord> records = a.records;
  records.insert(records.end(), aaaa.records.begin(), aaaa.records.end());
  std::string error = lead.outcome == Outcome::kFound ? "" : a.error + "; " + aaaa.error;
  return ToAnswer<AddressRecord>(lead.name, lead.outcome, lead.cname_chain, records, error,
                                 ToAddress);
}

}  // namespace mtasts::dns
