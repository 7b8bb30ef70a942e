#include "k8s/base64.h"

#include <gtest/gtest.h>

namespace mtasts::k8s {
namespace {

TEST(Base64Test, RoundTripsRfc4648Vectors) {
  const std::pair<const char*, const char*> kVectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    auto decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(Base64Test, SkipsLineBreaksAndRejectsGarbage) {
  EXPECT_EQ(*Base64Decode("Zm9v\nYmFy\n"), "foobar");
  EXPECT_EQ(Base64Decode("Zm9v!").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Base64Decode("Zm9").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Base64Decode("Zg==Zg==").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace mtasts::k8s
