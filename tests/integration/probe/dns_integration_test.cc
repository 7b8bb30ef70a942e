// AresResolver against a real authoritative server (NSD, started by servers.sh) and against
// servers that refuse, drop, or do not exist.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "dns/ares_resolver.h"

namespace mtasts::dns {
namespace {

using std::chrono::milliseconds;

std::unique_ptr<AresResolver> ResolverFor(std::string server,
                                          milliseconds timeout = milliseconds(2000),
                                          int max_channels = 4) {
  ResolverOptions options;
  options.servers = {std::move(server)};
  options.timeout = timeout;
  options.tries = 2;
  options.max_channels = max_channels;
  auto resolver = AresResolver::Create(options);
  EXPECT_TRUE(resolver.ok()) << resolver.status().ToString();
  return std::move(resolver).value();
}

std::unique_ptr<AresResolver> Nsd() { return ResolverFor("127.77.3.53:5353"); }

TEST(DnsIntegrationTest, TxtKeepsStringsPerRecord) {
  TxtAnswer answer = Nsd()->LookupTxt("_mta-sts.good.probe.test");
  ASSERT_EQ(answer.outcome, Outcome::kFound) << answer.error;
  ASSERT_EQ(answer.records.size(), 2u);
  auto sts = std::find_if(answer.records.begin(), answer.records.end(),
                          [](const TxtRecord& r) { return r.strings.size() == 2; });
  ASSERT_NE(sts, answer.records.end());
  EXPECT_EQ(sts->strings, (std::vector<std::string>{"v=STSv1; ", "id=20261128T000000Z"}));
  EXPECT_EQ(sts->Joined(), "v=STSv1; id=20261128T000000Z");
  EXPECT_EQ(sts->ttl, 300u);
  EXPECT_TRUE(answer.cname_chain.empty());
}

TEST(DnsIntegrationTest, CnameInsideTheZone) {
  TxtAnswer answer = Nsd()->LookupTxt("_mta-sts.inzone.probe.test");
  ASSERT_EQ(answer.outcome, Outcome::kFound) << answer.error;
  EXPECT_EQ(answer.cname_chain, (std::vector<std::string>{"_mta-sts.good.probe.test"}));
  EXPECT_EQ(answer.canonical_name(), "_mta-sts.good.probe.test");
  EXPECT_EQ(answer.records.size(), 2u);
}

TEST(DnsIntegrationTest, CnameToAnotherZoneIsFollowedByAskingAgain) {
  TxtAnswer answer = Nsd()->LookupTxt("_mta-sts.outzone.probe.test");
  ASSERT_EQ(answer.outcome, Outcome::kFound) << answer.error;
  EXPECT_EQ(answer.cname_chain, (std::vector<std::string>{"_mta-sts.target.delegated.test"}));
  ASSERT_EQ(answer.records.size(), 1u);
  EXPECT_EQ(answer.records[0].Joined(), "v=STSv1; id=delegated1");
  EXPECT_EQ(answer.records[0].ttl, 60u);
}

TEST(DnsIntegrationTest, CnameLoopIsAnErrorNotAHang) {
  TxtAnswer answer = Nsd()->LookupTxt("loop-a.probe.test");
  EXPECT_EQ(answer.outcome, Outcome::kBadResponse);
  EXPECT_TRUE(IsTemporaryFailure(answer.outcome));
  EXPECT_NE(answer.error.find("loop"), std::string::npos) << answer.error;
}

TEST(DnsIntegrationTest, NxDomainAndNoDataAreNoRecord) {
  auto resolver = Nsd();
  TxtAnswer nx = resolver->LookupTxt("_mta-sts.absent.probe.test");
  EXPECT_EQ(nx.outcome, Outcome::kNxDomain) << nx.error;
  TxtAnswer nodata = resolver->LookupTxt("nodata.probe.test");
  EXPECT_EQ(nodata.outcome, Outcome::kNoData) << nodata.error;
  EXPECT_TRUE(IsNoRecord(nx.outcome) && IsNoRecord(nodata.outcome));
  EXPECT_TRUE(nodata.records.empty());
}

TEST(DnsIntegrationTest, ServfailAndRefusedAreTemporary) {
  auto resolver = Nsd();
  TxtAnswer servfail = resolver->LookupTxt("_mta-sts.broken.probe.test");
  EXPECT_EQ(servfail.outcome, Outcome::kServFail) << servfail.error;
  TxtAnswer refused = resolver->LookupTxt("_mta-sts.example.org");  // not a zone NSD serves
  EXPECT_EQ(refused.outcome, Outcome::kRefused) << refused.error;
  EXPECT_TRUE(IsTemporaryFailure(servfail.outcome) && IsTemporaryFailure(refused.outcome));
}

TEST(DnsIntegrationTest, NobodyListeningIsUnreachable) {
  TxtAnswer answer = ResolverFor("127.77.3.55:5353")->LookupTxt("_mta-sts.good.probe.test");
  EXPECT_EQ(answer.outcome, Outcome::kUnreachable) << answer.error;
}

TEST(DnsIntegrationTest, ServerThatDropsPacketsTimesOut) {
  // A UDP socket that receives and never answers.
  int sink = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(5354);
  inet_pton(AF_INET, "127.77.3.54", &address.sin_addr);
  ASSERT_EQ(bind(sink, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  auto start = std::chrono::steady_clock::now();
  TxtAnswer answer =
      ResolverFor("127.77.3.54:5354", milliseconds(200))->LookupTxt("_mta-sts.good.probe.test");
  auto took = std::chrono::steady_clock::now() - start;
  close(sink);
  EXPECT_EQ(answer.outcome, Outcome::kTimeout) << answer.error;
  EXPECT_LT(took, std::chrono::seconds(3));  // 2 tries x 200 ms plus c-ares' backoff
}

TEST(DnsIntegrationTest, MxRecordsLowerCasedWithPriority) {
  MxAnswer answer = Nsd()->LookupMx("good.probe.test");
  ASSERT_EQ(answer.outcome, Outcome::kFound) << answer.error;
  std::sort(answer.records.begin(), answer.records.end(),
            [](const MxRecord& a, const MxRecord& b) { return a.priority < b.priority; });
  ASSERT_EQ(answer.records.size(), 2u);
  EXPECT_EQ(answer.records[0].priority, 10);
  EXPECT_EQ(answer.records[0].host, "mx.good.probe.test");
  EXPECT_EQ(answer.records[1].priority, 20);
  EXPECT_EQ(answer.records[1].host, "mx2.good.probe.test");
  EXPECT_EQ(answer.records[1].ttl, 300u);
}

TEST(DnsIntegrationTest, AddressesBothFamilies) {
  auto resolver = Nsd();
  AddressAnswer both = resolver->LookupAddresses("mx.good.probe.test");
  ASSERT_EQ(both.outcome, Outcome::kFound) << both.error;
  ASSERT_EQ(both.records.size(), 2u);
  EXPECT_EQ(both.records[0].address, "127.77.3.21");
  EXPECT_FALSE(both.records[0].ipv6);
  EXPECT_EQ(both.records[1].address, "::1");
  EXPECT_TRUE(both.records[1].ipv6);
  AddressAnswer v6 = resolver->LookupAddresses("v6only.probe.test");
  ASSERT_EQ(v6.outcome, Outcome::kFound) << v6.error;
  ASSERT_EQ(v6.records.size(), 1u);
  EXPECT_TRUE(v6.records[0].ipv6);
  AddressAnswer alias = resolver->LookupAddresses("alias.probe.test");
  ASSERT_EQ(alias.outcome, Outcome::kFound) << alias.error;
  EXPECT_EQ(alias.cname_chain, (std::vector<std::string>{"mx.good.probe.test"}));
  EXPECT_EQ(resolver->LookupAddresses("absent.probe.test").outcome, Outcome::kNxDomain);
  EXPECT_EQ(resolver->LookupAddresses("_mta-sts.good.probe.test").outcome, Outcome::kNoData);
}

TEST(DnsIntegrationTest, ManyThreadsShareOneResolver) {
  auto resolver = ResolverFor("127.77.3.53:5353", milliseconds(2000), 3);
  std::atomic<int> found{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (resolver->LookupTxt("_mta-sts.good.probe.test").found()) ++found;
        if (resolver->LookupMx("good.probe.test").found()) ++found;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(found.load(), 8 * 25 * 2);
}

TEST(DnsIntegrationTest, BadServerListIsRejectedAtCreate) {
  ResolverOptions options;
  options.servers = {"not an address:53"};
  auto resolver = AresResolver::Create(options);
  EXPECT_EQ(resolver.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(resolver.status().message().find("host:port"), std::string::npos);
}

}  // namespace
}  // namespace mtasts::dns
