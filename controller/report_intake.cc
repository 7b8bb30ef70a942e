#include "controller/report_intake.h"

#include <algorithm>
#include <cstddef>
#include <set>
#include <utility>

#include "base/printable.h"
#include "base/strings.h"
#include "tlsrpt/gunzip.h"
#include "tlsrpt/read.h"

namespace mtasts::controller {
namespace {

constexpr std::string_view kGzip = "application/tlsrpt+gzip";
constexpr std::string_view kJson = "application/tlsrpt+json";

// The media type without parameters, in lower case.
std::string MediaType(std::string_view content_type) {
  content_type = content_type.substr(0, content_type.find(';'));
  while (!content_type.empty() && content_type.back() == ' ') content_type.remove_suffix(1);
  return AsciiLowercase(content_type);
}

}  // namespace

ReportIntake::ReportIntake(const Clock& clock, std::function<bool(std::string_view)> ingests,
                           std::function<void(std::string_view)> changed, int window_days)
    : clock_(clock),
      ingests_(std::move(ingests)),
      changed_(changed ? std::move(changed) : [](std::string_view) {}),
      window_days_(window_days) {}

http::Response ReportIntake::Post(const http::Request& request) {
  const std::string type = MediaType(request.Header("content-type"));
  if (type != kGzip && type != kJson) {
    return http::Response::Text(415,
                                "Content-Type must be application/tlsrpt+gzip or "
                                "application/tlsrpt+json (RFC 8460 section 5.3), not \"" +
                                    Printable(type) + "\"");
  }
  if ((type == kGzip) != tlsrpt::LooksGzipped(request.body)) {
    return http::Response::Text(400, type == kGzip
                                         ? "the body is not gzip, as " + type + " says"
                                         : "the body is gzip; send it as " + std::string(kGzip));
  }
  StatusOr<tlsrpt::ParsedReport> parsed =
      tlsrpt::ReadReport(request.body, tlsrpt::ReportParseMode::kTolerant);
  if (!parsed.ok()) {
    return http::Response::Text(400, "not a TLS report: " + Printable(parsed.status().message()));
  }
  const std::chrono::sys_days today = Today();
  std::set<std::string> domains;
  for (const tlsrpt::PolicyResult& p : parsed->report.policies) {
    domains.insert(CanonicalDomain(p.policy_domain));
  }
  std::vector<std::string> counted;
  bool repeated = false;
  bool busy = false;
  {
    std::lock_guard lock(mu_);
    for (const std::string& domain : domains) {
      if (!ingests_(domain)) continue;
      const std::optional<tlsrpt::ReportWindow::Added> added = Count(parsed->report, domain, today);
      busy |= !added;
      repeated |= added == tlsrpt::ReportWindow::Added::kSeenBefore;
      if (added == tlsrpt::ReportWindow::Added::kCounted) counted.push_back(domain);
    }
  }
  for (const std::string& domain : counted) changed_(domain);
  // A sender retries a 5xx later (RFC 8460 section 5.3); what was counted now counts once then.
  if (busy) {
    http::Response r = http::Response::Text(503, "too many reports wait to be stored; retry later");
    r.headers.emplace_back("Retry-After", "120");
    return r;
  }
  if (!counted.empty()) {
    std::string names;
    for (const std::string& domain : counted) {
      names += (names.empty() ? "" : ", ") + Printable(domain);
    }
    return http::Response::Text(200, "counted for " + names);
  }
  if (repeated) return http::Response::Text(200, "received before; counted once");
  return http::Response::Text(200,
                              "accepted; no domain here counts it (not ingesting, or "
                              "older than the window)");
}

std::optional<tlsrpt::ReportWindow::Added> ReportIntake::Count(const tlsrpt::Report& report,
                                                               const std::string& domain,
                                                               std::chrono::sys_days today) {
  std::optional<tlsrpt::ReportCounts> counts = tlsrpt::CountsFor(report, domain, today);
  if (!counts) return tlsrpt::ReportWindow::Added::kNotForThis;
  DomainWindow& w = windows_.try_emplace(domain, window_days_).first->second;
  if (w.unstored.size() >= kMaxUnstoredReports) return std::nullopt;
  const tlsrpt::ReportWindow::Added added = w.view.Add(*counts, today);
  if (added == tlsrpt::ReportWindow::Added::kCounted) w.unstored.push_back(*std::move(counts));
  return added;
}

std::optional<tlsrpt::DomainTally> ReportIntake::Window(std::string_view domain) const {
  std::lock_guard lock(mu_);
  const auto it = windows_.find(domain);
  if (it == windows_.end()) return std::nullopt;
  return it->second.view.Sum(Today());
}

void ReportIntake::Stored(std::string_view domain, const tlsrpt::ReportWindow& window,
                          const std::string& resource_version) {
  {
    std::lock_guard lock(mu_);
    DomainWindow& w = windows_.try_emplace(std::string(domain), window_days_).first->second;
    // The cache catching up with this replica's own write (or with what that write replaced).
    if (resource_version == w.resource_version || resource_version == w.replaced_version) return;
    w.view = window;
    w.resource_version = resource_version;
    const std::chrono::sys_days today = Today();
    for (const tlsrpt::ReportCounts& counts : w.unstored) w.view.Add(counts, today);
  }
  changed_(domain);
}

void ReportIntake::Forget(std::string_view domain) {
  std::lock_guard lock(mu_);
  if (const auto it = windows_.find(domain); it != windows_.end()) windows_.erase(it);
}

std::vector<ReportIntake::Unstored> ReportIntake::ToStore() const {
  std::vector<Unstored> out;
  std::lock_guard lock(mu_);
  for (const auto& [domain, w] : windows_) {
    if (w.unstored.empty()) continue;
    out.push_back({domain, w.view.ToJson(), w.resource_version, w.unstored.size()});
  }
  return out;
}

void ReportIntake::MarkStored(const Unstored& written, const std::string& resource_version) {
  std::lock_guard lock(mu_);
  const auto it = windows_.find(written.domain);
  if (it == windows_.end()) return;
  DomainWindow& w = it->second;
  // Unless the cache already brought a later write (which holds this one), this is the newest.
  if (w.resource_version == written.resource_version) {
    w.replaced_version = written.resource_version;
    w.resource_version = resource_version;
  }
  w.unstored.erase(w.unstored.begin(),
                   w.unstored.begin() +
                       static_cast<std::ptrdiff_t>(std::min(written.counts, w.unstored.size())));
}

std::chrono::sys_days ReportIntake::Today() const {
  return std::chrono::floor<std::chrono::days>(clock_.Now());
}

}  // namespace mtasts::controller
