#include "dns/dns_message.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dns/resolver.h"

namespace mtasts::dns {
namespace {

// Builds DNS responses byte by byte: one question, then answer records.
class ResponseBuilder {
 public:
  ResponseBuilder(std::string_view qname, uint16_t qtype, int rcode = kRcodeNoError) {
    bytes_ = {0x12, 0x34, 0x84, static_cast<unsigned char>(0x80 | rcode), 0, 1, 0, 0, 0, 0, 0, 0};
    Name(qname);
    U16(qtype);
    U16(1);
  }
  // Owner "@" stands for a compression pointer to the question name (offset 12).
  ResponseBuilder& Record(std::string_view owner, uint16_t type, uint32_t ttl,
                          const std::vector<unsigned char>& rdata) {
    if (owner == "@") {
      bytes_.push_back(0xc0);
      bytes_.push_back(12);
    } else {
      Name(owner);
    }
    U16(type);
    U16(1);
    U16(static_cast<uint16_t>(ttl >> 16));
    U16(static_cast<uint16_t>(ttl));
    U16(static_cast<uint16_t>(rdata.size()));
    bytes_.insert(bytes_.end(), rdata.begin(), rdata.end());
    ++bytes_[7];  // ancount
    return *this;
  }
  static std::vector<unsigned char> Txt(const std::vector<std::string>& strings) {
    std::vector<unsigned char> out;
    for (const std::string& s : strings) {
      out.push_back(static_cast<unsigned char>(s.size()));
      out.insert(out.end(), s.begin(), s.end());
    }
    return out;
  }
  static std::vector<unsigned char> EncodedName(std::string_view name) {
    std::vector<unsigned char> out;
    while (!name.empty()) {
      size_t dot = name.find('.');
      std::string_view label = name.substr(0, dot);
      out.push_back(static_cast<unsigned char>(label.size()));
      out.insert(out.end(), label.begin(), label.end());
      name = dot == std::string_view::npos ? "" : name.substr(dot + 1);
    }
    out.push_back(0);
    return out;
  }
  const std::vector<unsigned char>& bytes() const { return bytes_; }
  StatusOr<Message> Decode() const { return DecodeMessage(bytes_.data(), bytes_.size()); }

