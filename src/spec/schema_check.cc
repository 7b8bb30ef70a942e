#include "spec/schema_check.h"

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "base/did_you_mean.h"
#include "policy/syntax.h"
#include "spec/schema.h"

namespace mtasts::spec {
namespace {

const std::regex kLeadingZeros("-?0[0-9]+");
// YAML 1.1 booleans, which Kubernetes' YAML reader still honours in places.
const std::regex kOldBoolean("y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF");

// Rule patterns, compiled once.
const std::regex& CompiledPattern(const FieldRule& rule) {
  static const auto* compiled = [] {
    auto* map = new std::map<std::string_view, std::regex>;
    for (const FieldRule& r : SchemaRules()) {
      if (!r.pattern.empty()) map->emplace(r.path, std::regex(std::string(r.pattern)));
    }
    return map;
  }();
  return compiled->at(rule.path);
}

// The rules of the direct fields of the object at `parent` ("" for the document).
std::vector<const FieldRule*> FieldsOf(std::string_view parent) {
  std::vector<const FieldRule*> fields;
  for (const FieldRule& rule : SchemaRules()) {
    std::string_view path = rule.path;
    if (!parent.empty()) {
      if (!path.starts_with(parent) || path.size() <= parent.size() + 1 ||
          path[parent.size()] != '.') {
        continue;
      }
      path.remove_prefix(parent.size() + 1);
    }
    if (path.find_first_of(".[") == std::string_view::npos) fields.push_back(&rule);
  }
  return fields;
}

std::string Join(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) out += (out.empty() ? "" : ", ") + std::string(name);
  return out;
}

std::string Article(std::string_view noun) {
  return (noun.find_first_of("aeiou") == 0 ? "an " : "a ") + std::string(noun);
}

class SchemaChecker {
 public:
  explicit SchemaChecker(std::vector<Diagnostic>& out) : out_(out) {}

  void Check(const YamlNode& node, const FieldRule& rule, const std::string& path) {
    switch (rule.type) {
      case FieldType::kOpenObject:
        if (node.kind != YamlNode::Kind::kMapping) WrongType(node, rule, path);
        return;
      case FieldType::kObject:
        return CheckObject(node, rule.path, path);
      case FieldType::kList:
        return CheckList(node, rule, path);
      case FieldType::kString:
        return CheckString(node, rule, path);
      case FieldType::kInteger:
        return CheckInteger(node, rule, path);
      case FieldType::kBoolean:
        return CheckBoolean(node, rule, path);
    }
  }

  void CheckObject(const YamlNode& node, std::string_view rule_path, const std::string& path) {
    if (node.kind != YamlNode::Kind::kMapping) {
      return Report(node, path, "expected a mapping of fields, got " + Describe(node));
    }
    const std::vector<const FieldRule*> fields = FieldsOf(rule_path);
    std::vector<std::string_view> names;
    for (const FieldRule* field : fields) names.push_back(Leaf(field->path));
    for (const YamlEntry& entry : node.entries) {
      const std::string& key = entry.key;
      const YamlNode& value = entry.value;
      const std::string child = path.empty() ? key : path + "." + key;
      const FieldRule* rule =
          FindRule(rule_path.empty() ? key : std::string(rule_path) + "." + key);
      if (rule == nullptr) {
        const auto suggestion = ClosestName(key, names);
        ReportAt(entry.key_line, entry.key_column, child,
                 suggestion ? "unknown field; did you mean " + std::string(*suggestion) + "?"
                            : "unknown field; the fields here are " + Join(names));
      } else if (value.kind != YamlNode::Kind::kNull) {
        Check(value, *rule, child);
      }
    }
    for (const FieldRule* field : fields) {
      const YamlNode* value = node.Find(Leaf(field->path));
      if (field->required && (value == nullptr || value->kind == YamlNode::Kind::kNull)) {
        const std::string child =
            path.empty() ? std::string(field->path) : path + "." + std::string(Leaf(field->path));
        Report(value ? *value : node, child, "required field is missing");
      }
    }
  }

 private:
  static std::string_view Leaf(std::string_view rule_path) {
    const std::size_t dot = rule_path.rfind('.');
    return dot == std::string_view::npos ? rule_path : rule_path.substr(dot + 1);
  }

  void CheckList(const YamlNode& node, const FieldRule& rule, const std::string& path) {
    if (node.kind != YamlNode::Kind::kSequence) return WrongType(node, rule, path);
    const auto count = static_cast<std::int64_t>(node.items.size());
    if (rule.min_items && count < *rule.min_items) {
      Report(node, path, "needs at least " + std::to_string(*rule.min_items) + " item(s)");
    }
    if (rule.max_items && count > *rule.max_items) {
      return Report(node, path,
                    "has " + std::to_string(count) + " items; at most " +
                        std::to_string(*rule.max_items) + " are allowed");
    }
    const FieldRule* item_rule = FindRule(std::string(rule.path) + "[]");
    std::set<std::string> seen;
    for (std::size_t i = 0; i < node.items.size(); ++i) {
      const YamlNode& item = node.items[i];
      const std::string item_path = path + "[" + std::to_string(i) + "]";
      if (item.kind == YamlNode::Kind::kNull) {
        Report(item, item_path, "empty list item; remove it");
        continue;
      }
      Check(item, *item_rule, item_path);
      if (rule.unique_items && item.kind == YamlNode::Kind::kScalar &&
          !seen.insert(item.scalar).second) {
        Report(item, item_path, "duplicate " + policy::Quote(item.scalar) + "; list it once");
      }
    }
  }

