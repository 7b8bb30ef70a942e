#include "tlsrpt/gunzip.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "fakes/gzip.h"

namespace mtasts::tlsrpt {
namespace {

using ::mtasts::tlsrpt::testing::Gzip;
using ::testing::HasSubstr;

TEST(GunzipTest, InflatesAReport) {
  const std::string json = R"({"organization-name":"x"})";
  StatusOr<std::string> out = Gunzip(Gzip(json));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, json);
}

TEST(GunzipTest, InflatesConcatenatedMembers) {
  StatusOr<std::string> out = Gunzip(Gzip("one ") + Gzip("two"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, "one two");
}

TEST(GunzipTest, StopsABombAtTheCap) {
  const std::string bomb = Gzip(std::string(64 << 20, '\0'));  // 64 MiB from ~64 KiB
  ASSERT_LT(bomb.size(), 100u << 10);
  StatusOr<std::string> out = Gunzip(bomb);
  EXPECT_EQ(out.status().code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(out.status().message(), HasSubstr("more than 10485760 bytes"));
}

TEST(GunzipTest, TheCapIsInclusive) {
  EXPECT_TRUE(Gunzip(Gzip(std::string(1000, 'a')), 1000).ok());
  EXPECT_EQ(Gunzip(Gzip(std::string(1001, 'a')), 1000).status().code(),
            StatusCode::kResourceExhausted);
}

TEST(GunzipTest, RefusesWhatIsNotWholeGzip) {
  const std::string good = Gzip(std::string(5000, 'x') + "tail");
  std::string corrupt = good;
  corrupt[corrupt.size() / 2] ^= 0x55;
  const struct {
    const char* name;
    std::string data;
    const char* message;
  } rows[] = {
      {"not gzip", "{\"json\": true}", "no gzip magic"},
      {"empty", "", "no gzip magic"},
      {"magic only", "\x1f\x8b", "truncated"},
      {"truncated", good.substr(0, good.size() - 10), "truncated"},
      {"corrupt", corrupt, "corrupt gzip data"},
      {"trailing garbage", good + "garbage", "7 bytes after the end"},
  };
  for (const auto& row : rows) {
    StatusOr<std::string> out = Gunzip(row.data);
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument) << row.name;
    EXPECT_THAT(out.status().message(), HasSubstr(row.message)) << row.name;
  }
}

}  // namespace
}  // namespace mtasts::tlsrpt
