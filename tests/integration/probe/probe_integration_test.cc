// PolicyFetcher and SmtpProber against the servers servers.sh starts: NSD for names, an HTTPS
// policy host with one deviation per domain, SMTP servers with one deviation per address.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

#include "dns/ares_resolver.h"
#include "probe/policy_fetcher.h"
#include "probe/smtp_prober.h"

namespace mtasts::probe {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;

const char kPolicy[] =
    "version: STSv1\r\nmode: enforce\r\nmx: mx.good.probe.test\r\nmax_age: 1209600\r\n";

std::string CaFile() {
  const char* dir = std::getenv("MTASTS_PROBE_SERVERS");
  return std::string(dir != nullptr ? dir : "/nonexistent") + "/pki/ca.crt";
}

std::shared_ptr<const TlsClient> TestTrust() {
  auto tls = TlsClient::Create({CaFile()});
  EXPECT_TRUE(tls.ok()) << tls.status().ToString();
  return *tls;
}

class PolicyFetchTest : public testing::Test {
 protected:
  PolicyFetchTest() {
    dns::ResolverOptions options;
    options.servers = {"127.77.3.53:5353"};
    resolver_ = std::move(dns::AresResolver::Create(options)).value();
  }
  PolicyFetchResult Fetch(std::string_view domain, std::shared_ptr<const TlsClient> tls = nullptr) {
    PolicyFetchOptions options;
    options.port = 8443;
    options.private_addresses = PrivateAddresses::kAllow;  // the servers are on loopback
    options.timeout = milliseconds(10000);
    PolicyFetcher fetcher(*resolver_, tls ? tls : TestTrust(), options);
    return fetcher.Fetch(domain);
  }
  std::unique_ptr<dns::AresResolver> resolver_;
};

TEST_F(PolicyFetchTest, Good) {
  PolicyFetchResult r = Fetch("good.probe.test");
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.url, "https://mta-sts.good.probe.test/.well-known/mta-sts.txt");
  EXPECT_EQ(r.address, "127.77.3.10");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, kPolicy);
  EXPECT_EQ(r.result_type, ResultType::kSuccess);
  ASSERT_TRUE(r.tls.has_value());
  EXPECT_EQ(r.tls->version, "TLSv1.3");
  EXPECT_TRUE(r.tls->chain_error.empty());
}

TEST_F(PolicyFetchTest, DomainIsNormalizedAndChecked) {
  PolicyFetchResult upper = Fetch("Good.Probe.TEST.");
  ASSERT_TRUE(upper.ok()) << upper.detail;
  EXPECT_EQ(upper.host, "mta-sts.good.probe.test");
  PolicyFetchResult hostile = Fetch("good.probe.test\r\nX-Injected: 1");
  EXPECT_EQ(hostile.failure, FetchFailure::kNoAddress);
  EXPECT_NE(hostile.detail.find("is not a domain name"), std::string::npos) << hostile.detail;
  EXPECT_FALSE(hostile.dns_outcome.has_value()) << "nothing is asked for a name that cannot be one";
}

TEST_F(PolicyFetchTest, ChunkedBodiesAreReassembled) {
  PolicyFetchResult r = Fetch("chunked.probe.test");
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.body, kPolicy);
  PolicyFetchResult exact = Fetch("exact.probe.test");  // exactly 64 KiB, chunked
  ASSERT_TRUE(exact.ok()) << exact.detail;
  EXPECT_EQ(exact.body.size(), 64u * 1024);
}

TEST_F(PolicyFetchTest, OneByteOverTheCapIsAnError) {
  for (const char* domain : {"big.probe.test", "bigchunked.probe.test"}) {
    PolicyFetchResult r = Fetch(domain);
    EXPECT_EQ(r.failure, FetchFailure::kBodyTooLarge) << domain << ": " << r.detail;
    EXPECT_EQ(r.result_type, ResultType::kStsPolicyFetchError);
    EXPECT_TRUE(r.body.empty()) << "no truncated body is handed out";
  }
}

TEST_F(PolicyFetchTest, RedirectIsReportedNotFollowed) {
  PolicyFetchResult r = Fetch("redirect.probe.test");
  EXPECT_EQ(r.failure, FetchFailure::kHttpStatus);
  EXPECT_EQ(r.status, 301);
  EXPECT_EQ(r.location, "https://www.probe.test/.well-known/mta-sts.txt");
  EXPECT_NE(r.detail.find("redirect"), std::string::npos) << r.detail;
}

TEST_F(PolicyFetchTest, NotFound) {
  PolicyFetchResult r = Fetch("missing.probe.test");
  EXPECT_EQ(r.failure, FetchFailure::kHttpStatus);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.result_type, ResultType::kStsPolicyFetchError);
}

