#include "controller/report_intake.h"

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
                           int window_days)
    : clock_(clock), ingests_(std::move(ingests)), window_days_(window_days) {}

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
  const auto today = std::chrono::floor<std::chrono::days>(clock_.Now());
  std::set<std::string> domains;
  for (const tlsrpt::PolicyResult& p : parsed->report.policies) {
    domains.insert(CanonicalDomain(p.policy_domain));
  }
  std::string counted;
  std::string repeated;
  std::lock_guard lock(mu_);
  for (const std::string& domain : domains) {
    if (!ingests_(domain)) continue;
    auto it = windows_.try_emplace(domain, window_days_).first;
    switch (it->second.Add(parsed->report, domain, today)) {
      case tlsrpt::ReportWindow::Added::kCounted:
        counted += (counted.empty() ? "" : ", ") + Printable(domain);
        break;
      case tlsrpt::ReportWindow::Added::kSeenBefore:
        repeated += (repeated.empty() ? "" : ", ") + Printable(domain);
        break;
      case tlsrpt::ReportWindow::Added::kTooOld:
      case tlsrpt::ReportWindow::Added::kNotForThis:
        break;
    }
  }
  if (!counted.empty()) return http::Response::Text(200, "counted for " + counted);
  if (!repeated.empty()) return http::Response::Text(200, "received before; counted once");
  return http::Response::Text(200,
                              "accepted; no domain here counts it (not ingesting, or "
                              "older than the window)");
}

std::optional<tlsrpt::DomainTally> ReportIntake::Window(std::string_view domain) const {
  std::lock_guard lock(mu_);
  const auto it = windows_.find(domain);
  if (it == windows_.end()) return std::nullopt;
  return it->second.Sum(std::chrono::floor<std::chrono::days>(clock_.Now()));
}

}  // namespace mtasts::controller
