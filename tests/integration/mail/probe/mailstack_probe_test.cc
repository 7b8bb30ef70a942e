// The resolver, the policy fetcher and the SMTP prober against every scenario of the local mail
// stack (tests/integration/mail/scenarios.json): what they observe must be what the table says
// the stack serves. The stack is started by the ctest fixture "mailstack".
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "base/strings.h"
#include "dns/ares_resolver.h"
#include "probe/http_response.h"
#include "probe/policy_fetcher.h"
#include "probe/smtp_prober.h"

namespace mtasts::probe {
namespace {

using nlohmann::json;

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

class MailstackTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::ifstream in(Env("MAILSTACK_SCENARIOS"));
    ASSERT_TRUE(in.good()) << "MAILSTACK_SCENARIOS is not readable: run through ctest";
    table_ = new json(json::parse(in));
  }
  static void TearDownTestSuite() { delete table_; }

  MailstackTest() {
    dns::ResolverOptions options;
    options.servers = {Env("MAILSTACK_DNS_SERVER")};
    resolver_ = std::move(dns::AresResolver::Create(options)).value();
    tls_ = std::move(TlsClient::Create({Env("MAILSTACK_CA_FILE")})).value();
  }

  static const json& Scenarios() { return (*table_)["scenarios"]; }

  static json* table_;
  std::unique_ptr<dns::AresResolver> resolver_;
  std::shared_ptr<const TlsClient> tls_;
};

json* MailstackTest::table_ = nullptr;

// The table writes one octet per character (U+0000-U+00FF), so a record can hold any byte.
std::string Octets(const std::string& utf8) {
  std::string out;
  char32_t cp = 0;
  for (size_t i = 0, n = 0; i < utf8.size(); i += n) {
    n = DecodeUtf8(utf8, i, &cp);
    EXPECT_TRUE(n > 0 && cp <= 0xff) << "the table is not one octet per character: " << utf8;
    if (n == 0) return out;
    out += static_cast<char>(cp);
  }
  return out;
}

// The table writes a TXT record as a string or a list of character-strings.
std::vector<std::string> Strings(const json& record) {
  std::vector<std::string> out;
  for (const std::string& s : record.is_string() ? std::vector<std::string>{record}
                                                 : record.get<std::vector<std::string>>()) {
    out.push_back(Octets(s));
  }
  return out;
}

TEST_F(MailstackTest, TxtRecordsAsPublished) {
  for (const json& s : Scenarios()) {
    std::string domain = s["domain"];
    dns::TxtAnswer answer = resolver_->LookupTxt("_mta-sts." + domain);
    const json& servfail = s.value("dns", json::object()).value("servfail", json::array());
    if (std::find(servfail.begin(), servfail.end(), "_mta-sts." + domain) != servfail.end()) {
      EXPECT_EQ(answer.outcome, dns::Outcome::kServFail) << domain << ": " << answer.error;
      continue;
    }
    if (!s.contains("txt")) {
      EXPECT_TRUE(dns::IsNoRecord(answer.outcome)) << domain << ": " << answer.error;
      continue;
    }
    ASSERT_EQ(answer.outcome, dns::Outcome::kFound) << domain << ": " << answer.error;
    std::multiset<std::vector<std::string>> seen, want;
    for (const dns::TxtRecord& r : answer.records) seen.insert(r.strings);
    for (const json& r : s["txt"]) want.insert(Strings(r));
    EXPECT_EQ(seen, want) << domain;
  }
}

TEST_F(MailstackTest, MxRecordsAsPublished) {
  for (const json& s : Scenarios()) {
    std::string domain = s["domain"];
    dns::MxAnswer answer = resolver_->LookupMx(domain);
    ASSERT_EQ(answer.outcome, dns::Outcome::kFound) << domain << ": " << answer.error;
    std::set<std::pair<int, std::string>> seen, want;
    for (const dns::MxRecord& r : answer.records) seen.emplace(r.priority, r.host);
    for (const json& mx : s["mx"]) want.emplace(mx["priority"].get<int>(), mx["host"]);
    EXPECT_EQ(seen, want) << domain;
  }
}

