// The process exits cleanly after the Transport has used TLS: OpenSSL's exit-time cleanup must
// not run while cpprest's thread pool still has threads that may be using OpenSSL (that race
// hung a test binary after all its tests had passed). Checked in a child process, from a hook
// that OpenSSL runs during its cleanup: by then the pool must have joined its threads.
#include <dirent.h>
#include <gtest/gtest.h>
#include <openssl/crypto.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>

#include "k8s/transport.h"

namespace mtasts::k8s {
namespace {

constexpr int kThreadsAliveAtOpenSslCleanup = 3;

int ThreadCount() {
  DIR* tasks = opendir("/proc/self/task");
  if (tasks == nullptr) return -1;
  int n = 0;
  while (dirent* entry = readdir(tasks)) n += entry->d_name[0] != '.';
  closedir(tasks);
  return n;
}

// Runs inside exit(), so it may only leave through _exit.
void FailIfOtherThreadsRemain() {
  if (ThreadCount() != 1) _exit(kThreadsAliveAtOpenSslCleanup);
}

void UseTlsThenExit() {
  Config config;
  config.server = "https://127.0.0.1:1";  // nothing listens: the request fails fast
  config.source = "test";
  auto transport = Transport::New(config, std::chrono::seconds(5), "transport-exit-test");
  if (!transport.ok()) std::exit(2);
  // A TLS client connection is set up (so OpenSSL is initialised) before the connect fails.
  if ((*transport)->Send("GET", "/version").ok()) std::exit(2);
  transport->reset();
  OPENSSL_atexit(FailIfOtherThreadsRemain);
  std::exit(0);
}

TEST(TransportExitTest, OpenSslIsCleanedUpOnlyAfterThePoolThreadsHaveEnded) {
  ::testing::GTEST_FLAG(death_test_style) = "threadsafe";
  EXPECT_EXIT(UseTlsThenExit(), ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace mtasts::k8s
