#include "k8s/workqueue.h"

#include <algorithm>

namespace mtasts::k8s {

WorkQueue::WorkQueue(WorkQueueOptions options)
    : options_(options),
      backoff_(options.base_delay, options.max_delay),
      retry_budget_(options.qps, options.burst) {}

void WorkQueue::Add(const std::string& key) {
  std::lock_guard lock(mu_);
  AddLocked(key);
}

void WorkQueue::AddLocked(const std::string& key) {
  if (shutting_down_ || !dirty_.insert(key).second) return;
  // A key in flight stays only in dirty_; Done queues it again.
  if (processing_.count(key) != 0) return;
  queue_.push_back(key);
  changed_.notify_one();
}

void WorkQueue::AddAfter(const std::string& key, std::chrono::nanoseconds delay) {
  std::lock_guard lock(mu_);
  AddAfterLocked(key, delay);
}

void WorkQueue::AddAfterLocked(const std::string& key, std::chrono::nanoseconds delay) {
  if (shutting_down_) return;
  if (delay <= std::chrono::nanoseconds::zero()) return AddLocked(key);
  SteadyTime due = options_.clock->SteadyNow() + delay;
  auto [it, inserted] = delayed_due_.try_emplace(key, due);
  if (!inserted) {
    if (it->second <= due) return;  // an earlier request already stands
    delayed_.erase({it->second, key});
    it->second = due;
  }
  delayed_.emplace(due, key);
  // A waiting Get may be sleeping towards a later due time.
  changed_.notify_one();
}

void WorkQueue::AddRateLimited(const std::string& key) {
  std::lock_guard lock(mu_);
  if (shutting_down_) return;
  auto delay =
      std::max(backoff_.NextDelay(key), retry_budget_.Reserve(options_.clock->SteadyNow()));
  AddAfterLocked(key, delay);
}

void WorkQueue::Forget(const std::string& key) {
  std::lock_guard lock(mu_);
  backoff_.Forget(key);
}

int WorkQueue::NumRequeues(const std::string& key) const {
  std::lock_guard lock(mu_);
  return backoff_.Failures(key);
}

void WorkQueue::PromoteDueLocked() {
  SteadyTime now = options_.clock->SteadyNow();
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    std::string key = delayed_.begin()->second;
    delayed_.erase(delayed_.begin());
    delayed_due_.erase(key);
    AddLocked(key);
  }
}

bool WorkQueue::FinishedLocked() const {
  if (!shutting_down_) return false;
  return !draining_ || (queue_.empty() && processing_.empty());
}

std::optional<std::string> WorkQueue::Get() {
  std::unique_lock lock(mu_);
  while (true) {
    if (FinishedLocked()) return std::nullopt;
    PromoteDueLocked();
    if (!queue_.empty()) break;
    if (delayed_.empty()) {
      changed_.wait(lock);
      continue;
    }
    auto until_due = delayed_.begin()->first - options_.clock->SteadyNow();
    changed_.wait_for(lock, std::min<std::chrono::nanoseconds>(until_due, options_.max_wait));
  }
  std::string key = std::move(queue_.front());
  queue_.pop_front();
  dirty_.erase(key);
  processing_.insert(key);
  // Several keys may have become ready at once: pass the wake-up on.
  if (!queue_.empty()) changed_.notify_one();
  return key;
}

void WorkQueue::Done(const std::string& key) {
  std::lock_guard lock(mu_);
  if (processing_.erase(key) == 0) return;
  if (dirty_.count(key) != 0) {
    if (shutting_down_ && !draining_) {
      dirty_.erase(key);
    } else {
      queue_.push_back(key);
    }
  }
  // Wakes a worker for the re-queued key, and draining workers waiting for the last one.
  changed_.notify_all();
}

void WorkQueue::ShutDown(Drain drain) {
  std::lock_guard lock(mu_);
  // A second call may stop a drain early, never restart one.
  draining_ = (draining_ || !shutting_down_) && drain == Drain::kYes;
  shutting_down_ = true;
  delayed_.clear();
  delayed_due_.clear();
  changed_.notify_all();
}

bool WorkQueue::ShuttingDown() const {
  std::lock_guard lock(mu_);
  return shutting_down_;
}

size_t WorkQueue::Len() {
  std::lock_guard lock(mu_);
  PromoteDueLocked();
  return queue_.size();
}

}  // namespace mtasts::k8s
