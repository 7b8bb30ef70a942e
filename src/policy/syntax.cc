#include "policy/syntax.h"

#include <cstdio>

namespace mtasts::policy {

bool AsciiEqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool IsExtensionName(std::string_view name) {
  if (name.empty() || name.size() > 32 || !IsAlnum(name[0])) return false;
  for (char c : name) {
    if (!IsAlnum(c) && c != '_' && c != '-' && c != '.') return false;
  }
  return true;
}

bool IsTxtExtensionValue(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x21 || u > 0x7e || c == ';' || c == '=') return false;
  }
  return true;
}

bool IsPolicyExtensionValue(std::string_view value) {
  if (value.empty() || value.front() == ' ' || value.back() == ' ') return false;
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    // Bytes >= 0x80 are UTF-8 sequences the caller has already checked.
    if (u < 0x20 || u == 0x7f) return false;
  }
  return true;
}

bool IsPolicyIdSyntax(std::string_view id) {
  if (id.empty() || id.size() > 32) return false;
  for (char c : id) {
    if (!IsAlnum(c)) return false;
  }
  return true;
}

bool IsLdhDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  size_t label_start = 0;
  for (size_t i = 0; i <= domain.size(); ++i) {
    if (i < domain.size() && domain[i] != '.') {
      char c = domain[i];
      if (!IsAlnum(c) && c != '-') return false;
      continue;
    }
    std::string_view label = domain.substr(label_start, i - label_start);
    if (label.empty() || label.size() > 63) return false;
    if (label.front() == '-' || label.back() == '-') return false;
    label_start = i + 1;
  }
  return true;
}

std::string_view TrimTrailingWsp(std::string_view text) {
  while (!text.empty() && IsWsp(text.back())) text.remove_suffix(1);
  return text;
}

std::string_view TrimWsp(std::string_view text) {
  while (!text.empty() && IsWsp(text.front())) text.remove_prefix(1);
  return TrimTrailingWsp(text);
}

std::string Quote(std::string_view text) {
  constexpr size_t kMaxShown = 80;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    auto u = static_cast<unsigned char>(text[i]);
    if (u >= 0x20 && u < 0x7f && text[i] != '"' && text[i] != '\\') {
      out += text[i];
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    }
  }
  if (text.size() > kMaxShown) out += "...";
  out += '"';
  return out;
}

}  // namespace mtasts::policy
