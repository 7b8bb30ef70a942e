// Resolver: the DNS seam. Answers TXT, MX and address questions and says precisely why there is
// no answer, because "no record" (NXDOMAIN, NODATA) and "could not ask" (SERVFAIL, REFUSED,
// timeout, unreachable server) lead to opposite decisions: the first is a fact about the domain,
// the second is a reason to retry later and never a reason to change published state.
//
// CNAMEs are followed (a `_mta-sts` name may be delegated by CNAME, RFC 8461 §8.2); every answer
// reports the chain it followed, in order, so callers can show the delegation target.
//
// Thread-safety: implementations are thread-safe; any number of threads may call the Lookup
// methods at once (see AresResolver for how concurrency is bounded).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mtasts::dns {

enum class Outcome {
  kFound,        // at least one record of the asked type
  kNxDomain,     // the name does not exist
  kNoData,       // the name exists but has no record of the asked type
  kServFail,     // the server answered SERVFAIL
  kRefused,      // the server answered REFUSED
  kTimeout,      // no answer within timeout x tries
  kUnreachable,  // no server could be reached (nothing listening, network error)
  kBadResponse,  // malformed or unexpected answer, CNAME loop, chain too long
};

std::string_view OutcomeName(Outcome outcome);  // "NXDOMAIN", "NODATA", "SERVFAIL", ...
// NXDOMAIN and NODATA: the DNS says there is no such record.
inline bool IsNoRecord(Outcome o) { return o == Outcome::kNxDomain || o == Outcome::kNoData; }
// Everything else that is not kFound: ask again later, decide nothing.
inline bool IsTemporaryFailure(Outcome o) { return o != Outcome::kFound && !IsNoRecord(o); }

// One TXT resource record: its character-strings as published, in order.
struct TxtRecord {
  std::vector<std::string> strings;
  uint32_t ttl = 0;
  // The strings concatenated without separators (RFC 8461 §3.1, RFC 8460 §3).
  std::string Joined() const;
};

struct MxRecord {
  uint16_t priority = 0;
  std::string host;  // lower case as received, without the trailing dot; "" for a null MX (".")
  uint32_t ttl = 0;
};

struct AddressRecord {
  std::string address;  // textual: "192.0.2.1" or "2001:db8::1"
  bool ipv6 = false;
  uint32_t ttl = 0;
};

template <typename Record>
struct Answer {
  Outcome outcome = Outcome::kBadResponse;
  std::string name;                      // the name asked for, as given
  std::vector<std::string> cname_chain;  // targets followed from `name`, in order
  std::vector<Record> records;           // non-empty iff outcome == kFound
  std::string error;                     // for failures: what went wrong, readable

  bool found() const { return outcome == Outcome::kFound; }
  // The name the records belong to: the last CNAME target, or `name`.
  const std::string& canonical_name() const {
    return cname_chain.empty() ? name : cname_chain.back();
  }
};

using TxtAnswer = Answer<TxtRecord>;
using MxAnswer = Answer<MxRecord>;
using AddressAnswer = Answer<AddressRecord>;

class Resolver {
 public:
  virtual ~Resolver() = default;
  virtual TxtAnswer LookupTxt(std::string_view name) = 0;
  virtual MxAnswer LookupMx(std::string_view name) = 0;
  // A and AAAA, asked at the same time. kFound if either has records (IPv4 first); otherwise a
  // temporary failure of either wins over NXDOMAIN, which wins over NODATA.
  virtual AddressAnswer LookupAddresses(std::string_view name) = 0;
};

}  // namespace mtasts::dns
