#include "k8s/micro_time.h"

#include <cstdio>
#include <ctime>

namespace mtasts::k8s {

std::string FormatMicroTime(Clock::TimePoint time) {
  auto micros = std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch());
  auto seconds = std::chrono::floor<std::chrono::seconds>(micros);
  std::time_t secs = seconds.count();
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>((micros - seconds).count()));
  return buf;
}

}  // namespace mtasts::k8s
