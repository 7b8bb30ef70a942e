// One policy domain's TLS reports over a sliding window of UTC days (a report covers one day,
// RFC 8460 §4.1), in one bucket per day, so what is kept is bounded whatever arrives: at most
// kMaxKeysPerDay result types and MX hosts per day (the rest counted under "(other)"), and the
// ids of at most kMaxIdsPerDay reports per day, so a report that arrives again counts once.
// Persisted as JSON (ToJson/FromJson) so a restart loses nothing. Value type;
// thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "tlsrpt/report.h"
#include "tlsrpt/tally.h"

namespace mtasts::tlsrpt {

inline constexpr int kDefaultWindowDays = 14;
inline constexpr int kMaxWindowDays = 90;
inline constexpr size_t kMaxKeysPerDay = 32;
// 14 days of 2,000 ids fit a ConfigMap (1 MiB) with room to spare; no domain hears from that
// many senders a day (past the cap a report still counts, only its repeat would count again).
inline constexpr size_t kMaxIdsPerDay = 2000;
inline constexpr char kOtherKey[] = "(other)";
// A longer result type or MX host (a host name has at most 253) is counted under kOtherKey, so
// what a sender writes there cannot make a window too large to store.
inline constexpr size_t kMaxKeyBytes = 253;

// What one report says of one policy domain: the day it counts for, its id and its counts. The
// unit the operator's replicas pass through the stored window, so a report counts once however
// many of them received it.
struct ReportCounts {
  std::chrono::sys_days day;
  uint64_t id = 0;  // FNV-1a of organization-name NUL report-id
  DomainTally tally;
};

// What report says of domain (canonical), counted on the day its date-range starts (a day after
// today counts as today: the sender's clock may be ahead); nullopt when it names no policy of
// domain.
std::optional<ReportCounts> CountsFor(const Report& report, std::string_view domain,
                                      std::chrono::sys_days today);

class ReportWindow {
 public:
  // days: 1 .. kMaxWindowDays.
  explicit ReportWindow(int days = kDefaultWindowDays);

  enum class Added {
    kCounted,     // its sessions for the domain count from now on
    kSeenBefore,  // the same organization-name and report-id counted already
    kTooOld,      // its day is out of the window
    kNotForThis,  // it names no policy of the domain
  };
  // Adds what report says of domain (canonical) to its day's bucket (CountsFor), dropping the
  // days that fall out of the window.
  Added Add(const Report& report, std::string_view domain, std::chrono::sys_days today);
  Added Add(const ReportCounts& counts, std::chrono::sys_days today);

  // The days from today - days + 1 to today summed.
  DomainTally Sum(std::chrono::sys_days today) const;

  nlohmann::json ToJson() const;
  // InvalidArgument naming the member when json is not what ToJson writes.
  static StatusOr<ReportWindow> FromJson(const nlohmann::json& json, int days);

 private:
  struct Day {
    DomainTally tally;
    // ReportCounts::id, sorted: a sixth of a std::set's memory, and a day holds few.
    std::vector<uint64_t> ids;
  };
  void Forget(std::chrono::sys_days today);

  int days_;
  std::map<std::chrono::sys_days, Day> by_day_;
};

}  // namespace mtasts::tlsrpt