 private:
  void Name(std::string_view name) {
    auto encoded = EncodedName(name);
    bytes_.insert(bytes_.end(), encoded.begin(), encoded.end());
  }
  void U16(uint16_t v) {
    bytes_.push_back(static_cast<unsigned char>(v >> 8));
    bytes_.push_back(static_cast<unsigned char>(v));
  }
  std::vector<unsigned char> bytes_;
};

TEST(DnsMessageTest, TxtKeepsEachCharacterStringAndTtl) {
  ResponseBuilder b("_mta-sts.example.com", kTypeTxt);
  b.Record("@", kTypeTxt, 300, ResponseBuilder::Txt({"v=STSv1; ", "id=20240501"}));
  b.Record("@", kTypeTxt, 300, ResponseBuilder::Txt({"v=spf1 -all"}));
  auto message = b.Decode();
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  ASSERT_EQ(message->answers.size(), 2u);
  EXPECT_EQ(message->answers[0].owner, "_mta-sts.example.com");
  EXPECT_EQ(message->answers[0].ttl, 300u);
  EXPECT_EQ(message->answers[0].strings, (std::vector<std::string>{"v=STSv1; ", "id=20240501"}));
  TxtRecord record{message->answers[0].strings, 300};
  EXPECT_EQ(record.Joined(), "v=STSv1; id=20240501");
  EXPECT_EQ(message->answers[1].strings, (std::vector<std::string>{"v=spf1 -all"}));
}

TEST(DnsMessageTest, EmptyTxtStringIsKept) {
  ResponseBuilder b("t.example", kTypeTxt);
  b.Record("@", kTypeTxt, 1, ResponseBuilder::Txt({"", "a"}));
  auto message = b.Decode();
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->answers[0].strings, (std::vector<std::string>{"", "a"}));
}

TEST(DnsMessageTest, MxAndAddresses) {
  ResponseBuilder b("Example.COM", kTypeMx);
  auto exchange = ResponseBuilder::EncodedName("MX1.Example.com");
  std::vector<unsigned char> mx = {0, 10};
  mx.insert(mx.end(), exchange.begin(), exchange.end());
  b.Record("@", kTypeMx, 3600, mx);
  b.Record("mx1.example.com", kTypeA, 60, {192, 0, 2, 25});
  b.Record("mx1.example.com", kTypeAaaa, 60,
           {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  auto message = b.Decode();
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  ASSERT_EQ(message->answers.size(), 3u);
  EXPECT_EQ(message->answers[0].owner, "example.com");
  EXPECT_EQ(message->answers[0].priority, 10);
  EXPECT_EQ(message->answers[0].name, "mx1.example.com");
  EXPECT_EQ(message->answers[1].address, "192.0.2.25");
  EXPECT_EQ(message->answers[2].address, "2001:db8::1");
}

TEST(DnsMessageTest, FollowsCnameChainInsideOneAnswer) {
  ResponseBuilder b("_mta-sts.example.com", kTypeTxt);
  b.Record("@", kTypeCname, 60, ResponseBuilder::EncodedName("_mta-sts.provider.net"));
  b.Record("_mta-sts.provider.net", kTypeCname, 60,
           ResponseBuilder::EncodedName("sts.provider.net"));
  b.Record("sts.provider.net", kTypeTxt, 60, ResponseBuilder::Txt({"v=STSv1; id=1"}));
  auto message = b.Decode();
  ASSERT_TRUE(message.ok());
  ChainedAnswer chain = FollowChain(*message, "_MTA-STS.example.com.", kTypeTxt);
  EXPECT_EQ(chain.cname_chain,
            (std::vector<std::string>{"_mta-sts.provider.net", "sts.provider.net"}));
  ASSERT_EQ(chain.records.size(), 1u);
  EXPECT_EQ(chain.records[0]->strings[0], "v=STSv1; id=1");
  EXPECT_FALSE(chain.loop);
}

TEST(DnsMessageTest, CnameWithoutTargetRecordsLeavesChainOpen) {
  ResponseBuilder b("_mta-sts.example.com", kTypeTxt);
  b.Record("@", kTypeCname, 60, ResponseBuilder::EncodedName("elsewhere.net"));
  auto message = b.Decode();
  ASSERT_TRUE(message.ok());
  ChainedAnswer chain = FollowChain(*message, "_mta-sts.example.com", kTypeTxt);
  EXPECT_EQ(chain.cname_chain, (std::vector<std::string>{"elsewhere.net"}));
  EXPECT_TRUE(chain.records.empty());
}

TEST(DnsMessageTest, CnameLoopIsDetected) {
  ResponseBuilder b("a.example", kTypeTxt);
  b.Record("a.example", kTypeCname, 60, ResponseBuilder::EncodedName("b.example"));
  b.Record("b.example", kTypeCname, 60, ResponseBuilder::EncodedName("a.example"));
  auto message = b.Decode();
  ASSERT_TRUE(message.ok());
  EXPECT_TRUE(FollowChain(*message, "a.example", kTypeTxt).loop);
}

TEST(DnsMessageTest, RecordsOfOtherOwnersAreNotTaken) {
  ResponseBuilder b("a.example", kTypeA);
  b.Record("b.example", kTypeA, 60, {192, 0, 2, 1});
  auto message = b.Decode();
  ASSERT_TRUE(message.ok());
  EXPECT_TRUE(FollowChain(*message, "a.example", kTypeA).records.empty());
}

TEST(DnsMessageTest, RcodeAndTruncationAreRead) {
  auto message = ResponseBuilder("gone.example", kTypeTxt, kRcodeNxDomain).Decode();
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(message->rcode, kRcodeNxDomain);
  EXPECT_FALSE(message->truncated);
}

TEST(DnsMessageTest, MalformedMessagesAreErrorsNotCrashes) {
  ResponseBuilder b("x.example", kTypeTxt);
  b.Record("@", kTypeTxt, 1, ResponseBuilder::Txt({"hello"}));
  const std::vector<unsigned char>& good = b.bytes();
  // Every truncation of a valid message must fail cleanly.
  for (size_t n = 0; n < good.size(); ++n) {
    EXPECT_FALSE(DecodeMessage(good.data(), n).ok()) << "length " << n;
  }
  // A TXT string length that runs past its RDATA.
  std::vector<unsigned char> bad = good;
  bad[bad.size() - 6] = 200;
  EXPECT_FALSE(DecodeMessage(bad.data(), bad.size()).ok());
  // An A record with five bytes of data.
  ResponseBuilder wrong("x.example", kTypeA);
  wrong.Record("@", kTypeA, 1, {1, 2, 3, 4, 5});
  EXPECT_FALSE(wrong.Decode().ok());
}

TEST(ResolverTest, OutcomeClasses) {
  EXPECT_TRUE(IsNoRecord(Outcome::kNxDomain));
  EXPECT_TRUE(IsNoRecord(Outcome::kNoData));
  for (Outcome o : {Outcome::kServFail, Outcome::kRefused, Outcome::kTimeout, Outcome::kUnreachable,
                    Outcome::kBadResponse}) {
    EXPECT_TRUE(IsTemporaryFailure(o)) << OutcomeName(o);
    EXPECT_FALSE(IsNoRecord(o)) << OutcomeName(o);
  }
  EXPECT_FALSE(IsTemporaryFailure(Outcome::kFound));
  EXPECT_EQ(OutcomeName(Outcome::kNxDomain), "NXDOMAIN");
}

}  // namespace
}  // namespace mtasts::dns