  void CheckString(const YamlNode& node, const FieldRule& rule, const std::string& path) {
    if (node.kind != YamlNode::Kind::kScalar) return WrongType(node, rule, path);
    if (ScalarTypeName(node) != "string") {
      return Report(
          node, path,
          "expected a string, got " + Describe(node) + "; put it in quotes if you mean the text");
    }
    const std::string& value = node.scalar;
    const auto length = static_cast<std::int64_t>(value.size());
    if (rule.min_length && length < *rule.min_length) {
      return Report(node, path, "must not be empty");
    }
    if (rule.max_length && length > *rule.max_length) {
      return Report(node, path,
                    "is " + std::to_string(length) + " characters long; at most " +
                        std::to_string(*rule.max_length) + " are allowed");
    }
    if (!rule.enum_values.empty()) return CheckEnum(node, rule, path);
    if (rule.validate != nullptr) {
      if (Status status = rule.validate(value); !status.ok()) {
        return Report(node, path, status.message());
      }
    }
    if (!rule.pattern.empty() && !std::regex_match(value, CompiledPattern(rule))) {
      Report(node, path, policy::Quote(value) + " is not " + std::string(rule.expected));
    }
  }

  void CheckEnum(const YamlNode& node, const FieldRule& rule, const std::string& path) {
    for (std::string_view allowed : rule.enum_values) {
      if (node.scalar == allowed) return;
    }
    std::vector<std::string_view> names(rule.enum_values.begin(), rule.enum_values.end());
    const auto suggestion = ClosestName(node.scalar, rule.enum_values);
    Report(node, path,
           policy::Quote(node.scalar) + " is not one of " + Join(names) +
               (suggestion ? "; did you mean " + std::string(*suggestion) + "?" : ""));
  }

  void CheckInteger(const YamlNode& node, const FieldRule& rule, const std::string& path) {
    if (node.kind == YamlNode::Kind::kScalar && !node.quoted && node.scalar.size() < 32 &&
        std::regex_match(node.scalar, kLeadingZeros)) {
      return Report(
          node, path,
          "write " + node.scalar + " without leading zeros (YAML may " + "read it as octal)");
    }
    if (node.kind != YamlNode::Kind::kScalar || ScalarTypeName(node) != "integer") {
      return WrongType(node, rule, path);
    }
    const std::int64_t value = std::stoll(node.scalar);
    if (rule.minimum && value < *rule.minimum) {
      Report(node, path, "must be at least " + std::to_string(*rule.minimum));
    } else if (rule.maximum && value > *rule.maximum) {
      Report(node, path, "must be at most " + std::to_string(*rule.maximum));
    }
  }

  void CheckBoolean(const YamlNode& node, const FieldRule& rule, const std::string& path) {
    if (node.kind == YamlNode::Kind::kScalar && !node.quoted && node.scalar.size() < 8 &&
        std::regex_match(node.scalar, kOldBoolean)) {
      return Report(node, path, "write true or false, not " + node.scalar);
    }
    if (node.kind != YamlNode::Kind::kScalar || ScalarTypeName(node) != "boolean") {
      WrongType(node, rule, path);
    }
  }

  void WrongType(const YamlNode& node, const FieldRule& rule, const std::string& path) {
    std::string want = std::string(FieldTypeName(rule.type));
    if (rule.type == FieldType::kList) want = "list";
    if (rule.type == FieldType::kObject || rule.type == FieldType::kOpenObject) want = "mapping";
    Report(node, path, "expected " + Article(want) + ", got " + Describe(node));
  }

  static std::string Describe(const YamlNode& node) {
    if (node.kind != YamlNode::Kind::kScalar) return Article(KindName(node));
    return Article(ScalarTypeName(node)) + " (" + policy::Quote(node.scalar) + ")";
  }

  void Report(const YamlNode& at, const std::string& path, std::string message) {
    ReportAt(at.line, at.column, path, std::move(message));
  }
  void ReportAt(int line, int column, const std::string& path, std::string message) {
    out_.push_back({Severity::kError, path, line, column, std::move(message)});
  }

  std::vector<Diagnostic>& out_;
};

}  // namespace

void CheckAgainstSchema(const YamlNode& root, std::vector<Diagnostic>& diagnostics) {
  SchemaChecker(diagnostics).CheckObject(root, "", "");
}

}  // namespace mtasts::spec
