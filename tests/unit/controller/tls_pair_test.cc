// CombineTlsPair: a chain and its key become one PEM file, written back out by OpenSSL; anything
// that cannot be served as it is (an unparsable chain, a key that does not belong to the leaf, an
// encrypted key) is refused with the reason.
#include "controller/tls_pair.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "matchers/status_matchers.h"
#include "test_pki.h"

namespace mtasts::controller {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using testing::TestCa;
using testing::TlsFiles;

Clock::TimePoint Now() { return RealClock::Get().Now(); }

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(TlsPairTest, TheChainThenTheKeyInOneFile) {
  TestCa ca;
  TlsFiles files = ca.Leaf("mta-sts.example.com");
  auto combined = CombineTlsPair(files.chain, files.key, Now());
  ASSERT_THAT(combined, IsOk());
  EXPECT_THAT(*combined, StartsWith(files.chain));  // leaf first, then the CA, as given
  EXPECT_THAT(*combined, EndsWith("-----END PRIVATE KEY-----\n"));
  EXPECT_EQ(Count(*combined, "BEGIN CERTIFICATE"), 2u);
  EXPECT_EQ(Count(*combined, "BEGIN PRIVATE KEY"), 1u);
  // The same pair gives the same bytes, so an unchanged Secret never rewrites its file.
  EXPECT_EQ(*CombineTlsPair(files.chain, files.key, Now()), *combined);
  // What is not PEM between and around the blocks is not carried over.
  auto noisy = CombineTlsPair("subject=CN x\n" + files.chain + "trailing words\n",
                              "a comment\n" + files.key + "\n\n", Now());
  ASSERT_THAT(noisy, IsOk());
  EXPECT_EQ(*noisy, *combined);
  // The combined file is itself a good pair (the form both nginx directives read).
  EXPECT_EQ(*CombineTlsPair(*combined, *combined, Now()), *combined);
}

TEST(TlsPairTest, WhatCannotBeServedIsRefusedWithTheReason) {
  TestCa ca;
  TlsFiles good = ca.Leaf("mta-sts.example.com");
  TlsFiles other = ca.Leaf("mta-sts.example.com");
  const std::string leaf_only = good.chain.substr(0, good.chain.find("-----END CERTIFICATE-----"));
  const std::string ca_pem = good.chain.substr(good.chain.find("-----END CERTIFICATE-----") + 26);
  struct Case {
    const char* name;
    std::string chain;
    std::string key;
    std::string reason;
  } cases[] = {
      {"empty chain", "", good.key, "certificate chain is not PEM"},
      {"not PEM", "hello", good.key, "certificate chain is not PEM"},
      {"a cut block", leaf_only, good.key, "certificate chain is not PEM"},
      {"a key as the chain", good.key, good.key, "certificate chain is not PEM"},
      {"empty key", good.chain, "", "private key is not an unencrypted PEM private key"},
      {"a certificate as the key", good.chain, good.chain, "private key is not"},
      {"encrypted key", good.chain, TestCa::Encrypted(good.key), "private key is not"},
      {"another leaf's key", good.chain, other.key, "does not belong"},
      {"the leaf not first", ca_pem + good.chain, good.key, "does not belong"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(CombineTlsPair(c.chain, c.key, Now()),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr(c.reason)))
        << c.name;
  }
}

TEST(TlsPairTest, AnExpiredCertificateIsNeverServed) {
  TestCa ca;
  TlsFiles files = ca.Leaf("mta-sts.example.com");  // valid for a day
  EXPECT_THAT(CombineTlsPair(files.chain, files.key, Now() + std::chrono::hours(23)), IsOk());
  EXPECT_THAT(CombineTlsPair(files.chain, files.key, Now() + std::chrono::hours(25)),
              StatusIs(StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("the certificate expired at "),
                                        HasSubstr("GMT and is not served; renew it"))));
}

}  // namespace
}  // namespace mtasts::controller