TEST_F(PolicyFetchTest, HtmlContentType) {
  PolicyFetchResult r = Fetch("html.probe.test");
  EXPECT_EQ(r.failure, FetchFailure::kNotTextPlain) << r.detail;
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(r.result_type, ResultType::kStsPolicyInvalid);
}

TEST_F(PolicyFetchTest, CertificateProblemsAreWebPkiInvalid) {
  struct Case {
    const char* domain;
    FetchFailure failure;
  } cases[] = {
      {"wrongname.probe.test", FetchFailure::kCertNameMismatch},
      {"untrusted.probe.test", FetchFailure::kCertUntrusted},
      {"expired.probe.test", FetchFailure::kCertExpired},
  };
  for (const Case& c : cases) {
    PolicyFetchResult r = Fetch(c.domain);
    EXPECT_EQ(r.failure, c.failure) << c.domain << ": " << r.detail;
    EXPECT_EQ(r.result_type, ResultType::kStsWebpkiInvalid) << c.domain;
    EXPECT_EQ(r.status, 0) << "no request is sent to a host that failed authentication";
    ASSERT_TRUE(r.tls.has_value()) << c.domain;
  }
  EXPECT_EQ(Fetch("wrongname.probe.test").tls->leaf.dns_names,
            (std::vector<std::string>{"other.probe.test", "mta-sts.other.probe.test"}));
}

TEST_F(PolicyFetchTest, TestCaIsNotInTheSystemTrustStore) {
  auto system = TlsClient::Create({});
  ASSERT_TRUE(system.ok()) << system.status().ToString();
  PolicyFetchResult r = Fetch("good.probe.test", *system);
  EXPECT_EQ(r.failure, FetchFailure::kCertUntrusted) << r.detail;
}

TEST_F(PolicyFetchTest, NoAddressAndNextAddress) {
  PolicyFetchResult none = Fetch("absent.probe.test");
  EXPECT_EQ(none.failure, FetchFailure::kNoAddress) << none.detail;
  EXPECT_EQ(none.dns_outcome, dns::Outcome::kNxDomain);
  // mta-sts.delegated.probe.test: nothing listens on its first address, the second serves.
  PolicyFetchResult next = Fetch("delegated.probe.test");
  ASSERT_TRUE(next.ok()) << next.detail;
  EXPECT_EQ(next.address, "127.77.3.10");
}

TEST_F(PolicyFetchTest, OverallTimeoutCoversASlowBody) {
  PolicyFetchOptions options;
  options.port = 8443;
  options.private_addresses = PrivateAddresses::kAllow;  // the servers are on loopback
  options.timeout = milliseconds(500);
  PolicyFetcher fetcher(*resolver_, TestTrust(), options);
  auto start = std::chrono::steady_clock::now();
  PolicyFetchResult r = fetcher.Fetch("slow.probe.test");
  EXPECT_EQ(r.failure, FetchFailure::kTimeout) << r.detail;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(r.body.empty());
}

TEST_F(PolicyFetchTest, FetchFromOneAddress) {
  PolicyFetchOptions options;
  options.port = 8443;
  options.private_addresses = PrivateAddresses::kAllow;  // the servers are on loopback
  PolicyFetcher fetcher(*resolver_, TestTrust(), options);
  EXPECT_TRUE(fetcher.FetchFrom("good.probe.test", "127.77.3.10").ok());
  PolicyFetchResult refused = fetcher.FetchFrom("good.probe.test", "127.77.3.11");
  EXPECT_EQ(refused.failure, FetchFailure::kConnectFailed) << refused.detail;
}

SmtpProbeResult ProbeWith(const Clock& clock, std::string_view host, std::string_view address,
                          milliseconds step = milliseconds(5000)) {
  SmtpProbeOptions options;
  options.port = 2525;
  options.private_addresses = PrivateAddresses::kAllow;
  options.step_timeout = step;
  options.connect_timeout = step;
  return SmtpProber(TestTrust(), options, clock).Probe(host, address);
}

SmtpProbeResult Probe(std::string_view host, std::string_view address) {
  return ProbeWith(RealClock::Get(), host, address);
}

TEST(SmtpProbeTest, Good) {
  SmtpProbeResult r = Probe("mx.good.probe.test", "127.77.3.21");
  ASSERT_TRUE(r.ok()) << r.detail;
  EXPECT_EQ(r.banner, "mx.probe.test ESMTP test server\nmx.probe.test ready");
  EXPECT_TRUE(r.starttls_advertised);
  EXPECT_FALSE(r.expiring_soon);
  ASSERT_TRUE(r.tls.has_value());
  EXPECT_EQ(r.tls->version, "TLSv1.3");
  EXPECT_FALSE(r.tls->cipher.empty());
  EXPECT_EQ(r.tls->leaf.subject, "CN=good");
  EXPECT_EQ(r.tls->leaf.issuer, "CN=Probe Test CA");
  EXPECT_GT(r.tls->leaf.not_after, std::chrono::system_clock::now());
  // The server picks its certificate by SNI (without SNI it presents another one), so this
  // also shows the MX name goes out as SNI. Its wildcard covers another MX name of the domain.
  EXPECT_TRUE(Probe("mx2.good.probe.test", "127.77.3.21").ok());
  // An MX target as DNS may spell it.
  SmtpProbeResult spelled = Probe("MX.Good.Probe.Test.", "127.77.3.21");
  EXPECT_TRUE(spelled.ok()) << spelled.detail;
  EXPECT_EQ(spelled.mx_host, "mx.good.probe.test");
}

