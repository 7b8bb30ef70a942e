#include "tlsrpt/window.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <vector>

#include "base/strings.h"
#include "base/utc_time.h"

namespace mtasts::tlsrpt {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

// Stable across builds and restarts (std::hash is not), and the ids are persisted.
uint64_t IdOf(const Report& report) {
  uint64_t h = 14695981039346656037ULL;
  auto mix = [&h](std::string_view s) {
    for (const char c : s) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  };
  mix(report.organization_name);
  mix(std::string_view("\0", 1));
  mix(report.report_id);
  return h;
}

// Keeps the kMaxKeysPerDay - 1 largest counts and folds the rest, and every key longer than
// kMaxKeyBytes, into kOtherKey.
void Fold(std::map<std::string, int64_t>& counts) {
  for (auto it = counts.begin(); it != counts.end();) {
    if (it->first.size() <= kMaxKeyBytes) {
      ++it;
      continue;
    }
    AddSaturating(counts[kOtherKey], it->second);
    it = counts.erase(it);
  }
  if (counts.size() <= kMaxKeysPerDay) return;
  int64_t other = 0;
  if (auto it = counts.find(kOtherKey); it != counts.end()) {
    other = it->second;
    counts.erase(it);
  }
  const std::vector<std::pair<std::string, int64_t>> sorted = ByCount(counts);
  counts.clear();
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (i + 1 < kMaxKeysPerDay) {
      counts.insert(sorted[i]);
    } else {
      AddSaturating(other, sorted[i].second);
    }
  }
  counts[kOtherKey] = other;
}

void AddAll(const std::map<std::string, int64_t>& from, std::map<std::string, int64_t>& to) {
  for (const auto& [key, n] : from) AddSaturating(to[key], n);
}

nlohmann::json CountsJson(const std::map<std::string, int64_t>& counts) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, n] : counts) out[key] = n;
  return out;
}

StatusOr<int64_t> Count(const nlohmann::json& json, const std::string& where) {
  if (!json.is_number_integer() || json.get<int64_t>() < 0) {
    return InvalidArgumentError(where + ": not a non-negative integer");
  }
  return json.get<int64_t>();
}

StatusOr<std::map<std::string, int64_t>> CountsFrom(const nlohmann::json& json,
                                                    const std::string& where) {
  if (!json.is_object() || json.size() > kMaxKeysPerDay) {
    return InvalidArgumentError(where + ": not an object of at most 32 counts");
  }
  std::map<std::string, int64_t> out;
  for (const auto& [key, value] : json.items()) {
    ASSIGN_OR_RETURN(out[key], Count(value, where + "." + key));
  }
  return out;
}

}  // namespace

ReportWindow::ReportWindow(int days) : days_(std::clamp(days, 1, kMaxWindowDays)) {}

void ReportWindow::Forget(sys_days today) {
  const sys_days first = today - days(days_ - 1);
  by_day_.erase(by_day_.begin(), by_day_.lower_bound(first));
}

std::optional<ReportCounts> CountsFor(const Report& report, std::string_view domain,
                                      sys_days today) {
  ReportCounts counts{.day = std::min(std::chrono::floor<days>(report.start), today),
                      .id = IdOf(report),
                      .tally = {}};
  bool named = false;
  for (const PolicyResult& p : report.policies) {
    if (CanonicalDomain(p.policy_domain) != domain) continue;
    named = true;
    AddPolicyResult(p, counts.tally);
  }
  if (!named) return std::nullopt;
  counts.tally.reports = 1;
  // Bounded like a day's bucket, so counts waiting to be stored are small whatever was sent.
  Fold(counts.tally.failures_by_result);
  Fold(counts.tally.failures_by_mx);
  return counts;
}

ReportWindow::Added ReportWindow::Add(const Report& report, std::string_view domain,
                                      sys_days today) {
  const std::optional<ReportCounts> counts = CountsFor(report, domain, today);
  return counts ? Add(*counts, today) : Added::kNotForThis;
}

