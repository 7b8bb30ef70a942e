// Cold list+sync time of the informer and the memory its store holds per object, for N small
// custom objects (Widgets, see tests/integration/k8s/testdata/widgets-crd.yaml).
//
//   k8s_informer_bench [N]      (KUBECONFIG must point at a control plane with the Widget CRD)
//
// Memory is reported two ways: bytes the allocator holds (mallinfo2, exact) and process RSS
// (what the kernel charges), each after malloc_trim so freed list pages do not count. For the
// choice of representation it also measures the same objects held as parsed nlohmann::json.
#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "k8s/config.h"
#include "k8s/informer.h"
#include "k8s/rest_client.h"

namespace {

using namespace mtasts;
using namespace mtasts::k8s;
using SteadyClock = std::chrono::steady_clock;

const ResourceRef kWidgets{"test.mtasts.io", "v1", "widgets", "Widget", true};

struct Memory {
  long heap = 0;  // bytes in use by malloc
  long rss = 0;   // resident bytes
};

Memory MeasureMemory() {
  malloc_trim(0);
  Memory m;
  m.heap = static_cast<long>(mallinfo2().uordblks);
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  m.rss = resident * sysconf(_SC_PAGESIZE);
  return m;
}

double Seconds(SteadyClock::duration d) { return std::chrono::duration<double>(d).count(); }

[[noreturn]] void Die(const Status& status) {
  std::fprintf(stderr, "k8s_informer_bench: %s\n", status.ToString().c_str());
  std::exit(1);
}

void CreateWidgets(Client& client, const std::string& ns, int n) {
  std::atomic<int> next{0};
  std::atomic<bool> failed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < n && !failed; i = next++) {
        Object widget = {{"metadata",
                          {{"namespace", ns},
                           {"name", "w-" + std::to_string(i)},
                           {"labels", {{"app", "bench"}}}}},
                         {"spec",
                          {{"domain", "d" + std::to_string(i) + ".example.com"},
                           {"mode", "testing"},
                           {"replicas", 1}}}};
        auto made = client.Create(kWidgets, widget);
        if (!made.ok()) {
          std::fprintf(stderr, "create w-%d: %s\n", i, made.status().ToString().c_str());
          failed = true;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  if (failed) std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  auto config = LoadDefaultConfig();
  if (!config.ok()) Die(config.status());
  auto client = NewRestClient(*config);
  if (!client.ok()) Die(client.status());

  std::string ns = "bench-" + std::to_string(getpid());
  auto made_ns = (*client)->Create({"", "v1", "namespaces", "Namespace", false},
                                   {{"metadata", {{"name", ns}}}});
  if (!made_ns.ok()) Die(made_ns.status());
  auto start = SteadyClock::now();
  CreateWidgets(**client, ns, n);
  std::printf("created %d widgets in %.1f s (16 parallel requests; not the measured figure)\n", n,
              Seconds(SteadyClock::now() - start));

  Memory before = MeasureMemory();
  InformerOptions options;
  options.ns = ns;
  Informer informer(**client, kWidgets, options, {});
  start = SteadyClock::now();
  informer.Start();
  if (!informer.WaitForSync(std::chrono::minutes(5))) Die(DeadlineExceededError("no sync"));
  double sync_seconds = Seconds(SteadyClock::now() - start);
  Memory after = MeasureMemory();
  if (informer.Size() != static_cast<size_t>(n)) {
    std::fprintf(stderr, "informer holds %zu objects, expected %d\n", informer.Size(), n);
    return 1;
  }
  std::printf("informer cold list+sync of %d objects: %.2f s\n", n, sync_seconds);
  std::printf("store memory per object: %.0f B heap, %.0f B RSS\n",
              double(after.heap - before.heap) / n, double(after.rss - before.rss) / n);

  // The alternative representation: the same (stripped) objects as parsed JSON values.
  Memory parsed_before = MeasureMemory();
  std::vector<Object> parsed = informer.List();
  Memory parsed_after = MeasureMemory();
  std::printf("for comparison, as parsed nlohmann::json: %.0f B heap per object\n",
              double(parsed_after.heap - parsed_before.heap) / n);
  std::printf("one cached object: %s\n", parsed.front().dump().c_str());
  informer.Stop();
  return 0;
}
