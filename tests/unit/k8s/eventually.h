// Eventually: waits for code running on its own threads (workers, an informer) to reach a state.
#pragma once

#include <chrono>
#include <thread>

namespace mtasts::k8s {

// Polls `done` on wall time for at most `limit`; true once it holds.
template <typename Pred>
bool Eventually(Pred done, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace mtasts::k8s
