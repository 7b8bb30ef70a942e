#include "cli/report_poster.h"

#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/host_port.h"
#include "base/strings.h"
#include "probe/certificate.h"
#include "probe/http_response.h"
#include "probe/tcp_connection.h"
#include "probe/tls_session.h"
#include "tlsrpt/gunzip.h"

namespace mtasts::cli {
namespace {

using Steady = std::chrono::steady_clock;

constexpr size_t kMaxAnswerBytes = size_t{64} * 1024;  // an intake answers one line
constexpr size_t kMaxReasonBytes = 200;

// Letters, digits, '-', '_' and '.': what may go into a Host header and SNI.
// The numeric addresses of host, in the resolver's order; host itself when it is one.
StatusOr<std::vector<std::string>> Addresses(const std::string& host) {
  if (IsIpAddress(host)) return std::vector<std::string>{host};
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = getaddrinfo(host.c_str(), nullptr, &hints, &found); rc != 0) {
    return UnavailableError("cannot resolve " + host + ": " + gai_strerror(rc));
  }
  std::vector<std::string> out;
  for (const addrinfo* a = found; a != nullptr; a = a->ai_next) {
    char text[NI_MAXHOST];
    if (getnameinfo(a->ai_addr, a->ai_addrlen, text, sizeof text, nullptr, 0, NI_NUMERICHOST) ==
            0 &&
        std::find(out.begin(), out.end(), text) == out.end()) {
      out.emplace_back(text);
    }
  }
  freeaddrinfo(found);
  if (out.empty()) return UnavailableError("cannot resolve " + host + ": no address");
  return out;
}

// The intake's one-line reason: the first line of the body, else the status line's phrase.
std::string ReasonOf(const probe::HttpResponse& response) {
  std::string_view line = response.body;
  line = line.substr(0, line.find('\n'));
  while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
    line.remove_suffix(1);
  }
  if (line.empty()) line = response.reason;
  return std::string(line.substr(0, kMaxReasonBytes));
}

// The port only when it is not the scheme's (RFC 9110 §7.2).
std::string HostHeader(const PostUrl& url) {
  if (url.port != (url.https ? 443 : 80)) return FormatHostPort(url.host, url.port);
  return IsIpv6Address(url.host) ? "[" + url.host + "]" : url.host;
}

PostOutcome Failed(std::string reason) { return {0, std::move(reason)}; }

// Sends the request, then reads the answer. An intake may answer and close before it has read
// a body it refuses (413), so a failed send still looks for an answer before reporting itself.
PostOutcome Exchange(probe::ByteStream& stream, const std::string& request,
                     const PostTimeouts& timeouts, const std::string& where) {
  const Status sent = stream.Write(request, Steady::now() + timeouts.write);
  const probe::Deadline deadline = Steady::now() + timeouts.read;
  probe::HttpResponseParser parser(kMaxAnswerBytes);
  char buffer[16384];
  Status received;
  while (received.ok() && !parser.complete()) {
    StatusOr<size_t> n = stream.Read(buffer, sizeof buffer, deadline);
    if (!n.ok()) {
      received = n.status();
    } else {
      received = *n == 0 ? parser.Close() : parser.Feed(std::string_view(buffer, *n));
    }
  }
  if (parser.complete() || (parser.head_complete() && !sent.ok())) {
    return {parser.response().status, ReasonOf(parser.response())};
  }
  if (!sent.ok()) return Failed("sending the report to " + where + ": " + sent.message());
  return Failed("reading the answer of " + where + ": " + received.message());
}

}  // namespace

