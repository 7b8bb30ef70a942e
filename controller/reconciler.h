// Reconciler: one MtaStsPolicy key in, the world brought one step closer to its spec out. It
// renders the policy, applies the ConfigMap and Certificate, checks that every serve endpoint
// serves the bytes, only then announces their id in the DNSEndpoint, looks at what DNS answers,
// and writes status, conditions and Events. Every decision is a pure function of its own file
// (desired.h, covers.h, domain_claim.h, announce.h, conditions.h, policy_status.h); this file
// only sequences them around the reads and writes.
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
#include "dns/resolver.h"
#include "k8s/client.h"
#include "k8s/event_recorder.h"
#include "k8s/workers.h"

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

// What the reconciler tells the metrics.
struct ReconcilerObserver {
  std::function<void(const std::string& endpoint)> endpoint_not_serving;
  // The end of validity of the certificate an endpoint presented for the policy.
  std::function<void(const Owner& policy, Clock::TimePoint not_after)> certificate_not_after;
};

struct ReconcilerDeps {
  k8s::Client& client;
  ReconcilerCaches caches;
  DomainClaims& claims;
  ServeCheck serve_check;
  dns::Resolver& resolver;
  k8s::EventRecorder& events;
  const Clock& clock;
  DesiredSettings settings;
  ReconcilerObserver observer;
};

class Reconciler {
 public:
  explicit Reconciler(ReconcilerDeps deps) : deps_(std::move(deps)) {}

  k8s::ProcessResult Reconcile(const std::string& key, std::stop_token stop);

 private:
  struct Pass;  // reconciler.cc: the state of one reconcile

  // Server-side applies `desired` unless the cached object already covers it.
  Status ApplyIfChanged(Pass& pass, const k8s::ResourceRef& ref, const k8s::Object& desired,
                        const CacheLookup& cache);
  // An Event for each condition that changed for better or worse, and for a new id.
  void RecordTransitions(const Pass& pass, const std::vector<Condition>& conditions);

  // How long to wait before looking again at a key that waits for the world; grows while the
  // key keeps waiting (1 s doubling to 1 min), so nothing polls hot, and starts over on success.
  std::chrono::nanoseconds NextWait(const std::string& key);
  void ResetWait(const std::string& key);

  ReconcilerDeps deps_;
  std::mutex mu_;
  std::map<std::string, int> waits_;
};

}  // namespace mtasts::controller
