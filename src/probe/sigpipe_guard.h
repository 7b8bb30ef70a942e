// SigpipeGuard: while alive, a write to a socket the peer has closed gives EPIPE on this thread
// instead of a SIGPIPE that would end the process. OpenSSL writes with plain send(), without
// MSG_NOSIGNAL, and a library must not change the process's signal dispositions, so the signal is
// blocked for the thread and any SIGPIPE it raised is consumed before the mask is restored.
//
// Thread-safety: affects the calling thread only; not copyable.
#pragma once

#include <csignal>

namespace mtasts::probe {

class SigpipeGuard {
 public:
  SigpipeGuard();
  ~SigpipeGuard();
  SigpipeGuard(const SigpipeGuard&) = delete;
  SigpipeGuard& operator=(const SigpipeGuard&) = delete;

 private:
  sigset_t old_mask_;
  bool was_pending_ = false;  // a SIGPIPE pending before us is not ours to consume
};

}  // namespace mtasts::probe
