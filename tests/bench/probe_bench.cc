// probe_bench: throughput and CPU cost of the observation layer (src/dns + src/probe) when many
// domains are looked at concurrently, the way `mtasts check` and the operator use it.
//
//   probe_bench MODE DNS_SERVER CA_FILE HTTPS_PORT SMTP_PORT THREADS COUNT DOMAIN...
//   e.g. probe_bench full 127.25.0.53:53 /tmp/mta-sts-mailstack/pki/test-ca.crt 443 25 32 1000
//   good.test
//
// Each of COUNT iterations takes the next DOMAIN (round robin). MODE "discovery" does what a
// sending MTA does to learn a policy (TXT _mta-sts.D, then fetch
// https://mta-sts.D/.well-known/mta-sts.txt), the same work as postfix-mta-sts-resolver; MODE
// "full" adds what a validator does on top: MX D, resolve the first MX, probe it with STARTTLS.
// MODE "dns" makes only the lookups of "full" (TXT, MX, A and AAAA of the first MX).
// Prints domains/s and CPU seconds per 1000 domains.
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "dns/ares_resolver.h"
#include "probe/policy_fetcher.h"
#include "probe/smtp_prober.h"

namespace {

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace mtasts;
  if (argc < 9) {
    std::fprintf(
        stderr,
        "usage: %s discovery|full|dns DNS_SERVER CA_FILE HTTPS_PORT SMTP_PORT THREADS COUNT "
        "DOMAIN...\n",
        argv[0]);
    return 2;
  }
  const std::string mode = argv[1];
  const bool full = mode == "full", dns_only = mode == "dns";
  ++argv;  // the rest as if MODE were not there
  --argc;
  dns::ResolverOptions dns_options;
  dns_options.servers = {argv[1]};
  dns_options.max_channels = 64;
  auto resolver = dns::AresResolver::Create(dns_options);
  auto tls = probe::TlsClient::Create({argv[2]});
  if (!resolver.ok() || !tls.ok()) {
    std::fprintf(stderr, "setup: %s %s\n", resolver.status().ToString().c_str(),
                 tls.status().ToString().c_str());
    return 1;
  }
  probe::PolicyFetchOptions fetch_options;
  fetch_options.port = static_cast<uint16_t>(std::stoi(argv[3]));
  fetch_options.private_addresses = probe::PrivateAddresses::kAllow;
  probe::SmtpProbeOptions smtp_options;
  smtp_options.port = static_cast<uint16_t>(std::stoi(argv[4]));
  smtp_options.private_addresses = probe::PrivateAddresses::kAllow;
  int threads = std::stoi(argv[5]);
  int count = std::stoi(argv[6]);
  std::vector<std::string> domains(argv + 7, argv + argc);
  probe::PolicyFetcher fetcher(**resolver, *tls, fetch_options);
  probe::SmtpProber prober(*tls, smtp_options);

  // What went wrong with one domain, or "" when every step succeeded.
  auto Failure = [&](const std::string& domain) -> std::string {
    dns::TxtAnswer txt = (*resolver)->LookupTxt("_mta-sts." + domain);
    if (!txt.found()) return txt.error;
    if (!dns_only) {
      probe::PolicyFetchResult policy = fetcher.Fetch(domain);
      if (!policy.ok()) return policy.detail;
      if (!full) return "";
    }
    dns::MxAnswer mx = (*resolver)->LookupMx(domain);
    if (!mx.found()) return mx.error;
    dns::AddressAnswer addresses = (*resolver)->LookupAddresses(mx.records[0].host);
    if (!addresses.found()) return addresses.error;
    if (dns_only) return "";
    probe::SmtpProbeResult smtp = prober.Probe(mx.records[0].host, addresses.records[0].address);
    return smtp.ok() ? "" : smtp.detail;
  };
  std::atomic<int> next{0}, fully_ok{0}, reported{0};
  auto work = [&] {
    for (int i; (i = next++) < count;) {
      const std::string& domain = domains[static_cast<size_t>(i) % domains.size()];
      std::string failed = Failure(domain);
      if (failed.empty()) {
        ++fully_ok;
      } else if (reported++ < 5) {
        std::fprintf(stderr, "%s: %s\n", domain.c_str(), failed.c_str());
      }
    }
  };
  double cpu_start = CpuSeconds();
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  for (std::thread& t : pool) t.join();
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double cpu = CpuSeconds() - cpu_start;
  std::printf("domains=%d ok=%d threads=%d wall=%.2fs domains/s=%.1f cpu=%.2fs cpu/1000=%.2fs\n",
              count, fully_ok.load(), threads, wall, count / wall, cpu, cpu * 1000 / count);
  return fully_ok.load() == count ? 0 : 1;
}
