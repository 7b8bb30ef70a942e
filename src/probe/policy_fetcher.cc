#include "probe/policy_fetcher.h"

#include <algorithm>
#include <cctype>
#include <utility>

#include "base/strings.h"
#include "dns/dns_message.h"
#include "policy/policy_response.h"
#include "probe/http_response.h"
#include "probe/tcp_connection.h"
#include "probe/tls_session.h"

namespace mtasts::probe {
namespace {

using Steady = std::chrono::steady_clock;

PolicyFetchResult& Fail(PolicyFetchResult& r, FetchFailure failure, std::string detail) {
  r.failure = failure;
  bool webpki = failure == FetchFailure::kCertUntrusted ||
                failure == FetchFailure::kCertNameMismatch || failure == FetchFailure::kCertExpired;
  r.result_type = webpki                                   ? ResultType::kStsWebpkiInvalid
                  : failure == FetchFailure::kNotTextPlain ? ResultType::kStsPolicyInvalid
                                                           : ResultType::kStsPolicyFetchError;
  r.detail = std::move(detail);
  return r;
}

// A failure while talking HTTP: a timeout, an oversized body, or a broken response.
PolicyFetchResult& Failed(PolicyFetchResult& r, const Status& status, const std::string& where) {
  FetchFailure failure = status.code() == StatusCode::kDeadlineExceeded ? FetchFailure::kTimeout
                         : status.code() == StatusCode::kResourceExhausted
                             ? FetchFailure::kBodyTooLarge
                             : FetchFailure::kMalformedHttp;
  return Fail(r, failure, where + ": " + status.message());
}

// Letters, digits, '-', '_' and '.', at most 253 of them: what may go into SNI and a Host header.
// The result for `domain` before any I/O; a failure already when the domain cannot be a name.
PolicyFetchResult Begin(std::string_view domain) {
  PolicyFetchResult r;
  r.host = "mta-sts." + CanonicalDomain(domain);  // SNI is sent lower case, without a root dot
  r.url = "https://" + r.host + "/.well-known/mta-sts.txt";
  if (!IsHostName(r.host)) {
    Fail(r, FetchFailure::kNoAddress,
         "\"" + std::string(domain).substr(0, 80) +
             "\" is not a domain name: use letters, digits, '-' and '.' only");
  }
  return r;
}

}  // namespace

std::string DefaultUserAgent() { return "mta-sts-operator/" MTASTS_VERSION; }

PolicyFetcher::PolicyFetcher(dns::Resolver& resolver, std::shared_ptr<const TlsClient> tls,
                             PolicyFetchOptions options, const Clock& clock)
    : resolver_(resolver), tls_(std::move(tls)), options_(std::move(options)), clock_(clock) {}

PolicyFetchResult PolicyFetcher::Fetch(std::string_view domain, Deadline overall) const {
  PolicyFetchResult r = Begin(domain);
  if (!r.ok()) return r;
  dns::AddressAnswer answer = resolver_.LookupAddresses(r.host);
  r.dns_outcome = answer.outcome;
  if (!answer.found()) {
    bool none = dns::IsNoRecord(answer.outcome);
    return Fail(r, none ? FetchFailure::kNoAddress : FetchFailure::kDnsTemporary,
                r.host + " has no usable address: " + answer.error +
                    (none ? "; publish an A or AAAA record for it" : ""));
  }
  Deadline deadline = std::min(Steady::now() + options_.timeout, overall);
  std::string errors;
  std::string refused;
  for (const dns::AddressRecord& record : answer.records) {
    std::string range = ReportedPrivateRange(options_.private_addresses, record.address);
    if (!range.empty() && options_.private_addresses == PrivateAddresses::kRefuse) {
      if (refused.empty()) r.private_range = range;
      refused += (refused.empty() ? "" : ", ") + record.address + " (" + range + ")";
      continue;
    }
    auto tcp = TcpConnection::Connect(record.address, options_.port, deadline);
    if (tcp.ok()) {
      r.address = record.address;
      r.private_range = range;
      return FetchOver(r, **tcp, deadline);
    }
    errors += (errors.empty() ? "" : "; ") + tcp.status().message();
  }
  if (errors.empty() && !refused.empty()) {
    return Fail(r, FetchFailure::kPrivateAddress,
                r.host + " has only special-purpose addresses, not fetched from: " + refused);
  }
  return Fail(r, FetchFailure::kConnectFailed, "no address of " + r.host + " accepted: " + errors);
}

PolicyFetchResult PolicyFetcher::FetchFrom(std::string_view domain, std::string_view address,
                                           Deadline overall) const {
  PolicyFetchResult r = Begin(domain);
  if (!r.ok()) return r;
  r.address = std::string(address);
  Deadline deadline = std::min(Steady::now() + options_.timeout, overall);
  auto tcp = TcpConnection::Connect(address, options_.port, deadline);
  if (!tcp.ok()) {
    return Fail(r,
                tcp.status().code() == StatusCode::kDeadlineExceeded ? FetchFailure::kTimeout
                                                                     : FetchFailure::kConnectFailed,
                tcp.status().message());
  }
  return FetchOver(r, **tcp, deadline);
}

PolicyFetchResult PolicyFetcher::FetchOver(PolicyFetchResult& r, TcpConnection& tcp,
                                           Deadline deadline) const {
  auto session = TlsSession::Handshake(tcp, *tls_, TlsSession::Versions::kModern, r.host, deadline);
  if (!session.ok()) {
    const Status& s = session.status();
    return Fail(r,
                s.code() == StatusCode::kDeadlineExceeded ? FetchFailure::kTimeout
                                                          : FetchFailure::kTlsHandshake,
                r.host + " (" + r.address + "): " + s.message());
  }
  r.tls = (*session)->Facts();
  CertificateVerdict verdict = JudgeCertificate(*r.tls, r.host, clock_.Now(), {});
  switch (verdict.problem) {
    case CertificateVerdict::Problem::kUntrusted:
      return Fail(r, FetchFailure::kCertUntrusted, verdict.detail);
    case CertificateVerdict::Problem::kExpired:
      return Fail(r, FetchFailure::kCertExpired, verdict.detail);
    case CertificateVerdict::Problem::kNameMismatch:
      return Fail(r, FetchFailure::kCertNameMismatch, verdict.detail);
    case CertificateVerdict::Problem::kNone:
      break;
  }
  return Exchange(r, **session, deadline);
}

// The HTTP half: one GET over the established session, judged as the response arrives.

PolicyFetchResult PolicyFetcher::Exchange(PolicyFetchResult& r, ByteStream& stream,
                                          Deadline deadline) const {
  std::string request = "GET /.well-known/mta-sts.txt HTTP/1.1\r\nHost: " + r.host +
                        "\r\nUser-Agent: " + options_.user_agent +
                        "\r\nAccept: text/plain\r\nConnection: close\r\n\r\n";
  Status sent = stream.Write(request, deadline);
  if (!sent.ok()) return Failed(r, sent, "sending the request to " + r.host);
  HttpResponseParser parser(options_.max_body);
  char buffer[16384];
  while (!parser.complete()) {
    StatusOr<size_t> n = stream.Read(buffer, sizeof buffer, deadline);
    if (!n.ok()) return Failed(r, n.status(), "reading the response of " + r.url);
    Status parsed = *n == 0 ? parser.Close() : parser.Feed(std::string_view(buffer, *n));
    if (!parsed.ok()) return Failed(r, parsed, r.url);
    // The head decides most verdicts: no need to read the body of a 404 or a redirect.
    if (parser.head_complete() && parser.response().status != 200) break;
  }
  const HttpResponse& response = parser.response();
  r.status = response.status;
  r.content_type = response.Header("Content-Type").value_or("");
  r.location = response.Header("Location").value_or("");
  if (r.status == 200) r.body = response.body;
  // Whether a response may carry a policy at all is policy::CheckPolicyResponse's to say.
  for (const policy::Issue& issue : policy::CheckPolicyResponse({r.status, r.content_type})) {
    if (issue.severity != Severity::kError) continue;
    const bool status = issue.code == policy::issue_code::kHttpStatus;
    return Fail(r, status ? FetchFailure::kHttpStatus : FetchFailure::kNotTextPlain,
                r.url + ": " + issue.message +
                    (r.location.empty() ? "" : " (it redirects to \"" + r.location + "\")"));
  }
  return r;
}

}  // namespace mtasts::probe
