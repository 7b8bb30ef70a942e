#include "base/printable.h"

#include "base/strings.h"

namespace mtasts {
namespace {

// Code points that are shown escaped although they are well-formed.
bool IsHidden(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||  // C0, DEL, C1
         cp == 0x061c ||                             // ARABIC LETTER MARK
         cp == 0x200e || cp == 0x200f ||             // LRM, RLM
         (cp >= 0x2028 && cp <= 0x202e) ||           // LINE/PARAGRAPH SEPARATOR, LRE..RLO
         (cp >= 0x2066 && cp <= 0x2069);             // LRI..PDI
}

void AppendEscaped(std::string& out, std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char c : bytes) out += {'\\', 'x', kHex[c >> 4], kHex[c & 0xf]};
}

}  // namespace

std::string Printable(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    char32_t cp = 0;
    size_t n = DecodeUtf8(bytes, i, &cp);
    if (n == 0) {
      AppendEscaped(out, bytes.substr(i, 1));
      ++i;
    } else if (IsHidden(cp)) {
      AppendEscaped(out, bytes.substr(i, n));
      i += n;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

}  // namespace mtasts
