// mta-sts-operator: wiring only. Every decision lives in a file of its own beside this one.
//
// Exit status: 0 after SIGTERM/SIGINT (a graceful stop: leadership released, nothing half
// written), 1 when leadership was lost or the operator could not start (the kubelet restarts it
// and it campaigns afresh), 2 on a usage error.
#include <malloc.h>
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "base/log.h"
#include "base/printable.h"
#include "controller/manager.h"
#include "controller/options.h"

namespace {

constexpr int kExitStopped = 0;
constexpr int kExitFailed = 1;
constexpr int kExitUsage = 2;

}  // namespace

int main(int argc, char** argv) {
  using namespace mtasts;
  const std::vector<std::string> args(argv + 1, argv + argc);
  StatusOr<controller::CommandLine> command =
      controller::ParseOptions(args, controller::PodNamespace());
  if (!command.ok()) {
    std::cerr << "mta-sts-operator: " << Printable(command.status().message()) << "\n";
    return kExitUsage;
  }
  switch (command->action) {
    case controller::CommandLine::Action::kHelp:
      std::cout << controller::UsageText();
      return 0;
    case controller::CommandLine::Action::kVersion:
      std::cout << "mta-sts-operator " << MTASTS_VERSION << "\n";
      return 0;
    case controller::CommandLine::Action::kRun:
      break;
  }

  // Two malloc arenas, not eight per core: the informers, workers and servers each allocate on
  // threads of their own, and with an arena each the freed pages of a cold start stay mapped (at
  // 2,000 policies, one arena kept ~33 MiB less than the default; two spare the threads some
  // contention). MALLOC_ARENA_MAX in the environment still wins.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);

  // Block the stop signals before any thread starts, so only the waiter below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  StatusOr<std::unique_ptr<controller::Manager>> manager =
      controller::Manager::Create(command->options);
  if (!manager.ok()) {
    LogError("cannot start", {{"error", manager.status().ToString()}});
    return kExitFailed;
  }
  std::stop_source stop;
  std::thread([&stop, stop_signals] {
    int received = 0;
    sigwait(&stop_signals, &received);
    LogInfo("stopping", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"}});
    stop.request_stop();
  }).detach();

  // glibc gives freed pages back only from the top of a heap; a cold start or a relist frees the
  // middle. Hand them back every 30 s (a walk of the free lists: milliseconds).
  // Its own stop token: the thread ends when main returns, however Run() ended.
  std::jthread release_memory([](const std::stop_token& token) {
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    while (!cv.wait_for(lock, token, std::chrono::seconds(30),
                        [&token] { return token.stop_requested(); })) {
      malloc_trim(0);
    }
  });

  LogInfo("starting", {{"version", MTASTS_VERSION}});
  const Status result = (*manager)->Run(stop.get_token());
  manager->reset();
  if (!result.ok()) {
    LogError("stopped", {{"error", result.ToString()}});
    return kExitFailed;
  }
  LogInfo("stopped");
  return kExitStopped;
}
