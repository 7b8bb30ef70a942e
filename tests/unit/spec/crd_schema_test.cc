// The CRD file is the source of truth for the resource's schema; src/spec/schema.cc restates it
// for the loader. These tests fail as soon as the two disagree, in either direction.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "spec/schema.h"

namespace mtasts::spec {
namespace {

class CrdSchemaTest : public testing::Test {
 protected:
  void SetUp() override {
    crd_ = YAML::LoadFile(MTASTS_CRD_FILE);
    version_ = crd_["spec"]["versions"][0];
    Flatten(version_["schema"]["openAPIV3Schema"], "", {});
  }

  // Records every property of the schema by its path in the rule table's notation.
  void Flatten(const YAML::Node& schema, const std::string& path,
               const std::vector<std::string>& parent_required) {
    if (!path.empty()) properties_[path] = {schema, parent_required};
    if (path == "metadata" || path == "status") return;  // open objects in the rule table
    if (schema["items"]) Flatten(schema["items"], path + "[]", {});
    std::vector<std::string> required;
    if (schema["required"]) required = schema["required"].as<std::vector<std::string>>();
    for (const auto& property : schema["properties"]) {
      const std::string name = property.first.as<std::string>();
      Flatten(property.second, path.empty() ? name : path + "." + name, required);
    }
  }

  static std::optional<std::int64_t> Int(const YAML::Node& node, const char* key) {
    if (!node[key]) return std::nullopt;
    return node[key].as<std::int64_t>();
  }
  static std::string Text(const YAML::Node& node, const char* key) {
    if (!node[key]) return "";
    if (node[key].IsMap()) return node[key].size() == 0 ? "{}" : "<mapping>";
    return node[key].as<std::string>();
  }

  struct Property {
    YAML::Node schema;
    std::vector<std::string> parent_required;
  };
  YAML::Node crd_;
  YAML::Node version_;
  std::map<std::string, Property> properties_;
};

TEST_F(CrdSchemaTest, GroupVersionAndKindMatch) {
  EXPECT_EQ(crd_["spec"]["group"].as<std::string>() + "/" + version_["name"].as<std::string>(),
            kApiVersion);
  EXPECT_EQ(crd_["spec"]["names"]["kind"].as<std::string>(), kKind);
}

TEST_F(CrdSchemaTest, EveryRuleMatchesItsCrdProperty) {
  for (const FieldRule& rule : SchemaRules()) {
    SCOPED_TRACE(std::string(rule.path));
    const auto it = properties_.find(std::string(rule.path));
    ASSERT_NE(it, properties_.end()) << "missing from the CRD";
    const YAML::Node& s = it->second.schema;
    const std::string leaf = std::string(rule.path.substr(rule.path.rfind('.') + 1));
    const auto& required = it->second.parent_required;
    EXPECT_EQ(Text(s, "type"), FieldTypeName(rule.type));
    EXPECT_EQ(std::find(required.begin(), required.end(), leaf) != required.end(), rule.required);
    EXPECT_EQ(Text(s, "default"), rule.default_value);
    EXPECT_EQ(Text(s, "pattern"), rule.pattern);
    EXPECT_EQ(Int(s, "minimum"), rule.minimum);
    EXPECT_EQ(Int(s, "maximum"), rule.maximum);
    EXPECT_EQ(Int(s, "minLength"), rule.min_length);
    EXPECT_EQ(Int(s, "maxLength"), rule.max_length);
    EXPECT_EQ(Int(s, "minItems"), rule.min_items);
    EXPECT_EQ(Int(s, "maxItems"), rule.max_items);
    EXPECT_EQ(Text(s, "x-kubernetes-list-type") == "set", rule.unique_items);
    std::vector<std::string> crd_enum, rule_enum(rule.enum_values.begin(), rule.enum_values.end());
    if (s["enum"]) crd_enum = s["enum"].as<std::vector<std::string>>();
    EXPECT_EQ(crd_enum, rule_enum);
  }
}

TEST_F(CrdSchemaTest, EveryCrdPropertyHasARule) {
  for (const auto& [path, property] : properties_) {
    if (path.starts_with("metadata.") || path.starts_with("status.")) continue;
    EXPECT_NE(FindRule(path), nullptr) << path << " is in the CRD but not in src/spec/schema.cc";
  }
}

TEST_F(CrdSchemaTest, ServesStatusAndPrintsTheRollout) {
  EXPECT_TRUE(version_["subresources"]["status"].IsMap());
  std::vector<std::string> columns;
  for (const auto& column : version_["additionalPrinterColumns"]) {
    columns.push_back(column["name"].as<std::string>());
  }
  EXPECT_EQ(columns, (std::vector<std::string>{"Domain", "Target", "Effective", "Id", "Ready",
                                               "Status", "Eligible", "Age"}));
  const YAML::Node status = properties_.at("status").schema["properties"];
  // Every field the operator writes (controller/policy_status.cc, controller/rollout_status.cc):
  // the API server drops the rest.
  for (const char* field : {"observedGeneration", "effectiveMode", "policyId", "policyHash",
                            "publishedAt", "lastServedAt", "testingSince", "largestMaxAge",
                            "removalHoldSince", "promotion", "conditions"}) {
    EXPECT_TRUE(status[field]) << field;
  }
  const YAML::Node promotion = status["promotion"]["properties"];
  for (const char* field : {"servingMode", "targetMode", "eligibleAt", "blockedBy",
                            "lastValidation", "reportedFailures", "reportedFailuresAtEnforce"}) {
    EXPECT_TRUE(promotion[field]) << "promotion." << field;
  }
  // status keeps at most 20 blockers and findings (controller/rollout_gates.h: kMaxKeptFindings).
  EXPECT_EQ(promotion["blockedBy"]["maxItems"].as<int>(), 20);
  EXPECT_EQ(promotion["lastValidation"]["properties"]["findings"]["maxItems"].as<int>(), 20);
  // effectiveMode uses the same words as spec.mode.
  EXPECT_EQ(status["effectiveMode"]["enum"].as<std::vector<std::string>>(),
            properties_.at("spec.mode").schema["enum"].as<std::vector<std::string>>());
}

}  // namespace
}  // namespace mtasts::spec
