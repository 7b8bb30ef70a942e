// The TLS-RPT intake (RFC 8460 §3, an https: rua): a sender POSTs one report, gzip-compressed
// (application/tlsrpt+gzip) or not (application/tlsrpt+json); what it says of each policy domain
// that is counted here goes into that domain's window (tlsrpt/window.h). The answer is one line:
// 200 when counted or seen before (a retry must not count twice), 415 for another content type,
// 400 for a body that is not a report, naming what is wrong; never 5xx for bad input. Reports
// for other domains are answered 200 and dropped, so the windows kept are bounded
// by the policies. The body's size is capped by the server route (http/server.h), the inflated
// size by tlsrpt/gunzip.h.
//
// Thread-safe: Post() runs on the HTTP server's threads, Window() on the reconciler's.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "http/message.h"
#include "tlsrpt/window.h"

namespace mtasts::controller {

inline constexpr size_t kMaxReportPostBytes = size_t{1} << 20;  // compressed, as sent

class ReportIntake {
 public:
  // ingests(domain): whether reports for that (canonical) domain are counted; the operator
  // counts them for every domain a policy claims, and gate 6 reads them where tlsRpt.ingest is
  // on.
  ReportIntake(const Clock& clock, std::function<bool(std::string_view)> ingests,
               int window_days = tlsrpt::kDefaultWindowDays);

  http::Response Post(const http::Request& request);

  // The window of domain as of now; nullopt when no report for it was counted.
  std::optional<tlsrpt::DomainTally> Window(std::string_view domain) const;
  int window_days() const { return window_days_; }

 private:
  const Clock& clock_;
  const std::function<bool(std::string_view)> ingests_;
  const int window_days_;
  mutable std::mutex mu_;
  std::map<std::string, tlsrpt::ReportWindow, std::less<>> windows_;  // guarded by mu_
};

}  // namespace mtasts::controller
