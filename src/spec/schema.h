// The MtaStsPolicy schema as data: one FieldRule per field of the resource, in the same words
// as the CRD's openAPIV3Schema (crds/mtasts.io_mtastspolicies.yaml). The loader enforces these
// rules (unknown fields, types, required, enums, bounds, patterns, defaults) and a unit test
// compares them with the CRD file, so the two cannot drift apart.
// Constant data; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "base/status.h"

namespace mtasts::spec {

inline constexpr std::string_view kApiVersion = "mtasts.io/v1alpha1";
inline constexpr std::string_view kKind = "MtaStsPolicy";

enum class FieldType {
  kObject,      // known fields only
  kOpenObject,  // any fields, not interpreted here (metadata, status)
  kList,        // its items are described by the rule at "<path>[]"
  kString,
  kInteger,
  kBoolean,
};

struct FieldRule {
  std::string_view path;  // "spec.rollout.testingPeriod"; list items: "spec.mx[]"
  FieldType type = FieldType::kString;
  bool required = false;
  std::string_view default_value;  // as YAML text ("1209600", "true", "Demote", "{}"); "" = none
  std::span<const std::string_view> enum_values;
  std::optional<std::int64_t> minimum, maximum;        // kInteger
  std::optional<std::int64_t> min_length, max_length;  // kString
  std::optional<std::int64_t> min_items, max_items;    // kList
  std::string_view pattern;   // kString: a regular expression the whole value must match
  bool unique_items = false;  // kList: x-kubernetes-list-type: set
  // kString: what a valid value looks like, for messages ("a duration like 168h").
  std::string_view expected;
  // kString: a finer check than `pattern`, whose message (what is wrong, how to fix it) is
  // reported instead of the generic one. Runs before the pattern.
  Status (*validate)(std::string_view value) = nullptr;
};

// Every rule, parents before children.
std::span<const FieldRule> SchemaRules();

// The rule for `path`, or nullptr.
const FieldRule* FindRule(std::string_view path);

std::string_view FieldTypeName(FieldType type);

}  // namespace mtasts::spec
