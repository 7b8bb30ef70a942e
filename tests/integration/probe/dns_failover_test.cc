// AresResolver across several servers, against real NSD instances: the fixture's NSD
// (127.77.3.53:5353: probe.test; SERVFAIL for broken.probe.test; REFUSED for zones it does not
// serve) and one of this test's own (127.77.4.53:5353: only broken.probe.test, which it
// serves). A SERVFAIL or REFUSED from one server sends the question to the next. And every query
// leaves from a port of its own: a UDP listener records the source ports it sees.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include "dns/ares_resolver.h"

namespace mtasts::dns {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

constexpr char kFixtureNsd[] = "127.77.3.53:5353";
constexpr char kOwnNsd[] = "127.77.4.53:5353";

std::unique_ptr<AresResolver> ResolverFor(std::vector<std::string> servers, int max_channels = 4) {
  ResolverOptions options;
  options.servers = std::move(servers);
  options.timeout = milliseconds(1000);
  options.max_channels = max_channels;
  auto resolver = AresResolver::Create(options);
  EXPECT_TRUE(resolver.ok()) << resolver.status().ToString();
  return std::move(resolver).value();
}

class DnsFailoverTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("dns-failover-test-" + std::to_string(getpid()));
    fs::create_directories(dir_);
    std::ofstream(dir_ / "broken.probe.test.zone")
        << "$ORIGIN broken.probe.test.\n$TTL 300\n"
           "@ IN SOA ns hostmaster 1 3600 600 86400 300\n@ IN NS ns\nns IN A 127.77.4.53\n"
           "_mta-sts IN TXT \"v=STSv1; id=second\"\n";
    std::ofstream(dir_ / "nsd.conf")
        << "server:\n  ip-address: "
        << "127.77.4.53@5353"
        << "\n  username: \"\"\n"
        << "  chroot: \"\"\n  database: \"\"\n  zonesdir: \"" << dir_.string() << "\"\n"
        << "  pidfile: \"" << (dir_ / "nsd.pid").string() << "\"\n"
        << "  logfile: \"" << (dir_ / "nsd.log").string() << "\"\n"
        << "  xfrdfile: \"" << (dir_ / "xfrd.state").string() << "\"\n"
        << "  zonelistfile: \"" << (dir_ / "zone.list").string() << "\"\n"
        << "remote-control:\n  control-enable: no\n"
        << "zone:\n  name: broken.probe.test\n  zonefile: broken.probe.test.zone\n";
    std::string start = "nsd -c " + (dir_ / "nsd.conf").string();
    if (std::system(start.c_str()) != 0) return;  // SetUp fails each test
    auto resolver = ResolverFor({kOwnNsd});
    for (int i = 0; i < 100 && !nsd_up_; ++i) {
      nsd_up_ = resolver->LookupTxt("_mta-sts.broken.probe.test").outcome == Outcome::kFound;
      if (!nsd_up_) std::this_thread::sleep_for(milliseconds(100));
    }
  }
  static void TearDownTestSuite() {
    std::ifstream pidfile(dir_ / "nsd.pid");
    pid_t pid = 0;
    if (pidfile >> pid && pid > 0) {
      kill(pid, SIGTERM);  // and wait, so that the next test's NSD finds the port free
      for (int i = 0; i < 100 && kill(pid, 0) == 0; ++i) {
        std::this_thread::sleep_for(milliseconds(50));
      }
    }
    fs::remove_all(dir_);
  }
  void SetUp() override {
    ASSERT_TRUE(nsd_up_) << "nsd on " << kOwnNsd << " did not start or answer; see " << dir_;
  }
  static fs::path dir_;
  static bool nsd_up_;
};
fs::path DnsFailoverTest::dir_;
bool DnsFailoverTest::nsd_up_ = false;

