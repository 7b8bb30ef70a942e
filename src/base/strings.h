// Byte-string helpers shared by the libraries: ASCII and UTF-8 tests, DNS names and TXT records.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace mtasts {

// ASCII letters lowered, every other byte kept: unlike std::tolower, the locale plays no part.
std::string AsciiLowercase(std::string_view text);

// True if any byte is 0x80 or above.
bool HasNonAscii(std::string_view text);

// A domain name as it is compared and sent (SNI): ASCII lower case, without the root dot.
std::string CanonicalDomain(std::string_view name);

// Whether name can be a host to look up: 1 to 253 letters, digits, '-', '_' and '.' (no byte that
// could become a path, a header or a terminal sequence on its way to a resolver or a log).
bool IsHostName(std::string_view name);

// One TXT record's character-strings joined with nothing between them (RFC 8461 §3.1,
// RFC 8460 §3).
std::string JoinTxtStrings(const std::vector<std::string>& strings);

// The length (1 to 4) of the well-formed UTF-8 sequence that starts at text[at], with its code
// point; 0 if there is none there (a stray or missing continuation byte, an overlong form, a
// surrogate, anything above U+10FFFF).
size_t DecodeUtf8(std::string_view text, size_t at, char32_t* code_point);

// Well-formed UTF-8 throughout.
bool IsValidUtf8(std::string_view text);

}  // namespace mtasts
