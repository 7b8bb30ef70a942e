#include "controller/serve_check.h"

#include <charconv>

#include "base/printable.h"
#include "policy/policy_id.h"
#include "probe/policy_fetcher.h"

namespace mtasts::controller {
namespace {

// "HOST:PORT" or "[V6]:PORT" → address and port; false when it is neither.
bool SplitEndpoint(const std::string& endpoint, std::string* address, uint16_t* port) {
  const size_t colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon + 1 == endpoint.size()) return false;
  std::string host = endpoint.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  const char* first = endpoint.data() + colon + 1;
  const char* last = endpoint.data() + endpoint.size();
  const auto [end, error] = std::from_chars(first, last, *port);
  if (error != std::errc() || end != last || *port == 0 || host.empty()) return false;
  *address = host;
  return true;
}

}  // namespace

ServeChecker::ServeChecker(dns::Resolver& resolver, std::shared_ptr<const probe::TlsClient> tls,
                           EndpointSource endpoints, std::chrono::milliseconds timeout)
    : resolver_(resolver),
      tls_(std::move(tls)),
      endpoints_(std::move(endpoints)),
      timeout_(timeout) {}

std::vector<EndpointResult> ServeChecker::Check(const std::string& domain,
                                                const std::string& bytes) const {
  std::vector<EndpointResult> results;
  for (const std::string& endpoint : endpoints_()) {
    results.push_back(CheckOne(endpoint, domain, bytes));
  }
  return results;
}

EndpointResult ServeChecker::CheckOne(const std::string& endpoint, const std::string& domain,
                                      const std::string& bytes) const {
  EndpointResult result;
  result.endpoint = endpoint;
  std::string address;
  uint16_t port = 0;
  if (!SplitEndpoint(endpoint, &address, &port)) {
    result.reason = "not HOST:PORT";
    return result;
  }
  probe::PolicyFetchOptions options;
  options.port = port;
  options.timeout = timeout_;
  const probe::PolicyFetcher fetcher(resolver_, tls_, options);
  const probe::PolicyFetchResult fetched = fetcher.FetchFrom(domain, address);
  if (fetched.tls) result.not_after = fetched.tls->leaf.not_after;
  if (!fetched.ok()) {
    result.reason = Printable(fetched.detail);
  } else if (fetched.body != bytes) {
    result.reason = "serves other bytes (sha256 " + policy::ContentDigest(fetched.body) +
                    ", expected " + policy::ContentDigest(bytes) + ")";
  } else {
    result.serves = true;
  }
  return result;
}

}  // namespace mtasts::controller
