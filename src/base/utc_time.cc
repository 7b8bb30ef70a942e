#include "base/utc_time.h"

#include <cstdio>

namespace mtasts {
namespace {

struct UtcFields {
  int year;
  unsigned month, day;
  int hour, minute, second;
  long long micros;  // within the second
};

UtcFields Split(UtcTime time) {
  using namespace std::chrono;
  const auto micros = floor<microseconds>(time);
  const auto day = floor<days>(micros);
  const year_month_day date{day};
  const hh_mm_ss clock{micros - day};
  return {static_cast<int>(date.year()),
          static_cast<unsigned>(date.month()),
          static_cast<unsigned>(date.day()),
          static_cast<int>(clock.hours().count()),
          static_cast<int>(clock.minutes().count()),
          static_cast<int>(clock.seconds().count()),
          static_cast<long long>(clock.subseconds().count())};
}

// Reads exactly `width` digits at *pos.
bool ReadNumber(std::string_view text, size_t* pos, int width, int* out) {
  if (*pos + width > text.size()) return false;
  int value = 0;
  for (int i = 0; i < width; ++i) {
    char c = text[*pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  *pos += width;
  *out = value;
  return true;
}

bool Expect(std::string_view text, size_t* pos, std::string_view chars) {
  if (*pos >= text.size() || chars.find(text[*pos]) == std::string_view::npos) return false;
  ++*pos;
  return true;
}

}  // namespace

std::string FormatUtc(UtcTime time, SecondFraction fraction) {
  const UtcFields f = Split(time);
  char buf[40];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", f.year, f.month, f.day,
                        f.hour, f.minute, f.second);
  if (fraction == SecondFraction::kMillis) {
    n += std::snprintf(buf + n, sizeof buf - n, ".%03lld", f.micros / 1000);
  } else if (fraction == SecondFraction::kMicros) {
    n += std::snprintf(buf + n, sizeof buf - n, ".%06lld", f.micros);
  }
  std::snprintf(buf + n, sizeof buf - n, "Z");
  return buf;
}

std::string FormatDate(UtcTime time) {
  const UtcFields f = Split(time);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", f.year, f.month, f.day);
  return buf;
}

std::string FormatUtcCompact(UtcTime time) {
  const UtcFields f = Split(time);
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", f.year, f.month, f.day, f.hour,
                f.minute, f.second);
  return buf;
}

std::optional<DateTime> ParseDateTime(std::string_view text) {
  using namespace std::chrono;
  size_t pos = 0;
  int y, mo, d, h, mi, s;
  if (!ReadNumber(text, &pos, 4, &y) || !Expect(text, &pos, "-") ||
      !ReadNumber(text, &pos, 2, &mo) || !Expect(text, &pos, "-") ||
      !ReadNumber(text, &pos, 2, &d) || !Expect(text, &pos, "Tt") ||
      !ReadNumber(text, &pos, 2, &h) || !Expect(text, &pos, ":") ||
      !ReadNumber(text, &pos, 2, &mi) || !Expect(text, &pos, ":") ||
      !ReadNumber(text, &pos, 2, &s)) {
    return std::nullopt;
  }
  if (pos < text.size() && text[pos] == '.') {
    size_t digits_start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == digits_start) return std::nullopt;
  }
  year_month_day date{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  // Second 60 is a leap second (RFC 3339 §5.6); it is read as the following second.
  if (!date.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  sys_seconds local = sys_days{date} + hours{h} + minutes{mi} + seconds{s};
  if (pos == text.size()) return DateTime{local, false};
  if (Expect(text, &pos, "Zz")) {
    if (pos != text.size()) return std::nullopt;
    return DateTime{local, true};
  }
  char sign = text[pos];
  int oh, om;
  if (!Expect(text, &pos, "+-") || !ReadNumber(text, &pos, 2, &oh) || !Expect(text, &pos, ":") ||
      !ReadNumber(text, &pos, 2, &om) || pos != text.size() || oh > 23 || om > 59) {
    return std::nullopt;
  }
  minutes offset = hours{oh} + minutes{om};
  return DateTime{sign == '+' ? local - offset : local + offset, true};
}

}  // namespace mtasts
