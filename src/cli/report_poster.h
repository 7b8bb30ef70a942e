// ReportPoster: forwards TLS reports to a TLS-RPT intake the way a sender delivers to an https:
// rua (RFC 8460 §3): one POST per report, Content-Type application/tlsrpt+gzip or
// application/tlsrpt+json, Connection: close. https is checked as a strict sender checks: TLS
// >= 1.2, a chain to the trust store, the URL's host as a DNS-ID of the certificate (RFC 6125),
// valid now. Built from src/probe's connection, TLS and response parser; the host is resolved by
// the system's resolver (getaddrinfo: /etc/hosts too), as other HTTP clients do, so a URL that
// works with curl works here.
//
// Thread-safety: Post is const and may run on many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"
#include "probe/tls_client.h"

namespace mtasts::cli {

struct PostUrl {
  bool https = false;
  std::string host;    // a name, or an address without brackets
  int port = 0;        // 80 or 443 unless the URL says
  std::string target;  // path and query, "/" when the URL has none
};

// "http://" or "https://", a host, an optional port, an optional path. InvalidArgument says what
// is wrong with the URL (user info, a fragment, another scheme).
StatusOr<PostUrl> ParsePostUrl(std::string_view url);

struct PostTimeouts {
  std::chrono::seconds connect{10};  // name lookup aside: TCP connect and the TLS handshake
  std::chrono::seconds write{30};    // sending the request
  std::chrono::seconds read{30};     // the whole answer, from the end of the request
};

// What the intake answered, or why it could not be asked.
struct PostOutcome {
  int status = 0;      // the status line's code; 0 when no answer came
  std::string reason;  // the answer's first body line (else the status line's phrase), or the
                       // error; at most 200 bytes, not yet made printable

  bool accepted() const { return status >= 200 && status < 300; }
};

class ReportPoster {
 public:
  // InvalidArgument for a bad URL or an unusable CA file (ca_file empty: the system trust store).
  static StatusOr<ReportPoster> Create(std::string_view url, const std::string& ca_file,
                                       PostTimeouts timeouts = {});

  // Sends one report: `bytes` as read, gzip or JSON (the Content-Type follows the bytes).
  PostOutcome Post(std::string_view bytes) const;

 private:
  ReportPoster(PostUrl url, std::shared_ptr<const probe::TlsClient> tls, PostTimeouts timeouts)
      : url_(std::move(url)), tls_(std::move(tls)), timeouts_(timeouts) {}

  PostUrl url_;
  std::shared_ptr<const probe::TlsClient> tls_;  // null for http
  PostTimeouts timeouts_;
};

}  // namespace mtasts::cli
