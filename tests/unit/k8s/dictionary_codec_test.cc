#include "k8s/dictionary_codec.h"

#include <gtest/gtest.h>

#include <string>

namespace mtasts::k8s {
namespace {

// Two objects as an informer sees them: the same shape, other names, uids and times.
std::string Policy(const std::string& name, const std::string& uid, const std::string& time) {
  return R"({"apiVersion":"mtasts.io/v1alpha1","kind":"MtaStsPolicy","metadata":{"name":")" + name +
         R"(","namespace":"mail","uid":")" + uid +
         R"(","resourceVersion":"1234","generation":1},"spec":{"domain":")" + name +
         R"(.example","mode":"enforce","mx":["mx1.)" + name +
         R"(.example","*.mail.example"],"maxAge":1209600},"status":{"conditions":[{"type":"Ready",)"
         R"("status":"True","reason":"Served","message":"serving mode testing","lastTransitionTime":")" +
         time + R"("}],"effectiveMode":"testing"}})";
}

TEST(DictionaryCodecTest, RoundTrips) {
  DictionaryCodec codec(
      Policy("a", "0a1b2c3d-1111-2222-3333-444455556666", "2026-11-30T04:00:00Z"));
  for (const std::string& text :
       {Policy("other", "9f8e7d6c-1111-2222-3333-444455556666", "2026-12-01T05:06:07Z"),
        std::string(), std::string("x"), std::string(100000, '\xff')}) {
    StatusOr<std::string> back = codec.Decompress(codec.Compress(text));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(*back, text);
  }
}

TEST(DictionaryCodecTest, ANearCopyOfTheDictionaryKeepsAFifthOfItsBytes) {
  DictionaryCodec codec(
      Policy("a", "0a1b2c3d-1111-2222-3333-444455556666", "2026-11-30T04:00:00Z"));
  const std::string text =
      Policy("other", "9f8e7d6c-1111-2222-3333-444455556666", "2026-12-01T05:06:07Z");
  EXPECT_LT(codec.Compress(text).size() * 5, text.size());
}

TEST(DictionaryCodecTest, BytesOfAnotherDictionaryOrCutShortAreAnError) {
  const std::string text = Policy("b", "uid", "2026-11-30T04:00:00Z");
  DictionaryCodec codec(Policy("a", "uid", "2026-11-30T04:00:00Z"));
  DictionaryCodec other("something else entirely, {\"apiVersion\":\"v1\"}");
  const std::string packed = codec.Compress(text);
  EXPECT_FALSE(other.Decompress(packed).ok());
  EXPECT_FALSE(codec.Decompress(packed.substr(0, packed.size() / 2)).ok());
  EXPECT_FALSE(codec.Decompress("ab").ok());
}

}  // namespace
}  // namespace mtasts::k8s
