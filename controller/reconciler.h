// Reconciler: one MtaStsPolicy key in, the world brought one step closer to its spec out. The
// rollout machine (rollout_machine.h) chooses the mode to serve; the reconciler renders the
// policy, applies the ConfigMap and Certificate, checks that every serve endpoint serves the
// bytes, only then announces their id in the DNSEndpoint, looks at what DNS answers, runs the
// enforce gates when the machine asks, and writes status, conditions and Events. A deleted
// policy is held by a finalizer until the machine releases it; then the DNS records go first,
// the policy and its certificate after. Every decision is a pure function of its own file
// (rollout_machine.h, desired.h, covers.h, domain_claim.h, announce.h, conditions.h,
// policy_status.h); this file only sequences them around the reads and writes.
//
// Writes happen only when something differs: an object already covering its desired fields is
// not applied, and a status equal to the observed one is not written. Reads come from informer
// caches. Leader only; thread-safe for different keys (Workers never hand out one key twice).
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>

#include "base/clock.h"
#include "controller/announce.h"
#include "controller/conditions.h"
#include "controller/desired.h"
#include "controller/domain_claim.h"
#include "controller/report_intake.h"
#include "controller/rollout_gates.h"
#include "controller/rollout_machine.h"
#include "dns/resolver.h"
#include "k8s/client.h"
#include "k8s/event_recorder.h"
#include "k8s/workers.h"
#include "validate/evaluate.h"

namespace mtasts::controller {

// A read of one cached object by "namespace/name".
using CacheLookup = std::function<std::optional<k8s::Object>(const std::string& key)>;

struct ReconcilerCaches {
  CacheLookup policy;
  CacheLookup config_map;
  CacheLookup certificate;
  CacheLookup dns_endpoint;
};

// Fetches the policy from every serve endpoint (ServeChecker::Check in production).
using ServeCheck =
    std::function<std::vector<EndpointResult>(const std::string& domain, const std::string& bytes)>;

// Runs the checks of `mtasts check` against the live domain (LiveChecker::Check in production);
// `min_cert_validity` is rollout.minCertValidity.
using LiveCheck = std::function<validate::Report(const std::string& domain,
                                                 std::chrono::seconds min_cert_validity)>;

// What the reconciler tells the metrics.
struct ReconcilerObserver {
  std::function<void(const std::string& endpoint)> endpoint_not_serving;
  // The end of validity of the certificate an endpoint presented for the policy.
  std::function<void(const Owner& policy, Clock::TimePoint not_after)> certificate_not_after;
  // One run of the enforce gates: whether every gate passed, and how long it took.
  std::function<void(bool passed, std::chrono::duration<double> took)> gate_run;
  // The sessions the reports of the policy's window count (tlsRpt.ingest only).
  std::function<void(const Owner& policy, const tlsrpt::DomainTally& window)> report_window;
};

struct ReconcilerDeps {
  k8s::Client& client;
  ReconcilerCaches caches;
  DomainClaims& claims;
  ServeCheck serve_check;
  LiveCheck live_check;
  dns::Resolver& resolver;
  k8s::EventRecorder& events;
  const Clock& clock;
  DesiredSettings settings;
  ReconcilerObserver observer;
  std::chrono::seconds revalidate_interval{3600};  // --revalidate-interval
  // The TLS-RPT intake whose windows gate 6 judges for policies with tlsRpt.ingest; nullptr: no
  // intake runs, and the gate holds nothing.
  const ReportIntake* reports = nullptr;
};

class Reconciler {
 public:
  explicit Reconciler(ReconcilerDeps deps) : deps_(std::move(deps)) {}

  k8s::ProcessResult Reconcile(const std::string& key, std::stop_token stop);

 private:
  struct Pass;  // reconciler.cc: the state of one reconcile

  // Writes the status `pass` arrived at (when it differs) and its Events, then returns `result`.
  k8s::ProcessResult Finish(Pass& pass, k8s::ProcessResult result);
  // Waiting for the world (a certificate, an endpoint, DNS): look again later.
  k8s::ProcessResult Wait(Pass& pass);
  // Removes the DNS records, waits until DNS stops answering the id last announced for `domain`
  // ("" when this policy never announced one), removes the ConfigMap, Certificate and Secret,
  // then the finalizer.
  k8s::ProcessResult Release(Pass& pass, const std::string& domain);
  // Adds or removes kRemovalFinalizer (server-side apply: only this field manager's entry).
  Status SetFinalizer(const Pass& pass, bool present);
  // Server-side applies `desired` unless the cached object already covers it.
  Status ApplyIfChanged(Pass& pass, const k8s::ResourceRef& ref, const k8s::Object& desired,
                        const CacheLookup& cache);
  // An Event for each condition that changed for better or worse, and for a new id.
  void RecordTransitions(const Pass& pass, const std::vector<Condition>& conditions);

  // The latest gate run of this process for a key: a restart forgets them (status keeps the
  // result), and so does a policy gone.
  std::optional<GateRun> LastGateRun(const std::string& key);
  void KeepGateRun(const std::string& key, GateRun run);
  RolloutSettings SettingsFor(const std::string& key) const;
  void Forget(const std::string& key);

  // How long to wait before looking again at a key that waits for the world: as long again as it
  // has waited so far (1 s to 64 s), so nothing polls hot, and starts over on success. Counted in
  // time, not in passes: events (its own status writes, its objects changing) bring a waiting
  // key back often, and a count of passes would push its next look far past the moment DNS
  // catches up.
  std::chrono::nanoseconds NextWait(const std::string& key);
  void ResetWait(const std::string& key);

  ReconcilerDeps deps_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> waiting_since_;
  std::map<std::string, GateRun> gate_runs_;
};

}  // namespace mtasts::controller
