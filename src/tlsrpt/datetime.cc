#include "tlsrpt/datetime.h"

namespace mtasts::tlsrpt {
namespace {

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

}  // namespace mtasts::tlsrpt
