// Gatherer on a fake resolver and fake network: what it writes down for null MX, no MX,
// temporary failures and multi-string TXT records, and that it probes every MX address.
#include "validate/gather.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/clock.h"
#include "fakes/fake_resolver.h"
#include "validate/check_run.h"

namespace mtasts::validate {
namespace {

using dns::FakeResolver;

class FakeFetcher final : public PolicySource {
 public:
  PolicyFetchObservation Fetch(std::string_view domain, Deadline) override {
    PolicyFetchObservation obs;
    obs.url = "https://mta-sts." + std::string(domain) + "/.well-known/mta-sts.txt";
    obs.http_status = 404;
    return obs;
  }
};

class RecordingProber final : public SmtpSource {
 public:
  std::vector<std::string> probed;
  FakeClock* clock = nullptr;  // when set, each probe takes `cost` of it
  std::chrono::seconds cost{0};
  SmtpObservation Probe(std::string_view host, std::string_view ip, Deadline) override {
    probed.push_back(std::string(host) + "@" + std::string(ip));
    if (clock != nullptr) clock->Advance(cost);
    SmtpObservation obs;
    obs.ip = std::string(ip);
    return obs;
  }
};

dns::MxAnswer Mx(std::vector<std::pair<int, std::string>> records) {
  dns::MxAnswer a;
  a.outcome = dns::Outcome::kFound;
  for (auto& [priority, host] : records) {
    a.records.push_back({static_cast<uint16_t>(priority), host, 300});
  }
  return a;
}

dns::AddressAnswer Addresses(std::vector<std::string> ips) {
  dns::AddressAnswer a;
  a.outcome = dns::Outcome::kFound;
  for (auto& ip : ips) a.records.push_back({ip, ip.find(':') != std::string::npos, 300});
  return a;
}

class GatherTest : public ::testing::Test {
 protected:
  FakeResolver resolver;
  FakeFetcher fetcher;
  RecordingProber prober;
  FakeClock clock{std::chrono::system_clock::time_point{}};
  Gatherer gatherer{resolver, fetcher, prober, clock};
};

TEST_F(GatherTest, ProbesEveryAddressOfEveryMxInPriorityOrder) {
  resolver.mx["example.com"] = Mx({{20, "MX2.example.com"}, {10, "mx1.example.com"}});
  resolver.addresses["mx1.example.com"] = Addresses({"192.0.2.1", "2001:db8::1"});
  resolver.addresses["mx2.example.com"] = Addresses({"192.0.2.2"});
  const Observations obs = gatherer.Gather("Example.COM.");
  EXPECT_EQ(obs.domain, "example.com");
  ASSERT_EQ(obs.mx_hosts.size(), 2u);
  EXPECT_EQ(obs.mx_hosts[0].mx.host, "mx1.example.com");
  EXPECT_EQ(obs.mx_hosts[1].mx.host, "mx2.example.com");
  EXPECT_EQ(prober.probed,
            (std::vector<std::string>{"mx1.example.com@192.0.2.1", "mx1.example.com@2001:db8::1",
                                      "mx2.example.com@192.0.2.2"}));
  EXPECT_EQ(obs.policy.url, "https://mta-sts.example.com/.well-known/mta-sts.txt");
}

TEST_F(GatherTest, NoMxMeansTheDomainIsItsOwnMailHost) {
  resolver.mx["example.com"].outcome = dns::Outcome::kNoData;
  resolver.addresses["example.com"] = Addresses({"192.0.2.9"});
  const Observations obs = gatherer.Gather("example.com");
  EXPECT_TRUE(obs.implicit_mx);
  ASSERT_EQ(obs.mx_hosts.size(), 1u);
  EXPECT_EQ(obs.mx_hosts[0].mx.host, "example.com");
  EXPECT_EQ(prober.probed, std::vector<std::string>{"example.com@192.0.2.9"});
}

TEST_F(GatherTest, NullMxIsRecordedAndNotProbed) {
  resolver.mx["example.com"] = Mx({{0, ""}});
  const Observations obs = gatherer.Gather("example.com");
  ASSERT_EQ(obs.mx_hosts.size(), 1u);
  EXPECT_EQ(obs.mx_hosts[0].mx.host, "");
  EXPECT_FALSE(obs.implicit_mx);
  EXPECT_TRUE(prober.probed.empty());
}

TEST_F(GatherTest, TemporaryFailuresAreToldApartFromNoRecords) {
  resolver.txt["_mta-sts.example.com"].outcome = dns::Outcome::kServFail;
  resolver.mx["example.com"].outcome = dns::Outcome::kTimeout;
  const Observations obs = gatherer.Gather("example.com");
  EXPECT_EQ(obs.sts_txt.lookup, Lookup::kTemporaryFailure);
  EXPECT_EQ(obs.sts_txt.error, "SERVFAIL");
  EXPECT_EQ(obs.tlsrpt_txt.lookup, Lookup::kNoRecords);
  EXPECT_EQ(obs.mx_lookup, Lookup::kTemporaryFailure);
  EXPECT_TRUE(obs.mx_hosts.empty());
}

TEST_F(GatherTest, KeepsTxtCharacterStringsForSelection) {
  dns::TxtAnswer txt;
  txt.outcome = dns::Outcome::kFound;
  txt.records.push_back({{"v=STSv1; ", "id=abc"}, 300});
  resolver.txt["_mta-sts.example.com"] = txt;
  const Observations obs = gatherer.Gather("example.com");
  ASSERT_EQ(obs.sts_txt.records.size(), 1u);
  EXPECT_EQ(obs.sts_txt.records[0], (std::vector<std::string>{"v=STSv1; ", "id=abc"}));
}

std::set<std::string> IncompleteMessages(const Observations& obs) {
  std::set<std::string> out;
  for (const Finding& f : Evaluate(obs).findings) {
    if (f.code == FindingCode::kCheckIncomplete) {
      EXPECT_EQ(f.severity, Severity::kError);
      out.insert(f.message);
    }
  }
  return out;
}

TEST_F(GatherTest, TheDeadlineStopsTheCheckAndNamesWhatWasLeft) {
  resolver.mx["example.com"] = Mx({{10, "mx1.example.com"}, {20, "mx2.example.com"}});
  resolver.addresses["mx1.example.com"] = Addresses({"192.0.2.1", "192.0.2.2", "192.0.2.3"});
  resolver.addresses["mx2.example.com"] = Addresses({"192.0.2.4"});
  prober.clock = &clock;
  prober.cost = std::chrono::seconds(25);  // the third probe would start at 50 s, the fourth at 75
  const Observations obs = gatherer.Gather("example.com");
  EXPECT_EQ(prober.probed.size(), 3u);
  ASSERT_EQ(obs.skipped.size(), 1u);
  EXPECT_EQ(obs.skipped[0].what, "mx2.example.com");
  EXPECT_EQ(IncompleteMessages(obs),
            std::set<std::string>{
                "the check of example.com reached the check's deadline of 60 seconds per "
                "domain, so these were not checked: mx2.example.com; nothing proves a sender "
                "can deliver to them, so enforce waits until a check covers everything (fewer "
                "MX hosts or addresses, faster servers)"});
}

TEST_F(GatherTest, MxHostsAndAddressesAreCapped) {
  std::vector<std::pair<int, std::string>> hosts;
  for (int i = 1; i <= 18; ++i) hosts.push_back({i, "mx" + std::to_string(i) + ".example.com"});
  resolver.mx["example.com"] = Mx(hosts);
  std::vector<std::string> many;
  for (int i = 1; i <= 10; ++i) many.push_back("192.0.2." + std::to_string(i));
  resolver.addresses["mx1.example.com"] = Addresses(many);
  const Observations obs = gatherer.Gather("example.com");
  EXPECT_EQ(prober.probed.size(), 8u);  // mx1's first 8; mx2..mx16 have no address here
  EXPECT_EQ(obs.mx_hosts.size(), 18u);  // all of them stay for the coverage checks
  const std::set<std::string> messages = IncompleteMessages(obs);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages.begin()->find("the limit of 16 MX hosts per domain, so these were not "
                                   "checked: mx17.example.com, mx18.example.com;"),
            std::string::npos)
      << *messages.begin();
  EXPECT_NE(messages.rbegin()->find("the limit of 8 addresses per MX host, so these were not "
                                    "checked: 192.0.2.9 (mx1.example.com), 192.0.2.10 "
                                    "(mx1.example.com);"),
            std::string::npos)
      << *messages.rbegin();
}

TEST_F(GatherTest, CheckDomainsReportsInTheOrderAsked) {
  std::vector<std::string> domains;
  for (int i = 0; i < 40; ++i) domains.push_back("d" + std::to_string(i) + ".example");
  std::vector<std::string> seen;
  std::vector<size_t> progress;
  CheckDomains(
      domains, gatherer, {}, 8,
      [&](size_t i, Report&& r) {
        EXPECT_EQ(i, seen.size());
        seen.push_back(r.obs.domain);
      },
      [&](size_t done, size_t /*total*/) { progress.push_back(done); });
  EXPECT_EQ(seen, domains);
  ASSERT_EQ(progress.size(), domains.size());
  EXPECT_EQ(progress.back(), domains.size());
  const auto reports = CheckDomains(domains, gatherer, {}, 3);
  ASSERT_EQ(reports.size(), domains.size());
  EXPECT_EQ(reports[39].obs.domain, "d39.example");
}

}  // namespace
}  // namespace mtasts::validate
