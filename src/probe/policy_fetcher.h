// PolicyFetcher: fetches https://mta-sts.<domain>/.well-known/mta-sts.txt the way a strict
// RFC 8461 sender does (§3.3): resolve mta-sts.<domain> with our Resolver, connect by address,
// TLS >= 1.2 with SNI and certificate name mta-sts.<domain> (DNS-ID only) chained to the trust
// store and within its validity, one GET with Connection: close, status exactly 200, no redirect
// followed, Content-Type text/plain, body at most max_body bytes, all within one overall timeout.
//
// Thread-safety: Fetch and FetchFrom are const and may run on many threads at once; the Resolver
// given must be thread-safe too (every dns::Resolver is).
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "dns/resolver.h"
#include "probe/address_range.h"
#include "probe/byte_stream.h"
#include "probe/certificate.h"
#include "probe/result_type.h"
#include "probe/tls_client.h"

namespace mtasts::probe {

class TcpConnection;

// "mta-sts-operator/<version>".
std::string DefaultUserAgent();

struct PolicyFetchOptions {
  uint16_t port = 443;
  std::chrono::milliseconds timeout{60000};  // whole fetch: connect, handshake, request, body
  size_t max_body = 64 * 1024;               // a larger body is an error, never truncated
  std::string user_agent = DefaultUserAgent();
  // Applies to the addresses Fetch resolves, never to FetchFrom's: the operator's own serving
  // endpoints are pod addresses, private by nature.
  PrivateAddresses private_addresses = PrivateAddresses::kRefuse;
};

enum class FetchFailure {
  kNone,
  kNoAddress,         // mta-sts.<domain> has no A/AAAA (see dns_outcome)
  kPrivateAddress,    // every address is special-purpose, none connected to (see private_range)
  kDnsTemporary,      // the address lookup failed temporarily (see dns_outcome)
  kConnectFailed,     // no address accepted a TCP connection
  kTimeout,           // the overall timeout ran out
  kTlsHandshake,      // handshake failed (protocol, version < 1.2, alert)
  kCertUntrusted,     // chain does not lead to the trust store (TlsFacts::chain_error)
  kCertNameMismatch,  // no SAN dNSName matches mta-sts.<domain>
  kCertExpired,       // expired or not yet valid
  kMalformedHttp,     // not a parsable HTTP/1.x response
  kHttpStatus,        // status other than 200 (a 3xx also sets `location`)
  kNotTextPlain,      // media type is not text/plain (see content_type)
  kBodyTooLarge,      // more than max_body bytes
};

struct PolicyFetchResult {
  std::string host;     // mta-sts.<domain>
  std::string url;      // https://mta-sts.<domain>/.well-known/mta-sts.txt
  std::string address;  // the address the answer came from; "" if none connected
  // The special-purpose range of `address` (or, with kPrivateAddress, of the first address
  // refused), unless private addresses are allowed.
  std::string private_range;
  FetchFailure failure = FetchFailure::kNone;
  ResultType result_type = ResultType::kSuccess;
  std::string detail;                       // for failures: what went wrong, readable
  std::optional<dns::Outcome> dns_outcome;  // set when the address lookup was done
  std::optional<TlsFacts> tls;              // set once a handshake completed
  int status = 0;                           // HTTP status code, 0 before a response
  std::string content_type;                 // the header value as sent, "" if absent
  std::string location;                     // Location header of a redirect, as sent
  std::string body;  // the policy text (only when the response was read whole)

  bool ok() const { return failure == FetchFailure::kNone; }
};

class PolicyFetcher {
 public:
  PolicyFetcher(dns::Resolver& resolver, std::shared_ptr<const TlsClient> tls,
                PolicyFetchOptions options, const Clock& clock = RealClock::Get());

  // Resolves mta-sts.<domain> and fetches from the first address that accepts a connection,
  // within options.timeout and never past `overall` (a caller's deadline for more than this).
  PolicyFetchResult Fetch(std::string_view domain, Deadline overall = Deadline::max()) const;
  // Fetches from one given address (to check every serving endpoint), no DNS lookup.
  PolicyFetchResult FetchFrom(std::string_view domain, std::string_view address,
                              Deadline overall = Deadline::max()) const;

 private:
  PolicyFetchResult FetchOver(PolicyFetchResult& r, TcpConnection& tcp, Deadline deadline) const;
  PolicyFetchResult Exchange(PolicyFetchResult& r, ByteStream& stream, Deadline deadline) const;

  dns::Resolver& resolver_;
  std::shared_ptr<const TlsClient> tls_;
  PolicyFetchOptions options_;
  const Clock& clock_;
};

}  // namespace mtasts::probe