StatusOr<PostUrl> ParsePostUrl(std::string_view url) {
  PostUrl out;
  const std::string lower = AsciiLowercase(url.substr(0, 8));
  if (lower.starts_with("https://")) {
    out.https = true;
    url.remove_prefix(8);
  } else if (lower.starts_with("http://")) {
    url.remove_prefix(7);
  } else {
    return InvalidArgumentError("must start with https:// or http://");
  }
  if (url.find('#') != std::string_view::npos) {
    return InvalidArgumentError("has a fragment (#...); an intake's URL has none");
  }
  const size_t end = std::min(url.find('/'), url.find('?'));
  std::string_view authority = url.substr(0, end);
  out.target = end == std::string_view::npos ? "/" : std::string(url.substr(end));
  if (out.target.front() == '?') out.target.insert(0, "/");
  if (authority.find('@') != std::string_view::npos) {
    return InvalidArgumentError("has user info (user@); the intake takes reports without it");
  }
  const bool has_port =
      authority.ends_with("]") ? false : authority.find(':') != std::string_view::npos;
  StatusOr<HostPort> host_port =
      ParseHostPort(has_port ? authority : std::string(authority) + (out.https ? ":443" : ":80"));
  if (!host_port.ok()) return InvalidArgumentError(std::string(host_port.status().message()));
  out.host = host_port->host;
  out.port = host_port->port;
  if (!IsIpAddress(out.host) && !IsHostName(out.host)) {
    return InvalidArgumentError(
        "has no host name: use letters, digits, '-' and '.', or an address");
  }
  if (out.port == 0) return InvalidArgumentError("port 0 cannot be connected to");
  for (unsigned char c : out.target) {
    if (c <= ' ' || c >= 0x7f) {
      return InvalidArgumentError("has a space or a control character in its path; encode it");
    }
  }
  return out;
}

StatusOr<ReportPoster> ReportPoster::Create(std::string_view url, const std::string& ca_file,
                                            PostTimeouts timeouts) {
  ASSIGN_OR_RETURN(PostUrl parsed, ParsePostUrl(url));
  std::shared_ptr<const probe::TlsClient> tls;
  if (parsed.https) {
    ASSIGN_OR_RETURN(tls, probe::TlsClient::Create({.ca_file = ca_file}));
  }
  return ReportPoster(std::move(parsed), std::move(tls), timeouts);
}

PostOutcome ReportPoster::Post(std::string_view bytes) const {
  const std::string authority = FormatHostPort(url_.host, url_.port);
  StatusOr<std::vector<std::string>> addresses = Addresses(url_.host);
  if (!addresses.ok()) return Failed(std::string(addresses.status().message()));
  const probe::Deadline connect_by = Steady::now() + timeouts_.connect;
  std::unique_ptr<probe::TcpConnection> tcp;
  std::string errors;
  for (const std::string& address : *addresses) {
    auto connected = probe::TcpConnection::Connect(address, url_.port, connect_by);
    if (connected.ok()) {
      tcp = std::move(*connected);
      break;
    }
    errors += (errors.empty() ? "" : "; ") + std::string(connected.status().message());
  }
  // Each error names the address and port it is about.
  if (tcp == nullptr) return Failed(IsIpAddress(url_.host) ? errors : url_.host + ": " + errors);

  const bool gzip = tlsrpt::LooksGzipped(bytes);
  std::string request = "POST " + url_.target + " HTTP/1.1\r\nHost: " + HostHeader(url_);
  request += "\r\nUser-Agent: mtasts/" MTASTS_VERSION "\r\nContent-Type: application/tlsrpt+";
  request += gzip ? "gzip" : "json";
  request +=
      "\r\nContent-Length: " + std::to_string(bytes.size()) + "\r\nConnection: close\r\n\r\n";
  request += bytes;

  const std::string where = (url_.https ? "https://" : "http://") + authority;
  if (!url_.https) return Exchange(*tcp, request, timeouts_, where);
  auto session = probe::TlsSession::Handshake(*tcp, *tls_, probe::TlsSession::Versions::kModern,
                                              url_.host, connect_by);
  if (!session.ok()) return Failed("TLS with " + authority + ": " + session.status().message());
  const probe::CertificateVerdict verdict =
      probe::JudgeCertificate((*session)->Facts(), url_.host, RealClock::Get().Now(), {});
  if (verdict.problem != probe::CertificateVerdict::Problem::kNone) {
    return Failed(verdict.detail);  // it names the host and says how to fix the certificate
  }
  return Exchange(**session, request, timeouts_, where);
}

}  // namespace mtasts::cli
