// The probes and special-purpose addresses: refused ones are never connected to, probed ones
// are marked, allowed ones are not. A real listener on 127.0.0.1 counts the connections.
#include <gtest/gtest.h>

#include "loopback_server.h"
#include "one_address_resolver.h"
#include "probe/policy_fetcher.h"
#include "probe/smtp_prober.h"

namespace mtasts::probe {
namespace {

void RefuseToTalk(int fd, const std::atomic<bool>&) {
  LoopbackServer::Send(fd, "554 5.3.2 not today\r\n");
}

std::shared_ptr<const TlsClient> SystemTrust() { return *TlsClient::Create({}); }

SmtpProbeResult ProbeLoopback(PrivateAddresses mode, const LoopbackServer& server) {
  SmtpProbeOptions options;
  options.port = server.port();
  options.private_addresses = mode;
  return SmtpProber(SystemTrust(), options).Probe("mx.example.com", "127.0.0.1");
}

TEST(PrivateAddressTest, SmtpProbeRefusesWithoutConnecting) {
  LoopbackServer server(RefuseToTalk);
  SmtpProbeResult r = ProbeLoopback(PrivateAddresses::kRefuse, server);
  EXPECT_EQ(r.failure, SmtpFailure::kPrivateAddress);
  EXPECT_EQ(r.private_range, "loopback 127.0.0.0/8");
  EXPECT_NE(r.detail.find("not probed"), std::string::npos) << r.detail;
  EXPECT_EQ(server.accepted(), 0);
}

TEST(PrivateAddressTest, SmtpProbeWarnsButProbes) {
  LoopbackServer server(RefuseToTalk);
  SmtpProbeResult r = ProbeLoopback(PrivateAddresses::kProbeAndWarn, server);
  EXPECT_EQ(r.failure, SmtpFailure::kProtocolError) << r.detail;
  EXPECT_EQ(r.private_range, "loopback 127.0.0.0/8");
  EXPECT_EQ(server.accepted(), 1);
}

TEST(PrivateAddressTest, SmtpProbeAllowedMarksNothing) {
  LoopbackServer server(RefuseToTalk);
  SmtpProbeResult r = ProbeLoopback(PrivateAddresses::kAllow, server);
  EXPECT_EQ(r.failure, SmtpFailure::kProtocolError) << r.detail;
  EXPECT_EQ(r.private_range, "");
  EXPECT_EQ(server.accepted(), 1);
}

TEST(PrivateAddressTest, PolicyFetchRefusesResolvedButNotGivenAddresses) {
  LoopbackServer server(RefuseToTalk);
  OneAddressResolver resolver("127.0.0.1");
  PolicyFetchOptions options;
  options.port = server.port();
  options.timeout = std::chrono::seconds(5);
  const PolicyFetcher fetcher(resolver, SystemTrust(), options);
  PolicyFetchResult r = fetcher.Fetch("example.com");
  EXPECT_EQ(r.failure, FetchFailure::kPrivateAddress);
  EXPECT_EQ(r.private_range, "loopback 127.0.0.0/8");
  EXPECT_EQ(server.accepted(), 0);
  // The operator's own serving endpoints are private by nature: FetchFrom always connects.
  r = fetcher.FetchFrom("example.com", "127.0.0.1");
  EXPECT_NE(r.failure, FetchFailure::kPrivateAddress);
  EXPECT_EQ(server.accepted(), 1);
}

}  // namespace
}  // namespace mtasts::probe