ReportWindow::Added ReportWindow::Add(const ReportCounts& counts, sys_days today) {
  Forget(today);
  if (counts.day < today - days(days_ - 1)) return Added::kTooOld;
  Day& bucket = by_day_[std::min(counts.day, today)];
  const auto at = std::ranges::lower_bound(bucket.ids, counts.id);
  if (at != bucket.ids.end() && *at == counts.id) return Added::kSeenBefore;
  // Past the cap a report still counts; only a repeat of it would count again.
  if (bucket.ids.size() < kMaxIdsPerDay) bucket.ids.insert(at, counts.id);
  DomainTally& t = bucket.tally;
  AddSaturating(t.reports, counts.tally.reports);
  AddSaturating(t.successful, counts.tally.successful);
  AddSaturating(t.failed, counts.tally.failed);
  AddAll(counts.tally.failures_by_result, t.failures_by_result);
  AddAll(counts.tally.failures_by_mx, t.failures_by_mx);
  Fold(t.failures_by_result);
  Fold(t.failures_by_mx);
  return Added::kCounted;
}

DomainTally ReportWindow::Sum(sys_days today) const {
  DomainTally sum;
  for (auto it = by_day_.lower_bound(today - days(days_ - 1)); it != by_day_.end(); ++it) {
    if (it->first > today) break;
    const DomainTally& t = it->second.tally;
    AddSaturating(sum.reports, t.reports);
    AddSaturating(sum.successful, t.successful);
    AddSaturating(sum.failed, t.failed);
    AddAll(t.failures_by_result, sum.failures_by_result);
    AddAll(t.failures_by_mx, sum.failures_by_mx);
  }
  return sum;
}

nlohmann::json ReportWindow::ToJson() const {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [day, bucket] : by_day_) {
    const DomainTally& t = bucket.tally;
    out[FormatDate(day)] = {{"reports", t.reports},
                            {"successful", t.successful},
                            {"failed", t.failed},
                            {"byResult", CountsJson(t.failures_by_result)},
                            {"byMx", CountsJson(t.failures_by_mx)},
                            {"ids", bucket.ids}};
  }
  return out;
}

StatusOr<ReportWindow> ReportWindow::FromJson(const nlohmann::json& json, int days) {
  ReportWindow window(days);
  if (!json.is_object()) return InvalidArgumentError("the report window: not an object");
  for (const auto& [key, value] : json.items()) {
    const std::optional<DateTime> time = ParseDateTime(key + "T00:00:00Z");
    if (!time || FormatDate(time->utc) != key || !value.is_object()) {
      return InvalidArgumentError("the report window: \"" + key + "\" is not a day of counts");
    }
    Day day;
    DomainTally& t = day.tally;
    ASSIGN_OR_RETURN(t.reports, Count(value.value("reports", nlohmann::json()), key + ".reports"));
    ASSIGN_OR_RETURN(t.successful,
                     Count(value.value("successful", nlohmann::json()), key + ".successful"));
    ASSIGN_OR_RETURN(t.failed, Count(value.value("failed", nlohmann::json()), key + ".failed"));
    ASSIGN_OR_RETURN(t.failures_by_result,
                     CountsFrom(value.value("byResult", nlohmann::json()), key + ".byResult"));
    ASSIGN_OR_RETURN(t.failures_by_mx,
                     CountsFrom(value.value("byMx", nlohmann::json()), key + ".byMx"));
    const nlohmann::json ids = value.value("ids", nlohmann::json::array());
    if (!ids.is_array() || ids.size() > kMaxIdsPerDay) {
      return InvalidArgumentError(key + ".ids: not an array of at most " +
                                  std::to_string(kMaxIdsPerDay) + " ids");
    }
    for (const nlohmann::json& id : ids) {
      if (!id.is_number_unsigned()) return InvalidArgumentError(key + ".ids: not an id");
      day.ids.push_back(id.get<uint64_t>());
    }
    std::sort(day.ids.begin(), day.ids.end());
    day.ids.erase(std::unique(day.ids.begin(), day.ids.end()), day.ids.end());
    window.by_day_[std::chrono::floor<std::chrono::days>(time->utc)] = std::move(day);
  }
  if (window.by_day_.size() > static_cast<size_t>(kMaxWindowDays)) {
    return InvalidArgumentError("the report window: more days than it can hold");
  }
  return window;
}

}  // namespace mtasts::tlsrpt
