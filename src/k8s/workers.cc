#include "k8s/workers.h"

#include <exception>

#include "base/log.h"

namespace mtasts::k8s {

void Workers::Start(int count, std::stop_token cancel) {
  follow_.emplace(cancel, [this] {
    cancel_.request_stop();
    queue_.ShutDown(Drain::kNo);
  });
  for (int i = 0; i < count; ++i) threads_.emplace_back([this] { Run(); });
}

void Workers::Stop(Drain drain) {
  if (drain == Drain::kNo) cancel_.request_stop();
  queue_.ShutDown(drain);
  for (auto& thread : threads_) thread.join();
  threads_.clear();
  follow_.reset();
}

void Workers::Run() {
  while (std::optional<std::string> key = queue_.Get()) {
    ProcessResult result;
    try {
      result = handler_(*key, cancel_.get_token());
    } catch (const std::exception& e) {
      result = ProcessResult::Failed(InternalError(std::string("handler threw: ") + e.what()));
    } catch (...) {
      result = ProcessResult::Failed(InternalError("handler threw a non-standard exception"));
    }
    Settle(*key, result);
    queue_.Done(*key);
  }
}

void Workers::Settle(const std::string& key, const ProcessResult& result) {
  if (result.status.ok()) {
    queue_.Forget(key);
    if (result.requeue_after) queue_.AddAfter(key, *result.requeue_after);
    return;
  }
  if (result.status.code() == StatusCode::kCancelled) return;  // the queue is shutting down
  if (result.status.code() == StatusCode::kAborted) {
    LogDebug("conflict, processing again", {{"key", key}, {"error", result.status.message()}});
    queue_.Add(key);
    return;
  }
  std::string retries = std::to_string(queue_.NumRequeues(key) + 1);
  LogWarning("processing failed, retrying with backoff",
             {{"key", key}, {"error", result.status.ToString()}, {"retry", retries}});
  queue_.AddRateLimited(key);
}

}  // namespace mtasts::k8s