TEST_F(MailstackTest, PolicyFetchSeesWhatIsServed) {
  PolicyFetchOptions options;
  options.port = static_cast<uint16_t>(std::stoi(Env("MAILSTACK_HTTPS_PORT")));
  options.private_addresses = PrivateAddresses::kAllow;  // the stack is on loopback
  PolicyFetcher fetcher(*resolver_, tls_, options);
  for (const json& s : Scenarios()) {
    std::string domain = s["domain"];
    const json host = s.value("policy_host", json::object());
    PolicyFetchResult r = fetcher.Fetch(domain);
    if (!host.value("address", true)) {
      EXPECT_EQ(r.failure, FetchFailure::kNoAddress) << domain << ": " << r.detail;
    } else if (host.value("cert", "good") == "wrong-name") {
      EXPECT_EQ(r.failure, FetchFailure::kCertNameMismatch) << domain << ": " << r.detail;
    } else if (host.value("cert", "good") == "untrusted") {
      EXPECT_EQ(r.failure, FetchFailure::kCertUntrusted) << domain << ": " << r.detail;
    } else if (s["policy"].is_null()) {
      EXPECT_EQ(r.failure, FetchFailure::kHttpStatus) << domain << ": " << r.detail;
      EXPECT_EQ(r.status, 404) << domain;
    } else {
      ASSERT_TRUE(r.ok()) << domain << ": " << r.detail;
      EXPECT_EQ(r.body, s["policy"].get<std::string>()) << domain;
      EXPECT_EQ(MediaType(r.content_type), "text/plain") << domain;
    }
  }
}

// What the prober must conclude about each kind of SMTP listener the stack runs.
void ExpectBehaviour(const std::string& server, const json& listener, const SmtpProbeResult& r) {
  SCOPED_TRACE(server + " " + r.mx_host + ": " + r.detail);
  if (server == "good") {
    EXPECT_TRUE(r.ok());
    EXPECT_FALSE(r.expiring_soon);
  } else if (server == "expiring") {
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.expiring_soon);
  } else if (server == "expired") {
    EXPECT_EQ(r.failure, SmtpFailure::kCertExpired);
  } else if (server == "wrong-name") {
    EXPECT_EQ(r.failure, SmtpFailure::kCertNameMismatch);
  } else if (server == "untrusted") {
    EXPECT_EQ(r.failure, SmtpFailure::kCertUntrusted);
  } else if (server == "tls1.0-only") {
    EXPECT_EQ(r.failure, SmtpFailure::kTlsVersionTooOld);
    EXPECT_EQ(r.legacy_tls_version, "TLSv1");
  } else if (server == "no-starttls") {
    EXPECT_EQ(r.failure, SmtpFailure::kNoStarttls);
  } else if (server == "hostile-banner") {
    EXPECT_EQ(r.failure, SmtpFailure::kProtocolError);
    // The prober keeps the bytes as they came; only the report shows them escaped.
    EXPECT_EQ("554 " + r.banner, Octets(listener["greeting"]));
  } else if (server == "buffering-flaw") {
    EXPECT_EQ(r.failure, SmtpFailure::kStartTlsInjection);
  } else {
    ADD_FAILURE() << "unknown server kind in the table: " << server;
  }
}

TEST_F(MailstackTest, EveryMxProbedAtItsPublishedAddress) {
  SmtpProbeOptions options;
  options.port = static_cast<uint16_t>(std::stoi(Env("MAILSTACK_SMTP_PORT")));
  options.private_addresses = PrivateAddresses::kAllow;  // the stack is on loopback
  SmtpProber prober(tls_, options);
  std::set<std::string> kinds;
  for (const json& s : Scenarios()) {
    for (const json& mx : s["mx"]) {
      std::string host = mx["host"];
      dns::AddressAnswer addresses = resolver_->LookupAddresses(host);
      ASSERT_TRUE(addresses.found()) << host << ": " << addresses.error;
      for (const dns::AddressRecord& a : addresses.records) {
        ExpectBehaviour(mx["server"], (*table_)["servers"]["smtp"][mx["server"].get<std::string>()],
                        prober.Probe(host, a.address));
      }
      kinds.insert(mx["server"]);
    }
  }
  EXPECT_EQ(kinds.size(), (*table_)["servers"]["smtp"].size()) << "every listener is exercised";
}

}  // namespace
}  // namespace mtasts::probe
