// Test helpers for Parsed<T>: the codes of its issues, by severity.
#pragma once

#include <string>
#include <vector>

#include "policy/issue.h"

namespace mtasts::policy {

template <typename T>
std::vector<std::string> Codes(const Parsed<T>& parsed, Severity severity) {
  std::vector<std::string> out;
  for (const Issue& i : parsed.issues) {
    if (i.severity == severity) out.push_back(i.code);
  }
  return out;
}
template <typename T>
std::vector<std::string> Errors(const Parsed<T>& parsed) {
  return Codes(parsed, Severity::kError);
}
template <typename T>
std::vector<std::string> Warnings(const Parsed<T>& parsed) {
  return Codes(parsed, Severity::kWarning);
}

}  // namespace mtasts::policy
