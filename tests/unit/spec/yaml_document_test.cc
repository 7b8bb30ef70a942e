#include "spec/yaml_document.h"

#include <gtest/gtest.h>

#include <string>

namespace mtasts::spec {
namespace {

TEST(YamlDocumentTest, BuildsTreeWithPositions) {
  auto doc = ParseYamlDocument("a: 1\nb:\n  - x\n  - 'y'\nc: {d: ~}\n");
  ASSERT_TRUE(doc.ok()) << doc.status().ToString();
  ASSERT_EQ(doc->kind, YamlNode::Kind::kMapping);
  ASSERT_EQ(doc->entries.size(), 3u);
  EXPECT_EQ(doc->entries[1].key, "b");
  EXPECT_EQ(doc->entries[1].key_line, 2);
  EXPECT_EQ(doc->entries[1].key_column, 1);
  const YamlNode* b = doc->Find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->items.size(), 2u);
  EXPECT_EQ(b->items[1].scalar, "y");
  EXPECT_TRUE(b->items[1].quoted);
  EXPECT_FALSE(b->items[0].quoted);
  EXPECT_EQ(b->items[1].line, 4);
  EXPECT_EQ(b->items[1].column, 5);
  EXPECT_EQ(doc->Find("c")->Find("d")->kind, YamlNode::Kind::kNull);
}

TEST(YamlDocumentTest, EmptyInputIsNull) {
  auto doc = ParseYamlDocument("");
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->kind, YamlNode::Kind::kNull);
}

struct Refused {
  std::string name;
  std::string input;
  std::string message_part;
  int line;
};

class YamlRefusalTest : public testing::TestWithParam<Refused> {};

TEST_P(YamlRefusalTest, RefusesWithPosition) {
  TextPosition where;
  auto doc = ParseYamlDocument(GetParam().input, &where);
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(doc.status().message().find(GetParam().message_part), std::string::npos)
      << doc.status().message();
  EXPECT_EQ(where.line, GetParam().line);
}

INSTANTIATE_TEST_SUITE_P(
    Hostile, YamlRefusalTest,
    testing::Values(
        Refused{"Anchor", "a: &x 1\nb: 2\n", "anchors", 1},
        Refused{"Alias", "a: 1\nb: *x\n", "", 2},
        Refused{"BillionLaughs", "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",
                "anchors", 1},
        Refused{"Tag", "a: !!binary aGVsbG8=\n", "tags", 1},
        Refused{"DuplicateKey", "a: 1\nb: 2\na: 3\n", "duplicate key \"a\"", 3},
        Refused{"ComplexKey", "? [a, b]\n: 1\n", "mapping key", 1},
        Refused{"TwoDocuments", "a: 1\n---\nb: 2\n", "more than one YAML document", 2},
        Refused{"Syntax", "a: [1, 2\n", "YAML syntax", 2},
        Refused{"InvalidUtf8", "a: 1\nb: \xff\xfe\n", "invalid UTF-8", 2},
        Refused{"Nul", std::string("a: 1\n\0b: 2\n", 11), "control character 0x00", 2},
        Refused{"TooDeep", std::string(40, '[') + std::string(40, ']'), "nesting deeper", 1}),
    [](const auto& info) { return info.param.name; });

TEST(YamlDocumentTest, RefusesOversizedInput) {
  const std::string big(kMaxYamlBytes + 1, 'a');
  auto doc = ParseYamlDocument(big);
  ASSERT_FALSE(doc.ok());
  EXPECT_NE(doc.status().message().find("the limit is"), std::string::npos);
}

TEST(YamlDocumentTest, DeepNestingFailsFastWithoutCrashing) {
  // Far past yaml-cpp's own recursion guard: must be refused, not overflow the stack.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(ParseYamlDocument(deep).ok());
  std::string block;
  for (int i = 0; i < 200; ++i) block += std::string(i, ' ') + "a:\n";
  EXPECT_FALSE(ParseYamlDocument(block).ok());
}

}  // namespace
}  // namespace mtasts::spec
