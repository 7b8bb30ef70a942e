#include "k8s/watch_event.h"

#include <gtest/gtest.h>

namespace mtasts::k8s {
namespace {

TEST(ParseWatchEventTest, EveryType) {
  const std::pair<const char*, WatchEventType> kTypes[] = {
      {"ADDED", WatchEventType::kAdded},     {"MODIFIED", WatchEventType::kModified},
      {"DELETED", WatchEventType::kDeleted}, {"BOOKMARK", WatchEventType::kBookmark},
      {"ERROR", WatchEventType::kError},
  };
  for (const auto& [name, type] : kTypes) {
    std::string line = std::string(R"({"type":")") + name +
                       R"(","object":{"kind":"ConfigMap","metadata":{"resourceVersion":"42"}}})";
    auto event = ParseWatchEvent(line);
    ASSERT_TRUE(event.ok()) << line;
    EXPECT_EQ(event->type, type);
    EXPECT_EQ(ResourceVersionOf(event->object), "42");
  }
}

TEST(ParseWatchEventTest, BrokenLinesAreUnavailable) {
  const char* kLines[] = {
      R"({"type":"ADDED","object":{"metadata":)",  // cut mid-stream
      R"({"type":"ADDED"})",
      R"({"type":"RESIZED","object":{}})",
      R"({"type":7,"object":{}})",
      R"([1,2])",
      "",
  };
  for (const char* line : kLines) {
    EXPECT_EQ(ParseWatchEvent(line).status().code(), StatusCode::kUnavailable) << line;
  }
}

TEST(ResourceVersionOfTest, AbsentIsEmpty) {
  EXPECT_EQ(ResourceVersionOf(nlohmann::json::object()), "");
  EXPECT_EQ(ResourceVersionOf(nlohmann::json{{"metadata", "x"}}), "");
  EXPECT_EQ(ResourceVersionOf(nlohmann::json{{"metadata", {{"resourceVersion", 5}}}}), "");
}

}  // namespace
}  // namespace mtasts::k8s
