#include "probe/sigpipe_guard.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

namespace mtasts::probe {
namespace {

// Writes to a socket whose peer is gone, the way OpenSSL does (no MSG_NOSIGNAL).
int WriteToClosedPeer() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return -1;
  close(fds[1]);
  errno = 0;
  ssize_t n = send(fds[0], "x", 1, 0);
  int error = n < 0 ? errno : 0;
  close(fds[0]);
  return error;
}

TEST(SigpipeGuardTest, WriteToClosedPeerIsAnErrorNotADeath) {
  // Without the guard this process would die of SIGPIPE (the default disposition).
  EXPECT_EXIT(
      {
        signal(SIGPIPE, SIG_DFL);
        WriteToClosedPeer();
        _exit(0);
      },
      testing::KilledBySignal(SIGPIPE), "");
  signal(SIGPIPE, SIG_DFL);
  {
    SigpipeGuard guard;
    EXPECT_EQ(WriteToClosedPeer(), EPIPE);
  }
  // The mask is restored and nothing is left pending.
  sigset_t mask, pending;
  pthread_sigmask(SIG_SETMASK, nullptr, &mask);
  sigpending(&pending);
  EXPECT_FALSE(sigismember(&mask, SIGPIPE));
  EXPECT_FALSE(sigismember(&pending, SIGPIPE));
}

}  // namespace
}  // namespace mtasts::probe
