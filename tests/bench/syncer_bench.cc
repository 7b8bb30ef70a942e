// The syncer with N policies: N labelled ConfigMaps and N kubernetes.io/tls Secrets (ECDSA leaves
// of a throwaway CA) on the local control plane. Prints the cold start (start to Ready, every file
// written), the memory the syncer holds for them (heap and RSS, after malloc_trim), the time from
// one ConfigMap update to its new bytes on disk, and what a restart with nothing changed writes.
//
//   syncer_bench [N] [SERVE_DIR] [NAMESPACE]
//     defaults: 10000, a fresh folder under /tmp, a new namespace; an existing NAMESPACE (from an
//     earlier run with the same N) is used as it is, so runs can be compared without making the
//     objects again. KUBECONFIG must point at the control plane; syncer_bench.sh does that.
#include <malloc.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "controller/names.h"
#include "controller/syncer.h"
#include "k8s/base64.h"
#include "k8s/config.h"
#include "k8s/rest_client.h"
#include "test_pki.h"

namespace {

using namespace mtasts;
using namespace mtasts::controller;
using SteadyClock = std::chrono::steady_clock;

struct Memory {
  long heap = 0;  // bytes in use by malloc
  long free = 0;  // bytes malloc holds but does not use (fragmentation), after trimming
  long rss = 0;   // resident bytes
};

Memory MeasureMemory() {
  malloc_trim(0);
  Memory m;
  struct mallinfo2 info = mallinfo2();
  m.heap = static_cast<long>(info.uordblks);
  m.free = static_cast<long>(info.fordblks);
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  m.rss = resident * sysconf(_SC_PAGESIZE);
  return m;
}

int Threads() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::atoi(line.c_str() + 8);
  }
  return 0;
}

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

[[noreturn]] void Die(const Status& status) {
  std::fprintf(stderr, "syncer_bench: %s\n", status.ToString().c_str());
  std::exit(1);
}

std::string Domain(int i) { return "bench-" + std::to_string(i) + ".test"; }

std::string Policy(int i, const std::string& mode) {
  return "version: STSv1\r\nmode: " + mode + "\r\nmx: mx." + Domain(i) + "\r\nmax_age: 86400\r\n";
}

k8s::Object Meta(const std::string& ns, const std::string& name, std::string_view content, int i) {
  return {{"namespace", ns},
          {"name", name},
          {"labels", {{kManagedByLabel, kManagedByValue}, {kContentLabel, content}}},
          {"annotations",
           {{kPolicyHostAnnotation, PolicyHost(Domain(i))},
            {kPolicyKeyAnnotation, ns + "/p" + std::to_string(i)}}}};
}

k8s::Object PolicyMap(const std::string& ns, int i, const std::string& mode) {
  std::string policy = "p" + std::to_string(i);
  return {{"metadata", Meta(ns, ConfigMapName(policy), kContentPolicy, i)},
          {"data", {{kPolicyFileKey, Policy(i, mode)}}}};
}

