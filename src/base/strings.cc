#include "base/strings.h"

#include <algorithm>
#include <cctype>

namespace mtasts {

std::string AsciiLowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool HasNonAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

std::string CanonicalDomain(std::string_view name) {
  if (name.ends_with('.')) name.remove_suffix(1);
  return AsciiLowercase(name);
}

std::string JoinTxtStrings(const std::vector<std::string>& strings) {
  std::string out;
  for (const std::string& s : strings) out += s;
  return out;
}

size_t DecodeUtf8(std::string_view text, size_t at, char32_t* code_point) {
  auto b = static_cast<unsigned char>(text[at]);
  size_t extra;
  char32_t cp;
  if (b < 0x80) {
    extra = 0, cp = b;
  } else if ((b & 0xe0) == 0xc0) {
    extra = 1, cp = b & 0x1f;
  } else if ((b & 0xf0) == 0xe0) {
    extra = 2, cp = b & 0x0f;
  } else if ((b & 0xf8) == 0xf0) {
    extra = 3, cp = b & 0x07;
  } else {
    return 0;
  }
  if (at + extra >= text.size()) return 0;  // truncated sequence
  for (size_t k = 1; k <= extra; ++k) {
    auto c = static_cast<unsigned char>(text[at + k]);
    if ((c & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3f);
  }
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (cp < kMin[extra] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  *code_point = cp;
  return extra + 1;
}

bool IsValidUtf8(std::string_view text) {
  char32_t ignored;
  for (size_t i = 0; i < text.size();) {
    size_t n = DecodeUtf8(text, i, &ignored);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool IsHostName(std::string_view name) {
  return !name.empty() && name.size() <= 253 &&
         std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) || c == '-' || c == '_' || c == '.';
         });
}

}  // namespace mtasts
