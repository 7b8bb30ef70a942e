// The TLS-RPT intake (RFC 8460 §3, an https: rua): a sender POSTs one report, gzip-compressed
// (application/tlsrpt+gzip) or not (application/tlsrpt+json); what it says of each policy domain
// that is counted here goes into that domain's window (tlsrpt/window.h). The answer is one line:
// 200 when counted or seen before (a retry must not count twice), 415 for another content type,
// 400 for a body that is not a report, naming what is wrong; never 5xx for bad input (503 only
// while too many counts wait to be stored). Reports for other domains are answered 200 and
// dropped, so the windows kept are bounded by the policies. The body's size is capped by the
// server route (http/server.h), the inflated size by tlsrpt/gunzip.h.
//
// Every replica receives reports (each has a policy host behind the Service), and the window a
// domain is judged by is the one stored in the cluster (report_store.h): each replica's window
// is the stored one with the counts it received and has not stored yet on top, and a count
// carries its report's id, so a report counts once however many replicas received it.
//
// Thread-safe: Post() runs on the HTTP server's threads, Window() on the reconciler's, the rest on
// the store's.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "http/message.h"
#include "tlsrpt/window.h"

namespace mtasts::controller {

inline constexpr size_t kMaxReportPostBytes = size_t{1} << 20;  // compressed, as sent
// Counts of one domain waiting to be stored; past it a sender is asked to retry later.
inline constexpr size_t kMaxUnstoredReports = 2000;

class ReportIntake {
 public:
  // ingests(domain): whether reports for that (canonical) domain are counted; the operator
  // counts them for every domain a policy claims, and gate 6 reads them where tlsRpt.ingest is
  // on. changed(domain), called without the lock held: the window of domain changed (a report
  // counted here, or another replica's stored), so its policy is looked at again.
  ReportIntake(const Clock& clock, std::function<bool(std::string_view)> ingests,
               std::function<void(std::string_view)> changed = {},
               int window_days = tlsrpt::kDefaultWindowDays);

  http::Response Post(const http::Request& request);

  // The window of domain as of now; nullopt when no report for it was counted.
  std::optional<tlsrpt::DomainTally> Window(std::string_view domain) const;
  int window_days() const { return window_days_; }

  // The window stored for domain, at resource_version (as the cache saw it): the counts not yet
  // stored are counted on top of it. A version this replica wrote itself changes nothing.
  void Stored(std::string_view domain, const tlsrpt::ReportWindow& window,
              const std::string& resource_version);
  // The stored window of domain is gone (its policy was deleted): so is everything here.
  void Forget(std::string_view domain);

  // A window with counts not yet stored: write `window` over `resource_version` (empty: none is
  // stored yet), then say so with MarkStored.
  struct Unstored {
    std::string domain;
    nlohmann::json window;
    std::string resource_version;
    size_t counts = 0;  // how many of the domain's unstored counts `window` holds
  };
  std::vector<Unstored> ToStore() const;
  // `written` is stored, now at resource_version.
  void MarkStored(const Unstored& written, const std::string& resource_version);

 private:
  struct DomainWindow {
    explicit DomainWindow(int days) : view(days) {}
    tlsrpt::ReportWindow view;                   // the stored window, `unstored` on top
    std::vector<tlsrpt::ReportCounts> unstored;  // counted here, not yet stored, in order
    std::string resource_version;                // of the stored window; empty: none
    std::string replaced_version;                // the version this replica's last write replaced
  };

  // Counts what report says of domain into its window; nullopt when too many counts wait to be
  // stored. mu_ held.
  std::optional<tlsrpt::ReportWindow::Added> Count(const tlsrpt::Report& report,
                                                   const std::string& domain,
                                                   std::chrono::sys_days today);
  std::chrono::sys_days Today() const;

  const Clock& clock_;
  const std::function<bool(std::string_view)> ingests_;
  const std::function<void(std::string_view)> changed_;
  const int window_days_;
  mutable std::mutex mu_;
  std::map<std::string, DomainWindow, std::less<>> windows_;  // guarded by mu_
};

}  // namespace mtasts::controller
