#include "validate/check_run.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace mtasts::validate {

std::vector<Report> CheckDomains(const std::vector<std::string>& domains, Gatherer& gatherer,
                                 const CheckOptions& options, int concurrency,
                                 const ProgressFn& progress) {
  std::vector<Report> reports(domains.size());
  std::atomic<size_t> next{0};
  std::mutex progress_mu;
  size_t done = 0;
  auto work = [&] {
    for (size_t i = next++; i < domains.size(); i = next++) {
      reports[i] = Evaluate(gatherer.Gather(domains[i]), options);
      if (progress) {
        std::lock_guard lock(progress_mu);
        progress(++done, domains.size());
      }
    }
  };
  const size_t workers = std::min(domains.size(), static_cast<size_t>(std::max(1, concurrency)));
  std::vector<std::thread> threads;
  for (size_t i = 1; i < workers; ++i) threads.emplace_back(work);
  work();  // the calling thread is a worker too
  for (std::thread& t : threads) t.join();
  return reports;
}

}  // namespace mtasts::validate
