// lease_contender: one candidate in a leader election over a real API server, for the lease
// handover tests. It campaigns for a Lease and prints one line per change of leadership:
//
//   <unix time in ms> leading
//   <unix time in ms> write          (with --write-configmap: as each write begins)
//   <unix time in ms> stopped
//   <unix time in ms> exit ok|lost: <why>
//
// With --write-configmap NAME it also reconciles while leading, as the operator does: a worker
// applies ConfigMap NAME (data.writer = its identity) every --write-every-ms, checking its
// cancellation token before each write.
//
// SIGTERM or SIGINT stop it gracefully (the lease is released). Exit status: 0 after a requested
// stop, 1 when leadership was lost, 2 on a usage or setup error.
//
//   lease_contender --identity ID --lease NAME [--namespace NS] [--server URL]
//                   [--lease-duration-ms N] [--renew-deadline-ms N] [--retry-period-ms N]
//                   [--write-configmap NAME] [--write-every-ms N]
//
// The kubeconfig comes from $KUBECONFIG; --server overrides its server URL for the lease's
// requests only (to reach the API server through a relay the test can cut), so that a cut-off
// leader's writes still go through and only the cancellation of its work stops them.
#include <signal.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "k8s/config.h"
#include "k8s/leader_elector.h"
#include "k8s/rest_client.h"
#include "k8s/workers.h"

namespace {

using namespace mtasts;

void Say(const std::string& what) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  std::printf("%lld %s\n", static_cast<long long>(ms), what.c_str());
  std::fflush(stdout);
}

int Usage(const std::string& problem) {
  std::fprintf(stderr,
               "lease_contender: %s\nusage: lease_contender --identity ID --lease NAME "
               "[--namespace NS] [--server URL] [--lease-duration-ms N] [--renew-deadline-ms N] "
               "[--retry-period-ms N] [--write-configmap NAME] [--write-every-ms N]\n",
               problem.c_str());
  return 2;
}

// Applies the ConfigMap again and again until cancelled: a reconcile that never ends by itself.
k8s::ProcessResult WriteUntilCancelled(k8s::Client& client, const std::string& ns,
                                       const std::string& name, const std::string& identity,
                                       std::chrono::milliseconds every, std::stop_token cancel) {
  k8s::Object config_map = {{"metadata", {{"namespace", ns}, {"name", name}}},
                            {"data", {{"writer", identity}}}};
  std::mutex mu;
  std::condition_variable_any wake;
  while (!cancel.stop_requested()) {
    Say("write");
    auto written = client.Apply(k8s::ConfigMaps(), config_map, {"lease-contender", true});
    if (!written.ok()) std::fprintf(stderr, "write: %s\n", written.status().ToString().c_str());
    std::unique_lock lock(mu);
    wake.wait_for(lock, cancel, every, [] { return false; });
  }
  return k8s::ProcessResult::Failed(CancelledError("leadership lost"));
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags = {{"--namespace", "default"}};
  for (int i = 1; i < argc; i += 2) {
    if (i + 1 >= argc) return Usage(std::string("flag ") + argv[i] + " needs a value");
    flags[argv[i]] = argv[i + 1];
  }
  for (const char* required : {"--identity", "--lease"}) {
    if (flags[required].empty()) return Usage(std::string(required) + " is required");
  }
  auto millis = [&](const char* flag, int fallback) {
    auto it = flags.find(flag);
    return std::chrono::milliseconds(it == flags.end() ? fallback : std::atoi(it->second.c_str()));
  };

  // Block the stop signals before any thread starts, so only the waiter below receives them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  StatusOr<k8s::Config> config = k8s::LoadDefaultConfig();
  if (!config.ok()) return Usage(config.status().ToString());
  StatusOr<std::unique_ptr<k8s::Client>> client = k8s::NewRestClient(*config);
  if (!client.ok()) return Usage(client.status().ToString());

  k8s::LeaderElectionConfig election{flags["--namespace"], flags["--lease"], flags["--identity"]};
  election.lease_duration = millis("--lease-duration-ms", 15000);
  election.renew_deadline = millis("--renew-deadline-ms", 10000);
  election.retry_period = millis("--retry-period-ms", 2000);
  // While leading, the writer (if asked for) runs on workers that follow the leadership token.
  // They are not joined when leadership ends: a write in flight may hang on a cut connection.
  std::string write_name = flags["--write-configmap"];
  auto write_every = millis("--write-every-ms", 500);
  k8s::WorkQueue queue;
  k8s::Workers workers(queue, [&](const std::string&, std::stop_token cancel) {
    return WriteUntilCancelled(**client, flags["--namespace"], write_name, flags["--identity"],
                               write_every, cancel);
  });
  k8s::LeaderCallbacks callbacks{[&](std::stop_token leadership) {
                                   Say("leading");
                                   if (write_name.empty()) return;
                                   queue.Add(write_name);
                                   workers.Start(1, leadership);
                                 },
                                 [] { Say("stopped"); }};
  // The lease gets a client of its own whose requests end within half the renew deadline, so a
  // renewal attempt (a PUT, or a GET and a PUT) ends within the deadline.
  k8s::RestOptions lease_options;
  lease_options.request_timeout =
      std::max(std::chrono::seconds(1),
               std::chrono::duration_cast<std::chrono::seconds>(election.renew_deadline / 2));
  if (flags.count("--server") != 0) config->server = flags["--server"];
  auto lease_client = k8s::NewRestClient(*config, lease_options);
  if (!lease_client.ok()) return Usage(lease_client.status().ToString());
  auto elector = k8s::LeaderElector::Create(**lease_client, election, std::move(callbacks));
  if (!elector.ok()) return Usage(elector.status().ToString());

  std::stop_source stop;
  std::thread([&stop, stop_signals] {
    int signal = 0;
    sigwait(&stop_signals, &signal);
    stop.request_stop();
  }).detach();

  Status result = (*elector)->Run(stop.get_token());
  Say(result.ok() ? "exit ok" : "exit lost: " + result.message());
  std::_Exit(result.ok() ? 0 : 1);  // the signal thread is still waiting: do not join it
}
