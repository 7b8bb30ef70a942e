// The probes' overall deadline against a peer that trickles bytes: each byte arrives well
// within any step timeout, so only the deadline can end the exchange. A real listener on
// 127.0.0.1 plays the peer; the deadline is short, so the test takes about a second.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "loopback_server.h"
#include "one_address_resolver.h"
#include "probe/policy_fetcher.h"
#include "probe/smtp_prober.h"

namespace mtasts::probe {
namespace {

using Steady = std::chrono::steady_clock;
using std::chrono::milliseconds;

// Sends `text` one byte every 20 ms, over and over, until the test ends or the client leaves.
LoopbackServer::Handler Trickle(std::string text) {
  return [text](int fd, const std::atomic<bool>& stop) {
    for (size_t i = 0; !stop; ++i) {
      if (send(fd, &text[i % text.size()], 1, MSG_NOSIGNAL) != 1) return;
      std::this_thread::sleep_for(milliseconds(20));
    }
  };
}

class DeadlineTest : public ::testing::Test {
 protected:
  std::shared_ptr<const TlsClient> tls_ = *TlsClient::Create({});
};

TEST_F(DeadlineTest, SmtpProbeOfATricklingServerEndsAtTheDeadline) {
  LoopbackServer server(Trickle("220-still greeting you\r\n"));  // a greeting without end
  SmtpProbeOptions options;
  options.port = server.port();
  options.private_addresses = PrivateAddresses::kAllow;
  options.step_timeout = std::chrono::seconds(30);
  const Steady::time_point start = Steady::now();
  SmtpProbeResult r =
      SmtpProber(tls_, options).Probe("mx.example.com", "127.0.0.1", start + milliseconds(800));
  const auto took = Steady::now() - start;
  EXPECT_EQ(r.failure, SmtpFailure::kTimeout) << r.detail;
  EXPECT_GE(took, milliseconds(700));  // poll() rounds down to whole ms
  EXPECT_LT(took, milliseconds(3000));
}

TEST_F(DeadlineTest, PolicyFetchOfATricklingServerEndsAtTheDeadline) {
  LoopbackServer server(Trickle("\x16\x03\x03"));  // the start of a TLS record, forever
  PolicyFetchOptions options;
  options.port = server.port();
  options.timeout = std::chrono::seconds(30);
  OneAddressResolver resolver("127.0.0.1");
  const PolicyFetcher fetcher(resolver, tls_, options);
  const Steady::time_point start = Steady::now();
  PolicyFetchResult r = fetcher.FetchFrom("example.com", "127.0.0.1", start + milliseconds(800));
  const auto took = Steady::now() - start;
  EXPECT_EQ(r.failure, FetchFailure::kTimeout) << r.detail;
  EXPECT_GE(took, milliseconds(700));  // poll() rounds down to whole ms
  EXPECT_LT(took, milliseconds(3000));
}

}  // namespace
}  // namespace mtasts::probe
