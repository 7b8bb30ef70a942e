// Checks that every serve endpoint serves a policy: the exact bytes, for SNI mta-sts.<domain>,
// with a certificate that verifies against the trust store the operator was given. This is the
// "served" half of serve-then-announce; the endpoints are pod addresses, never filtered as
// private. Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "controller/announce.h"
#include "dns/resolver.h"
#include "probe/tls_client.h"

namespace mtasts::controller {

// Where the policy is served: "HOST:PORT" ("[::1]:8443" for IPv6). A static list (from
// --serve-endpoint) or the ready addresses of the serve Service's EndpointSlices.
using EndpointSource = std::function<std::vector<std::string>()>;

class ServeChecker {
 public:
  ServeChecker(dns::Resolver& resolver, std::shared_ptr<const probe::TlsClient> tls,
               EndpointSource endpoints, std::chrono::milliseconds timeout);

  // One result per endpoint, in the source's order.
  std::vector<EndpointResult> Check(const std::string& domain, const std::string& bytes) const;

 private:
  EndpointResult CheckOne(const std::string& endpoint, const std::string& domain,
                          const std::string& bytes) const;

  dns::Resolver& resolver_;
  std::shared_ptr<const probe::TlsClient> tls_;
  EndpointSource endpoints_;
  std::chrono::milliseconds timeout_;
};

}  // namespace mtasts::controller
