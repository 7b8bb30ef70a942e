#include "controller/covers.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

using k8s::Object;

const Object kDesired = Object::parse(R"({
  "apiVersion": "v1", "kind": "ConfigMap",
  "metadata": {"name": "a", "labels": {"l": "1"}, "ownerReferences": [{"uid": "u"}]},
  "data": {"k": "v"}})");

// One healthy case, one change per row.
TEST(CoversTest, OneChangePerRow) {
  struct Row {
    const char* name;
    const char* observed;
    bool covers;
  };
  const Row rows[] = {
      {"identical",
       R"({"metadata": {"name": "a", "labels": {"l": "1"}, "ownerReferences": [{"uid": "u"}]}, "data": {"k": "v"}})",
       true},
      {"extra fields of others and of the server",
       R"({"metadata": {"name": "a", "resourceVersion": "7", "labels": {"l": "1", "x": "y"},
           "ownerReferences": [{"uid": "u", "controller": true}]}, "data": {"k": "v"}, "binaryData": {}})",
       true},
      {"a value differs",
       R"({"metadata": {"name": "a", "labels": {"l": "1"}, "ownerReferences": [{"uid": "u"}]}, "data": {"k": "w"}})",
       false},
      {"a key is missing",
       R"({"metadata": {"name": "a", "ownerReferences": [{"uid": "u"}]}, "data": {"k": "v"}})",
       false},
      {"an array holds more",
       R"({"metadata": {"name": "a", "labels": {"l": "1"}, "ownerReferences": [{"uid": "u"}, {"uid": "w"}]}, "data": {"k": "v"}})",
       false},
      {"a type differs",
       R"({"metadata": {"name": "a", "labels": {"l": "1"}, "ownerReferences": {"uid": "u"}}, "data": {"k": "v"}})",
       false},
      {"not an object", R"("text")", false},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(Covers(Object::parse(row.observed), kDesired), row.covers) << row.name;
  }
}

TEST(CoversTest, NumbersCompareByValue) {
  EXPECT_TRUE(Covers(Object::parse(R"({"ttl": 300})"), Object{{"ttl", int64_t{300}}}));
  EXPECT_FALSE(Covers(Object::parse(R"({"ttl": 301})"), Object{{"ttl", int64_t{300}}}));
}

}  // namespace
}  // namespace mtasts::controller