TEST(SmtpProbeTest, FailuresMapToTlsRptResultTypes) {
  struct Case {
    const char* host;
    const char* address;
    SmtpFailure failure;
    ResultType type;
  } cases[] = {
      {"mx.nostarttls.probe.test", "127.77.3.22", SmtpFailure::kNoStarttls,
       ResultType::kStarttlsNotSupported},
      {"mx.good.probe.test", "127.77.3.23", SmtpFailure::kPipelinedBytes,
       ResultType::kValidationFailure},
      {"mx.expired.probe.test", "127.77.3.24", SmtpFailure::kCertExpired,
       ResultType::kCertificateExpired},
      {"mx.wrongname.probe.test", "127.77.3.25", SmtpFailure::kCertNameMismatch,
       ResultType::kCertificateHostMismatch},
      {"mx.untrusted.probe.test", "127.77.3.26", SmtpFailure::kCertUntrusted,
       ResultType::kCertificateNotTrusted},
      {"mx.good.probe.test", "127.77.3.27", SmtpFailure::kTlsVersionTooOld,
       ResultType::kValidationFailure},
      {"mx.good.probe.test", "127.77.3.29", SmtpFailure::kConnectFailed,
       ResultType::kValidationFailure},
  };
  for (const Case& c : cases) {
    SmtpProbeResult r = Probe(c.host, c.address);
    EXPECT_EQ(r.failure, c.failure) << c.address << ": " << r.detail;
    EXPECT_EQ(r.result_type, c.type) << c.address;
    EXPECT_NE(r.detail.find(c.address), std::string::npos) << r.detail;
  }
}

TEST(SmtpProbeTest, DetailsNameTheCause) {
  SmtpProbeResult untrusted = Probe("mx.untrusted.probe.test", "127.77.3.26");
  ASSERT_TRUE(untrusted.tls.has_value());
  EXPECT_EQ(untrusted.tls->chain_error, "unable to get local issuer certificate");
  SmtpProbeResult old = Probe("mx.good.probe.test", "127.77.3.27");
  EXPECT_EQ(old.legacy_tls_version, "TLSv1");
  EXPECT_NE(old.detail.find("only speaks TLSv1"), std::string::npos) << old.detail;
  SmtpProbeResult none = Probe("mx.nostarttls.probe.test", "127.77.3.22");
  EXPECT_FALSE(none.starttls_advertised);
  EXPECT_EQ(none.ehlo_keywords, (std::vector<std::string>{"PIPELINING", "8BITMIME"}));
}

TEST(SmtpProbeTest, ExpiringWithinTheHorizonIsAWarning) {
  SmtpProbeResult r = Probe("mx.expiring.probe.test", "127.77.3.28");
  EXPECT_TRUE(r.ok()) << r.detail;
  EXPECT_TRUE(r.expiring_soon);
  EXPECT_NE(r.detail.find("14-day horizon"), std::string::npos) << r.detail;
}

TEST(SmtpProbeTest, ValidityIsJudgedByTheInjectedClock) {
  FakeClock later(std::chrono::system_clock::now() + hours(24 * 60));  // the leaf lives 20 days
  SmtpProbeResult r = ProbeWith(later, "mx.good.probe.test", "127.77.3.21");
  EXPECT_EQ(r.failure, SmtpFailure::kCertExpired) << r.detail;
}

TEST(SmtpProbeTest, SilentServerTimesOut) {
  // Accepts connections (the kernel completes them from the backlog) and never speaks.
  int silent = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(silent, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(2525);
  inet_pton(AF_INET, "127.77.3.30", &address.sin_addr);
  ASSERT_EQ(bind(silent, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(listen(silent, 4), 0);
  auto start = std::chrono::steady_clock::now();
  SmtpProbeResult r =
      ProbeWith(RealClock::Get(), "mx.good.probe.test", "127.77.3.30", milliseconds(300));
  auto took = std::chrono::steady_clock::now() - start;
  close(silent);
  EXPECT_EQ(r.failure, SmtpFailure::kTimeout) << r.detail;
  EXPECT_LT(took, std::chrono::seconds(2));
}

}  // namespace
}  // namespace mtasts::probe
