#include "controller/announce.h"

#include <gtest/gtest.h>

#include "policy/policy_id.h"

namespace mtasts::controller {
namespace {

const Clock::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 30};
const std::string kBytes =
    "version: STSv1\r\nmode: testing\r\nmx: mx.example.com\r\nmax_age: 86400\r\n";

TEST(AnnounceTest, IdIsKeptWhileTheBytesAreTheSame) {
  const std::string old_id = policy::MakePolicyId(kBytes, kNow - std::chrono::hours(48));
  const std::string other = policy::MakePolicyId("other", kNow - std::chrono::hours(24));
  // status first, then the DNSEndpoint (a crash between announcing and writing status).
  EXPECT_EQ(IdFor(kBytes, {old_id, other}, kNow), old_id);
  EXPECT_EQ(IdFor(kBytes, {other, old_id}, kNow), old_id);
  EXPECT_EQ(IdFor(kBytes, {std::nullopt, old_id}, kNow), old_id);
  // New bytes: a new id, made now.
  const std::string fresh = IdFor(kBytes, {other, std::nullopt}, kNow);
  EXPECT_NE(fresh, other);
  EXPECT_EQ(fresh, policy::MakePolicyId(kBytes, kNow));
  EXPECT_EQ(IdFor(kBytes, {"not valid!", std::nullopt}, kNow), fresh);
}

TEST(AnnounceTest, AnnounceOnlyWhenEveryEndpointServes) {
  EndpointResult good{"10.0.0.1:8443", true, "", std::nullopt};
  EndpointResult bad{"10.0.0.2:8443", false, "connection refused", std::nullopt};
  EXPECT_FALSE(FirstNotServing({good, good}));
  EXPECT_EQ(FirstNotServing({good, bad})->endpoint, "10.0.0.2:8443");
  EXPECT_TRUE(FirstNotServing({}));  // no endpoint: never served
  EXPECT_EQ(IdToAnnounce(true, "new", "old"), "new");
  EXPECT_EQ(IdToAnnounce(false, "new", "old"), "old");
  EXPECT_EQ(IdToAnnounce(false, "new", std::nullopt), std::nullopt);
}

dns::TxtAnswer Txt(dns::Outcome outcome, std::vector<std::vector<std::string>> records) {
  dns::TxtAnswer a;
  a.outcome = outcome;
  a.name = "_mta-sts.example.com";
  for (auto& strings : records) a.records.push_back({strings, 300});
  return a;
}

TEST(AnnounceTest, PublicationOneChangePerRow) {
  using State = Publication::State;
  const std::string want = "v=STSv1; id=abc";
  struct Row {
    const char* name;
    dns::TxtAnswer answer;
    State state;
  };
  const Row rows[] = {
      {"exactly the record", Txt(dns::Outcome::kFound, {{"v=STSv1; id=abc"}}), State::kPublished},
      {"split into strings", Txt(dns::Outcome::kFound, {{"v=STSv1; ", "id=abc"}}),
       State::kPublished},
      {"other TXT records beside it do not matter",
       Txt(dns::Outcome::kFound, {{"v=STSv1; id=abc"}, {"google-site-verification=x"}}),
       State::kPublished},
      {"the id was cut off", Txt(dns::Outcome::kFound, {{"v=STSv1"}}), State::kNotYet},
      {"the old id", Txt(dns::Outcome::kFound, {{"v=STSv1; id=old"}}), State::kNotYet},
      {"old and new", Txt(dns::Outcome::kFound, {{"v=STSv1; id=old"}, {"v=STSv1; id=abc"}}),
       State::kNotYet},
      {"no record", Txt(dns::Outcome::kNxDomain, {}), State::kNotYet},
      {"SERVFAIL", Txt(dns::Outcome::kServFail, {}), State::kLookupFailed},
      {"timeout", Txt(dns::Outcome::kTimeout, {}), State::kLookupFailed},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(JudgePublication(row.answer, want).state, row.state) << row.name;
  }
}

TEST(AnnounceTest, MismatchMessageNamesBothStrings) {
  const Publication p =
      JudgePublication(Txt(dns::Outcome::kFound, {{"v=STSv1"}}), "v=STSv1; id=abc");
  EXPECT_EQ(p.message,
            "_mta-sts.example.com answers 1 record \"v=STSv1\"; expected exactly "
            "\"v=STSv1; id=abc\"");
  const Publication two = JudgePublication(
      Txt(dns::Outcome::kFound, {{"v=STSv1; id=old"}, {"v=STSv1; id=abc"}}), "v=STSv1; id=abc");
  EXPECT_NE(two.message.find("remove it by hand"), std::string::npos) << two.message;
  const Publication hostile =
      JudgePublication(Txt(dns::Outcome::kFound, {{"v=STSv1\x1b[31m"}}), "v=STSv1; id=abc");
  EXPECT_EQ(hostile.message.find('\x1b'), std::string::npos) << hostile.message;
}

}  // namespace
}  // namespace mtasts::controller
