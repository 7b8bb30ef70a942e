// Mode names and the canonical renderer (RFC 8461 §3.2, the project's canonical form).
#include "policy/policy_file.h"

#include <algorithm>
#include <string>

#include "policy/mx_pattern.h"
#include "policy/syntax.h"

namespace mtasts::policy {
namespace {

bool IsStandardField(std::string_view name) {
  return name == "version" || name == "mode" || name == "mx" || name == "max_age";
}

Status CheckExtensions(const Policy& policy) {
  for (size_t i = 0; i < policy.extensions.size(); ++i) {
    const auto& [name, value] = policy.extensions[i];
    if (!IsExtensionName(name)) {
      return InvalidArgumentError("extension name " + Quote(name) +
                                  " is not valid: use 1-32 letters, digits, \"_\", \"-\" or "
                                  "\".\", starting with a letter or digit");
    }
    if (IsStandardField(AsciiLowercase(name))) {
      return InvalidArgumentError("extension " + Quote(name) +
                                  " shadows a standard field; set that field instead");
    }
    if (!IsValidUtf8(value) || !IsPolicyExtensionValue(value)) {
      return InvalidArgumentError("extension " + name + " has value " + Quote(value) +
                                  "; use visible characters, spaces only between them");
    }
    for (size_t j = 0; j < i; ++j) {
      if (policy.extensions[j].first == name) {
        return InvalidArgumentError("extension " + name + " is given twice; keep one");
      }
    }
  }
  return OkStatus();
}

Status CheckRenderable(const Policy& policy) {
  if (policy.version != "STSv1") {
    return InvalidArgumentError("version " + Quote(policy.version) + " is not STSv1");
  }
  if (policy.max_age < 0 || policy.max_age > kMaxMaxAge) {
    return InvalidArgumentError("max_age " + std::to_string(policy.max_age) + " is outside 0.." +
                                std::to_string(kMaxMaxAge) + " seconds");
  }
  if (policy.mode != Mode::kNone && policy.mx.empty()) {
    return InvalidArgumentError("mode " + std::string(ModeName(policy.mode)) +
                                " needs at least one mx pattern");
  }
  for (const std::string& mx : policy.mx) RETURN_IF_ERROR(ValidateMxPattern(mx));
  return CheckExtensions(policy);
}

}  // namespace

std::string_view ModeName(Mode mode) {
  switch (mode) {
    case Mode::kEnforce:
      return "enforce";
    case Mode::kTesting:
      return "testing";
    case Mode::kNone:
      return "none";
  }
  return "none";
}

std::optional<Mode> ModeFromName(std::string_view name) {
  if (name == "enforce") return Mode::kEnforce;
  if (name == "testing") return Mode::kTesting;
  if (name == "none") return Mode::kNone;
  return std::nullopt;
}

std::vector<std::string> CanonicalMxList(const std::vector<std::string>& mx) {
  std::vector<std::string> out;
  out.reserve(mx.size());
  for (const std::string& pattern : mx) out.push_back(AsciiLowercase(pattern));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

StatusOr<std::string> RenderPolicy(const Policy& policy) {
  RETURN_IF_ERROR(CheckRenderable(policy));
  std::string out = "version: STSv1\r\nmode: ";
  out += ModeName(policy.mode);
  out += "\r\n";
  for (const std::string& mx : CanonicalMxList(policy.mx)) {
    out += "mx: ";
    out += mx;
    out += "\r\n";
  }
  out += "max_age: " + std::to_string(policy.max_age) + "\r\n";
  for (const auto& [name, value] : policy.extensions) {
    out += name + ": " + value + "\r\n";
  }
  if (out.size() > kMaxPolicyBytes) {
    return InvalidArgumentError("the policy would be " + std::to_string(out.size()) +
                                " bytes, more than senders read (" +
                                std::to_string(kMaxPolicyBytes) + "); use wildcard patterns");
  }
  return out;
}

}  // namespace mtasts::policy
