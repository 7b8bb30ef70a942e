#include "validate/check_run.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

namespace mtasts::validate {

void CheckDomains(const std::vector<std::string>& domains, Gatherer& gatherer,
                  const CheckOptions& options, int concurrency, const ReportSink& sink,
                  const ProgressFn& progress) {
  std::atomic<size_t> next{0};
  std::mutex mu;                     // guards everything below, and serialises the callbacks
  std::map<size_t, Report> waiting;  // done, but an earlier domain is not
  size_t next_to_emit = 0;
  size_t done = 0;
  auto work = [&] {
    for (size_t i = next++; i < domains.size(); i = next++) {
      Report report = Evaluate(gatherer.Gather(domains[i]), options);
      std::lock_guard lock(mu);
      if (progress) progress(++done, domains.size());
      waiting.emplace(i, std::move(report));
      for (auto it = waiting.begin(); it != waiting.end() && it->first == next_to_emit;
           it = waiting.erase(it), ++next_to_emit) {
        sink(it->first, std::move(it->second));
      }
    }
  };
  const size_t workers = std::min(domains.size(), static_cast<size_t>(std::max(1, concurrency)));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();  // the calling thread is a worker too
  for (std::thread& t : threads) t.join();
}

std::vector<Report> CheckDomains(const std::vector<std::string>& domains, Gatherer& gatherer,
                                 const CheckOptions& options, int concurrency) {
  std::vector<Report> reports(domains.size());
  CheckDomains(domains, gatherer, options, concurrency,
               [&](size_t i, Report&& r) { reports[i] = std::move(r); });
  return reports;
}

}  // namespace mtasts::validate
