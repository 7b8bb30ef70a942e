#include "probe/sigpipe_guard.h"

#include <pthread.h>

#include <ctime>

namespace mtasts::probe {
namespace {

sigset_t OnlySigpipe() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  return set;
}

bool SigpipePending() {
  sigset_t pending;
  sigpending(&pending);
  return sigismember(&pending, SIGPIPE) == 1;
}

}  // namespace

SigpipeGuard::SigpipeGuard() {
  sigset_t block = OnlySigpipe();
  pthread_sigmask(SIG_BLOCK, &block, &old_mask_);
  was_pending_ = SigpipePending();
}

SigpipeGuard::~SigpipeGuard() {
  if (!was_pending_ && SigpipePending()) {
    sigset_t set = OnlySigpipe();
    timespec zero{};
    sigtimedwait(&set, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old_mask_, nullptr);
}

}  // namespace mtasts::probe