TEST_F(DnsFailoverTest, RefusedByTheFirstServerIsAskedOfTheNext) {
  // The own NSD does not serve good.probe.test: REFUSED; the fixture's answers.
  TxtAnswer answer = ResolverFor({kOwnNsd, kFixtureNsd})->LookupTxt("_mta-sts.good.probe.test");
  EXPECT_EQ(answer.outcome, Outcome::kFound) << answer.error;
  AddressAnswer addresses =
      ResolverFor({kOwnNsd, kFixtureNsd})->LookupAddresses("mx.good.probe.test");
  EXPECT_EQ(addresses.outcome, Outcome::kFound) << addresses.error;
}

TEST_F(DnsFailoverTest, ServfailFromTheFirstServerIsAskedOfTheNext) {
  TxtAnswer answer = ResolverFor({kFixtureNsd, kOwnNsd})->LookupTxt("_mta-sts.broken.probe.test");
  ASSERT_EQ(answer.outcome, Outcome::kFound) << answer.error;
  ASSERT_EQ(answer.records.size(), 1u);
  EXPECT_EQ(answer.records[0].Joined(), "v=STSv1; id=second");
}

TEST_F(DnsFailoverTest, WhenEveryServerFailsEachAnswerIsNamed) {
  TxtAnswer answer = ResolverFor({kOwnNsd, kFixtureNsd})->LookupTxt("_mta-sts.example.org");
  EXPECT_EQ(answer.outcome, Outcome::kRefused) << answer.error;
  EXPECT_NE(answer.error.find("127.77.4.53:5353 answered REFUSED; 127.77.3.53:5353 answered "
                              "REFUSED"),
            std::string::npos)
      << answer.error;
}

// A UDP "server" that answers every query NXDOMAIN and records the source port it came from.
class PortRecorder {
 public:
  PortRecorder() {
    fd_ = socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(5353);
    inet_pton(AF_INET, "127.77.4.54", &address.sin_addr);
    bound_ = bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    thread_ = std::thread([this] { Serve(); });
  }
  ~PortRecorder() {
    shutdown(fd_, SHUT_RDWR);
    close(fd_);
    thread_.join();
  }
  bool bound() const { return bound_; }
  std::vector<uint16_t> ports() {
    std::lock_guard lock(mu_);
    return ports_;
  }

 private:
  void Serve() {
    unsigned char buf[512];
    for (;;) {
      sockaddr_in from{};
      socklen_t len = sizeof from;
      ssize_t n = recvfrom(fd_, buf, sizeof buf, 0, reinterpret_cast<sockaddr*>(&from), &len);
      if (n < 12) return;
      {
        std::lock_guard lock(mu_);
        ports_.push_back(ntohs(from.sin_port));
      }
      buf[2] |= 0x80;                // QR: a response, question kept
      buf[3] = (buf[3] & 0xf0) | 3;  // NXDOMAIN
      sendto(fd_, buf, n, 0, reinterpret_cast<sockaddr*>(&from), len);
    }
  }

  int fd_;
  bool bound_ = false;
  std::mutex mu_;
  std::vector<uint16_t> ports_;
  std::thread thread_;
};

TEST(DnsSourcePortTest, EveryQueryLeavesFromAPortOfItsOwn) {
  PortRecorder recorder;
  ASSERT_TRUE(recorder.bound());
  // One pooled channel, reused by every lookup: the case where a kept-open socket would reuse
  // its port.
  auto resolver = ResolverFor({"127.77.4.54:5353"}, /*max_channels=*/1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(resolver->LookupTxt("_mta-sts.d" + std::to_string(i) + ".test").outcome,
              Outcome::kNxDomain);
    // A and AAAA in flight at once.
    EXPECT_EQ(resolver->LookupAddresses("mx.d" + std::to_string(i) + ".test").outcome,
              Outcome::kNxDomain);
  }
  std::vector<uint16_t> ports = recorder.ports();
  ASSERT_EQ(ports.size(), 9u);
  // The kernel draws each port at random, so two may meet by chance (about 1 run in 1,000); a
  // socket kept open would send all nine from one port.
  EXPECT_GE(std::set<uint16_t>(ports.begin(), ports.end()).size(), ports.size() - 1)
      << "source ports were reused across queries";
}

}  // namespace
}  // namespace mtasts::dns
