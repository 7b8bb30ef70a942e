#include "spec/schema.h"

#include <array>

#include "policy/policy_file.h"
#include "policy/tlsrpt_record.h"
#include "spec/value_checks.h"

namespace mtasts::spec {
namespace {

constexpr std::array<std::string_view, 3> kModes = {"none", "testing", "enforce"};
constexpr std::array<std::string_view, 2> kMxDriftActions = {"Demote", "Alert"};
constexpr std::array<std::string_view, 2> kRemovals = {"Graceful", "Immediate"};
constexpr std::array<std::string_view, 1> kDnsProviders = {"ExternalDNS"};

// Lower-case LDH labels (RFC 5321 Domain, A-labels), at least two of them.
#define MTASTS_LABEL "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
constexpr std::string_view kDomainPattern = "^(" MTASTS_LABEL "\\.)+" MTASTS_LABEL "$";
#define MTASTS_ANY_CASE_LABEL "[A-Za-z0-9]([-A-Za-z0-9]{0,61}[A-Za-z0-9])?"
// A domain, or "*." and a domain: the wildcard stands for exactly one left-most label. Any case:
// mx patterns match case-insensitively (RFC 8461 §4.1), and the policy file is written lower-case.
constexpr std::string_view kMxPattern =
    "^(\\*\\.)?(" MTASTS_ANY_CASE_LABEL "\\.)+" MTASTS_ANY_CASE_LABEL "$";
#undef MTASTS_LABEL
#undef MTASTS_ANY_CASE_LABEL
// RFC 8460 rua: mailto: or https:, with ",", "!" and ";" percent-encoded.
constexpr std::string_view kRuaPattern = "^(mailto:[^@\\s,;!]+@[^@\\s,;!]+|https://[^\\s,;!]+)$";
// A Go duration in whole hours, minutes and seconds: "168h", "1h30m", "90s".
constexpr std::string_view kDurationPattern = "^([0-9]+(h|m|s))+$";
constexpr std::string_view kPercentPattern = "^[0-9]{1,3}([.][0-9]{1,2})?%$";

using enum FieldType;

const FieldRule kRules[] = {
    {.path = "apiVersion", .type = kString},
    {.path = "kind", .type = kString},
    {.path = "metadata", .type = kOpenObject},
    {.path = "status", .type = kOpenObject, .default_value = "{}"},
    {.path = "spec", .type = kObject, .required = true},
    {.path = "spec.domain",
     .type = kString,
     .required = true,
     .min_length = 1,
     .max_length = 253,
     .pattern = kDomainPattern,
     .expected = "a lower-case domain name like example.com",
     .validate = ValidatePolicyDomain},
    {.path = "spec.mode", .type = kString, .required = true, .enum_values = kModes},
    {.path = "spec.mx", .type = kList, .max_items = 64, .unique_items = true},
    {.path = "spec.mx[]",
     .type = kString,
     .min_length = 1,
     .max_length = 255,
     .pattern = kMxPattern,
     .expected = "a host name like mx1.example.com or *.example.com",
     .validate = ValidateSpecMxPattern},
    {.path = "spec.maxAge",
     .type = kInteger,
     .default_value = "1209600",
     .minimum = 0,
     .maximum = policy::kMaxMaxAge},
    {.path = "spec.rollout", .type = kObject, .default_value = "{}"},
    {.path = "spec.rollout.testingPeriod",
     .type = kString,
     .default_value = "168h",
     .max_length = 32,
     .pattern = kDurationPattern,
     .expected = "a duration like 168h",
     .validate = ValidateDuration},
    {.path = "spec.rollout.testingMaxAge",
     .type = kInteger,
     .default_value = "86400",
     .minimum = 0,
     .maximum = policy::kMaxMaxAge},
    {.path = "spec.rollout.autoPromote", .type = kBoolean, .default_value = "true"},
    {.path = "spec.rollout.onMxDrift",
     .type = kString,
     .default_value = "Demote",
     .enum_values = kMxDriftActions},
    {.path = "spec.rollout.minCertValidity",
     .type = kString,
     .default_value = "336h",
     .max_length = 32,
     .pattern = kDurationPattern,
     .expected = "a duration like 168h",
     .validate = ValidateDuration},
    {.path = "spec.rollout.maxFailureRate",
     .type = kString,
     .default_value = "1%",
     .max_length = 8,
     .pattern = kPercentPattern,
     .expected = "a percentage like 1% or 0.5%",
     .validate = ValidatePercent},
    {.path = "spec.rollout.minReportedSessions",
     .type = kInteger,
     .default_value = "0",
     .minimum = 0,
     .maximum = 1000000000},
    {.path = "spec.tlsRpt", .type = kObject},
    {.path = "spec.tlsRpt.rua",
     .type = kList,
     .required = true,
     .min_items = 1,
     .max_items = 10,
     .unique_items = true},
    {.path = "spec.tlsRpt.rua[]",
     .type = kString,
     .min_length = 1,
     .max_length = 512,
     .pattern = kRuaPattern,
     .expected = "a mailto: or https: URI",
     .validate = policy::ValidateReportUri},
    {.path = "spec.tlsRpt.ingest", .type = kBoolean, .default_value = "false"},
    {.path = "spec.certificate", .type = kObject},
    {.path = "spec.certificate.issuerRef", .type = kObject, .required = true},
    {.path = "spec.certificate.issuerRef.name",
     .type = kString,
     .required = true,
     .min_length = 1,
     .max_length = 253},
    {.path = "spec.certificate.issuerRef.kind",
     .type = kString,
     .default_value = "Issuer",
     .min_length = 1,
     .max_length = 63},
    {.path = "spec.certificate.issuerRef.group",
     .type = kString,
     .default_value = "cert-manager.io",
     .min_length = 1,
     .max_length = 253},
    {.path = "spec.dns", .type = kObject, .default_value = "{}"},
    {.path = "spec.dns.provider",
     .type = kString,
     .default_value = "ExternalDNS",
     .enum_values = kDnsProviders},
    {.path = "spec.dns.ttl",
     .type = kInteger,
     .default_value = "300",
     .minimum = 30,
     .maximum = 86400},
    {.path = "spec.removal",
     .type = kString,
     .default_value = "Graceful",
     .enum_values = kRemovals},
};

}  // namespace

std::span<const FieldRule> SchemaRules() { return kRules; }

const FieldRule* FindRule(std::string_view path) {
  for (const FieldRule& rule : kRules) {
    if (rule.path == path) return &rule;
  }
  return nullptr;
}

std::string_view FieldTypeName(FieldType type) {
  switch (type) {
    case kObject:
    case kOpenObject:
      return "object";
    case kList:
      return "array";
    case kString:
      return "string";
    case kInteger:
      return "integer";
    case kBoolean:
      return "boolean";
  }
  return "value";
}

}  // namespace mtasts::spec
