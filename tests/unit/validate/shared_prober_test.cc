// SharedSmtpSource: each (MX host, address) pair is probed once per run, and no address ever
// sees two connections from us at the same time.
#include "validate/shared_prober.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace mtasts::validate {
namespace {

// Records how many probes are open per address at once; each probe takes a little while so
// that overlapping callers would be seen.
class CountingProber final : public SmtpSource {
 public:
  SmtpObservation Probe(std::string_view mx_host, std::string_view ip, Deadline) override {
    const std::string key(ip);
    {
      std::lock_guard lock(mu_);
      ++calls_;
      max_open_ = std::max(max_open_, ++open_[key]);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    {
      std::lock_guard lock(mu_);
      --open_[key];
    }
    SmtpObservation obs;
    obs.ip = key;
    obs.connected = true;
    obs.tls_version = std::string(mx_host);  // lets the test see whose result it got
    return obs;
  }
  int calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  int max_open() const {
    std::lock_guard lock(mu_);
    return max_open_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, int> open_;
  int calls_ = 0;
  int max_open_ = 0;
};

TEST(SharedSmtpSourceTest, ProbesEachPairOnceAndOneConnectionPerAddress) {
  CountingProber inner;
  SharedSmtpSource shared(inner);
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  // 8 threads x 3 hosts on 2 addresses: 6 distinct pairs, many duplicate requests.
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 6; ++i) {
        const std::string host = "mx" + std::to_string((i + t) % 3) + ".example.net";
        const std::string ip = (i % 2 == 0) ? "192.0.2.1" : "192.0.2.2";
        const SmtpObservation obs = shared.Probe(host, ip, Deadline::max());
        if (obs.ip != ip || obs.tls_version != host) ++wrong;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(inner.calls(), 6);
  EXPECT_EQ(shared.probes_started(), 6);
  EXPECT_EQ(inner.max_open(), 1);
}

class ThrowingProber final : public SmtpSource {
 public:
  SmtpObservation Probe(std::string_view, std::string_view, Deadline) override {
    throw std::runtime_error("boom");
  }
};

TEST(SharedSmtpSourceTest, AThrowingProbeReachesEveryWaiter) {
  ThrowingProber inner;
  SharedSmtpSource shared(inner);
  EXPECT_THROW(shared.Probe("mx.example.net", "192.0.2.1", Deadline::max()), std::runtime_error);
  EXPECT_THROW(shared.Probe("mx.example.net", "192.0.2.1", Deadline::max()), std::runtime_error);
}

class CountingResolver final : public dns::Resolver {
 public:
  std::atomic<int> address_lookups{0};
  std::atomic<int> txt_lookups{0};
  dns::TxtAnswer LookupTxt(std::string_view) override {
    ++txt_lookups;
    return {};
  }
  dns::MxAnswer LookupMx(std::string_view) override { return {}; }
  dns::AddressAnswer LookupAddresses(std::string_view name) override {
    ++address_lookups;
    dns::AddressAnswer a;
    a.outcome = dns::Outcome::kFound;
    a.name = std::string(name);
    a.records.push_back({"192.0.2.7", false, 300});
    return a;
  }
};

TEST(SharedAddressResolverTest, AsksForEachNameOnceAndPassesTxtThrough) {
  CountingResolver inner;
  SharedAddressResolver shared(inner);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        EXPECT_EQ(shared.LookupAddresses("mx" + std::to_string(i % 2) + ".example.net").name,
                  "mx" + std::to_string(i % 2) + ".example.net");
        shared.LookupTxt("_mta-sts.example.com");
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(inner.address_lookups.load(), 2);
  EXPECT_EQ(shared.lookups_started(), 2);
  EXPECT_EQ(inner.txt_lookups.load(), 40);
}

}  // namespace
}  // namespace mtasts::validate
