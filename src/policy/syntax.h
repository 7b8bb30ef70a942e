// Character-level grammar shared by the RFC 8461/8460 parsers: the ABNF terminals (ALPHA, DIGIT,
// WSP), extension names and values, RFC 5321 domains (the ASCII and UTF-8 tests are in
// base/strings.h). Pure functions, no allocation; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "base/strings.h"

namespace mtasts::policy {

inline bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }
inline bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
inline bool IsWsp(char c) { return c == ' ' || c == '\t'; }
inline char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b);

// ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."), shared by both RFCs.
bool IsExtensionName(std::string_view name);

// TXT ext-value = 1*(%x21-3A / %x3C / %x3E-7E): visible ASCII except ";" and "=".
bool IsTxtExtensionValue(std::string_view value);

// Policy ext-value = vchar [*(SP / vchar) vchar], vchar = %x21-7E or a UTF-8 multi-byte
// character. `value` must already be valid UTF-8.
bool IsPolicyExtensionValue(std::string_view value);

// 1*32(ALPHA / DIGIT): the MTA-STS policy id.
bool IsPolicyIdSyntax(std::string_view id);

// RFC 5321 Domain: LDH labels joined by ".", each label 1-63 octets, at most 253 octets in all,
// no root dot. Upper case is allowed (names compare case-insensitively).
bool IsLdhDomain(std::string_view domain);

std::string_view TrimWsp(std::string_view text);
std::string_view TrimTrailingWsp(std::string_view text);

// Renders a byte string for a message: printable ASCII as is, the rest as \xNN, cut at 80.
std::string Quote(std::string_view text);

}  // namespace mtasts::policy
