#include "k8s/micro_time.h"

#include <cctype>
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

namespace {

// Reads `width` digits at text[pos]; -1 when they are not all digits.
int Digits(std::string_view text, size_t pos, size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::optional<Clock::TimePoint> ParseTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS, at fixed positions.
  std::tm tm{};
  int fields[] = {Digits(text, 0, 4),  Digits(text, 5, 2),  Digits(text, 8, 2),
                  Digits(text, 11, 2), Digits(text, 14, 2), Digits(text, 17, 2)};
  for (int field : fields) {
    if (field < 0) return std::nullopt;
  }
  if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  if (fields[1] < 1 || fields[1] > 12 || fields[2] < 1 || fields[2] > 31 || fields[3] > 23 ||
      fields[4] > 59 || fields[5] > 60) {
    return std::nullopt;
  }
  tm.tm_year = fields[0] - 1900;
  tm.tm_mon = fields[1] - 1;
  tm.tm_mday = fields[2];
  tm.tm_hour = fields[3];
  tm.tm_min = fields[4];
  tm.tm_sec = fields[5];
  if (text.size() < 20) return std::nullopt;
  size_t pos = 19;
  std::chrono::nanoseconds fraction{0};
  if (pos < text.size() && text[pos] == '.') {
    size_t start = ++pos;
    long long scale = 1'000'000'000;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      scale /= 10;
      fraction += std::chrono::nanoseconds((text[pos] - '0') * scale);
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::chrono::minutes offset{0};
  std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "z") {
    int hours = Digits(zone, 1, 2), minutes = Digits(zone, 4, 2);
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || zone[3] != ':' || hours < 0 ||
        minutes < 0) {
      return std::nullopt;
    }
    offset = std::chrono::minutes(hours * 60 + minutes) * (zone[0] == '-' ? -1 : 1);
  }
  // Past what the clock can count (nanoseconds: the year 2262), a time is as good as never.
  std::chrono::seconds since_epoch(timegm(&tm));
  constexpr auto kLast =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::TimePoint::duration::max()) -
      std::chrono::hours(48);
  if (since_epoch > kLast) return Clock::TimePoint::max();
  return Clock::TimePoint(since_epoch) + fraction - offset;
}

}  // namespace mtasts::k8s
