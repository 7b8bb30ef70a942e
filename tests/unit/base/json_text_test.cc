#include "base/json_text.h"

#include <gtest/gtest.h>

#include <string>

namespace mtasts {
namespace {

using nlohmann::json;

const std::string kHostile = "id=\xff\xfe\x1b[31m";  // not UTF-8, and a terminal escape

TEST(JsonTextTest, PrintableJsonEscapesEveryStringAndKey) {
  json report = {{"records", {kHostile, "v=STSv1; id=1"}},
                 {"mx", {{{"host", "mx1.example.com"}, {"error", "554 " + kHostile}}}},
                 {kHostile, 1},
                 {"n", 25},
                 {"ok", false},
                 {"none", nullptr}};
  std::string text;
  ASSERT_NO_THROW(text = PrintableJson(report).dump());
  json back = json::parse(text);  // throws if the text were not UTF-8
  EXPECT_EQ(back["records"][0], "id=\\xff\\xfe\\x1b[31m");
  EXPECT_EQ(back["records"][1], "v=STSv1; id=1");
  EXPECT_EQ(back["mx"][0]["error"], "554 id=\\xff\\xfe\\x1b[31m");
  EXPECT_EQ(back["mx"][0]["host"], "mx1.example.com");
  EXPECT_EQ(back["id=\\xff\\xfe\\x1b[31m"], 1);
  EXPECT_EQ(back["n"], 25);
  EXPECT_EQ(back["ok"], false);
  EXPECT_TRUE(back["none"].is_null());
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(JsonTextTest, DumpJsonKeepsTheIndent) {
  EXPECT_EQ(DumpJson(json{{"a", "b"}}, 2), "{\n  \"a\": \"b\"\n}");
}

TEST(JsonTextTest, DumpJsonKeepsDataButReplacesWhatIsNotUtf8) {
  json object = {{"data", {{"policy", "version: STSv1\r\nmode: enforce\r\n"}}},
                 {"note", "caf\xc3\xa9 " + kHostile}};
  std::string text;
  ASSERT_NO_THROW(text = DumpJson(object));
  json back = json::parse(text);
  EXPECT_EQ(back["data"]["policy"], "version: STSv1\r\nmode: enforce\r\n");
  EXPECT_EQ(back["note"], "caf\xc3\xa9 id=\xef\xbf\xbd\xef\xbf\xbd\x1b[31m");
}

}  // namespace
}  // namespace mtasts