// Creates N ConfigMaps and N Secrets, 16 requests at a time.
void CreateObjects(k8s::Client& client, const std::string& ns, int n) {
  testing::TestCa ca;
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::mutex ca_mu;  // TestCa is not thread-safe
  constexpr int kParallel = 16;
  std::vector<std::thread> threads;
  threads.reserve(kParallel);
  for (int t = 0; t < kParallel; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < n && !failed; i = next++) {
        testing::TlsFiles files;
        {
          std::lock_guard<std::mutex> lock(ca_mu);
          files = ca.Leaf(PolicyHost(Domain(i)));
        }
        std::string policy = "p" + std::to_string(i);
        k8s::Object secret = {{"metadata", Meta(ns, SecretName(policy), kContentCertificate, i)},
                              {"type", "kubernetes.io/tls"},
                              {"data",
                               {{"tls.crt", k8s::Base64Encode(files.chain)},
                                {"tls.key", k8s::Base64Encode(files.key)}}}};
        for (const auto& [ref, obj] : {std::pair{k8s::ConfigMaps(), PolicyMap(ns, i, "testing")},
                                       std::pair{k8s::Secrets(), secret}}) {
          auto made = client.Create(ref, obj);
          if (!made.ok()) {
            std::fprintf(stderr, "create %d: %s\n", i, made.status().ToString().c_str());
            failed = true;
          }
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (failed) std::exit(1);
}

std::string Read(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  std::string serve_dir = argc > 2 ? argv[2] : "";
  if (serve_dir.empty()) {
    std::string pattern = "/tmp/syncer-bench-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) Die(InternalError("mkdtemp failed"));
    serve_dir = pattern;
  }
  SetLogLevel(LogLevel::kWarning);
  auto config = k8s::LoadDefaultConfig();
  if (!config.ok()) Die(config.status());
  auto client = k8s::NewRestClient(*config);
  if (!client.ok()) Die(client.status());

  const std::string ns = argc > 3 ? argv[3] : "syncer-bench-" + std::to_string(getpid());
  auto made_ns = (*client)->Create({"", "v1", "namespaces", "Namespace", false},
                                   {{"metadata", {{"name", ns}}}});
  auto start = SteadyClock::now();
  if (made_ns.ok()) {
    CreateObjects(**client, ns, n);
    std::printf("created %d ConfigMaps and %d Secrets in %.1f s (not the measured figure)\n", n, n,
                Seconds(SteadyClock::now() - start));
  } else if (made_ns.status().code() != StatusCode::kAlreadyExists) {
    Die(made_ns.status());
  }

  SyncerOptions options;
  options.serve_dir = serve_dir;
  options.namespaces = {ns};
  std::atomic<int> notices{0};
  Memory before = MeasureMemory();
  {
    Syncer syncer(**client, options, [&](const std::string&) { ++notices; });
    start = SteadyClock::now();
    if (!syncer.Start().ok()) Die(InternalError("the syncer did not start"));
    while (!syncer.Ready()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    const double cold = Seconds(SteadyClock::now() - start);
    Memory after = MeasureMemory();
    SyncerStats stats = syncer.Stats();
    std::printf("cold start to Ready in %s: %.2f s, %lld files written, %lld refused\n",
                serve_dir.c_str(), cold, static_cast<long long>(stats.written),
                static_cast<long long>(stats.refused));
    std::printf(
        "syncer memory for %d policies: %.1f MiB heap (%.0f B each), %.1f MiB RSS; "
        "process RSS %.1f MiB, of which %.1f MiB held free by malloc; %d threads\n",
        n, double(after.heap - before.heap) / (1 << 20), double(after.heap - before.heap) / n,
        double(after.rss - before.rss) / (1 << 20), double(after.rss) / (1 << 20),
        double(after.free) / (1 << 20), Threads());

    // One change, from the update call to its bytes on disk, a few times.
    const std::filesystem::path file =
        std::filesystem::path(serve_dir) / "www" / PolicyHost(Domain(0)) / "mta-sts.txt";
    std::vector<double> latencies;
    for (int round = 0; round < 20; ++round) {
      const std::string mode = round % 2 == 0 ? "enforce" : "testing";
      auto sent = SteadyClock::now();
      auto updated = (*client)->Update(k8s::ConfigMaps(), PolicyMap(ns, 0, mode));
      if (!updated.ok()) Die(updated.status());
      while (Read(file) != Policy(0, mode)) std::this_thread::yield();
      latencies.push_back(Seconds(SteadyClock::now() - sent) * 1000);
    }
    std::sort(latencies.begin(), latencies.end());
    std::printf("update to served bytes on disk: p50 %.1f ms, max %.1f ms (20 updates)\n",
                latencies[latencies.size() / 2], latencies.back());
    syncer.Stop();
  }
  {
    Syncer again(**client, options, nullptr);
    start = SteadyClock::now();
    if (!again.Start().ok()) Die(InternalError("the syncer did not start again"));
    while (!again.Ready()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    SyncerStats stats = again.Stats();
    std::printf("restart with nothing changed: Ready in %.2f s, %lld written, %lld removed\n",
                Seconds(SteadyClock::now() - start), static_cast<long long>(stats.written),
                static_cast<long long>(stats.removed));
  }
  std::printf("namespace %s left in place (delete it, or take the control plane down)\n",
              ns.c_str());
  return 0;
}
