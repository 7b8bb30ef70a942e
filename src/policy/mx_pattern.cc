#include "policy/mx_pattern.h"

#include "base/strings.h"
#include "policy/syntax.h"

namespace mtasts::policy {
namespace {

// What is wrong with `pattern` and how to fix it, or nullptr if it is valid. Allocation-free,
// since matching checks the pattern every time.
const char* MxPatternDefect(std::string_view pattern) {
  if (pattern.empty())
    return "is empty; write one host name per line, e.g. \"mx: mail.example.com\"";
  if (HasNonAscii(pattern)) {
    return "is not ASCII; write internationalised names as A-labels (xn--...), e.g. with idn2";
  }
  if (pattern.find_first_of(", \t") != std::string_view::npos) {
    return "holds several names; give each MX its own \"mx:\" line";
  }
  std::string_view domain = pattern;
  if (domain.starts_with("*.")) domain.remove_prefix(2);
  if (domain.find('*') != std::string_view::npos) {
    return "has a wildcard that is not a whole left-most label; only \"*.\" followed by a domain "
           "is allowed, e.g. \"*.example.com\"";
  }
  if (domain.ends_with('.')) {
    return "ends with a root dot; drop it (\"mail.example.com\", not \"mail.example.com.\")";
  }
  if (!IsLdhDomain(domain)) {
    return "is not a host name: use dot-separated labels of 1-63 letters, digits and inner "
           "hyphens (no \"_\", no empty label, at most 253 characters)";
  }
  return nullptr;
}

}  // namespace

Status ValidateMxPattern(std::string_view pattern) {
  const char* defect = MxPatternDefect(pattern);
  if (defect == nullptr) return OkStatus();
  return InvalidArgumentError("mx pattern " + Quote(pattern) + " " + defect);
}

bool MxPatternMatches(std::string_view pattern, std::string_view host) {
  if (host.ends_with('.')) host.remove_suffix(1);
  if (host.empty() || MxPatternDefect(pattern) != nullptr) return false;
  if (!pattern.starts_with("*.")) return AsciiEqualsIgnoreCase(pattern, host);
  size_t dot = host.find('.');
  // The wildcard stands for exactly one non-empty left-most label.
  if (dot == 0 || dot == std::string_view::npos) return false;
  return AsciiEqualsIgnoreCase(pattern.substr(2), host.substr(dot + 1));
}

bool MxHostCovered(const std::vector<std::string>& patterns, std::string_view host) {
  for (const std::string& pattern : patterns) {
    if (MxPatternMatches(pattern, host)) return true;
  }
  return false;
}

bool IsWeakWildcard(std::string_view pattern) {
  return pattern.starts_with("*.") && pattern.substr(2).find('.') == std::string_view::npos;
}

bool LooksLikeIpAddress(std::string_view pattern) {
  int labels = 1;
  for (char c : pattern) {
    if (c == '.') {
      ++labels;
    } else if (!IsDigit(c)) {
      return false;
    }
  }
  return labels == 4 && !pattern.starts_with('.') && !pattern.ends_with('.');
}

}  // namespace mtasts::policy
