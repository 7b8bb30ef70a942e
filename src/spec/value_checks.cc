#include "spec/value_checks.h"

#include <algorithm>
#include <string>

#include "base/strings.h"
#include "policy/mx_pattern.h"
#include "policy/syntax.h"
#include "spec/duration.h"
#include "spec/percent.h"

namespace mtasts::spec {
namespace {

bool HasUpperCase(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

bool AllDigits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), policy::IsDigit);
}

}  // namespace

Status ValidatePolicyDomain(std::string_view domain) {
  const std::string quoted = policy::Quote(domain);
  if (domain.starts_with("*.")) {
    return InvalidArgumentError(quoted + " is a wildcard; a policy covers exactly one mail " +
                                "domain: write it without \"*.\" and add one resource per domain");
  }
  if (domain.ends_with(".")) {
    return InvalidArgumentError(quoted + " ends with a dot; write it without the trailing dot");
  }
  if (!IsValidUtf8(domain) ||
      std::any_of(domain.begin(), domain.end(), [](char c) { return (c & 0x80) != 0; })) {
    return InvalidArgumentError(quoted + " is not ASCII; write internationalized names as " +
                                "A-labels (xn--...), e.g. with `idn2 --quiet`");
  }
  if (HasUpperCase(domain)) {
    return InvalidArgumentError(quoted + " has upper case; write it in lower case: \"" +
                                AsciiLowercase(domain) + "\"");
  }
  if (!policy::IsLdhDomain(domain)) {
    return InvalidArgumentError(quoted + " is not a domain name: use letters, digits and inner " +
                                "hyphens in labels of 1-63 characters joined by dots");
  }
  const std::size_t last_dot = domain.rfind('.');
  if (last_dot == std::string_view::npos) {
    return InvalidArgumentError(quoted + " has a single label; write the full mail domain, " +
                                "like example.com");
  }
  if (AllDigits(domain.substr(last_dot + 1))) {
    return InvalidArgumentError(quoted + " looks like an IP address; MTA-STS applies to " +
                                "domain names (RFC 8461 §3.4)");
  }
  // The policy host mta-sts.<domain> is a name too, and a name has at most 253 characters.
  constexpr std::size_t kMaxName = 253;
  constexpr std::string_view kPolicyHostLabel = "mta-sts.";
  if (domain.size() + kPolicyHostLabel.size() > kMaxName) {
    return InvalidArgumentError(
        quoted + " has " + std::to_string(domain.size()) + " characters: the policy host mta-sts." +
        "<domain> would pass the 253 characters a DNS name may have; at most " +
        std::to_string(kMaxName - kPolicyHostLabel.size()) + " are possible");
  }
  return OkStatus();
}

Status ValidateSpecMxPattern(std::string_view pattern) {
  RETURN_IF_ERROR(policy::ValidateMxPattern(pattern));
  if (policy::IsWeakWildcard(pattern)) {
    return InvalidArgumentError(policy::Quote(pattern) + " covers every host under a top-level " +
                                "domain; list your MX hosts or a wildcard under your own " +
                                "domain (RFC 8461 §10.4)");
  }
  return OkStatus();
}

Status ValidateDuration(std::string_view text) {
  if (ParseDuration(text)) return OkStatus();
  return InvalidArgumentError(policy::Quote(text) + " is not a duration: write whole hours, " +
                              "minutes or seconds like 168h, 1h30m or 90s, at most 8784h");
}

Status ValidatePercent(std::string_view text) {
  if (ParsePercent(text)) return OkStatus();
  return InvalidArgumentError(policy::Quote(text) + " is not a percentage: write 0% to 100% " +
                              "with at most two decimals, like 1% or 0.5%");
}

}  // namespace mtasts::spec
