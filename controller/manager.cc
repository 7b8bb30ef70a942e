#include "controller/manager.h"

#include <unistd.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <random>
#include <thread>

#include "base/log.h"
#include "controller/covers.h"
#include "controller/domain_claim.h"
#include "controller/health.h"
#include "controller/informer_set.h"
#include "controller/live_check.h"
#include "controller/names.h"
#include "controller/operator_metrics.h"
#include "controller/policy_mode_counts.h"
#include "controller/reconciler.h"
#include "controller/report_store.h"
#include "controller/resources.h"
#include "controller/serve_check.h"
#include "controller/serve_endpoints.h"
#include "controller/service_hostname.h"
#include "controller/syncer.h"
#include "dns/ares_resolver.h"
#include "http/metrics.h"
#include "http/server.h"
#include "k8s/api_event_recorder.h"
#include "k8s/leader_elector.h"
#include "k8s/rest_client.h"
#include "k8s/workers.h"

namespace mtasts::controller {
namespace {

using k8s::Object;

// "<hostname>_<random>": unique per process, readable in the Lease.
std::string Identity() {
  char host[256] = {};
  gethostname(host, sizeof(host) - 1);
  std::random_device random;
  return std::string(host) + "_" + std::to_string(random() % 1000000);
}

// The policy an owned object belongs to, from the annotation the operator puts on it.
std::string OwnerKey(const Object& object) {
  const Object& metadata = object.value("metadata", Object::object());
  const Object& annotations = metadata.value("annotations", Object::object());
  const auto it = annotations.find(std::string(kPolicyKeyAnnotation));
  return it != annotations.end() && it->is_string() ? it->get<std::string>() : "";
}

// What starts a reconcile: anything but a status-only change of the policy (the operator's own
// status writes would otherwise make a second, idle pass of every reconcile).
bool SpecOrMetadataChanged(const Object& before, const Object& after) {
  const Object& b = before.value("metadata", Object::object());
  const Object& a = after.value("metadata", Object::object());
  return b.value("generation", 0) != a.value("generation", 0) ||
         b.value("labels", Object()) != a.value("labels", Object()) ||
         b.value("annotations", Object()) != a.value("annotations", Object()) ||
         b.contains("deletionTimestamp") != a.contains("deletionTimestamp");
}

k8s::InformerOptions Scoped(std::string ns, std::string label_selector) {
  k8s::InformerOptions options;
  options.ns = std::move(ns);
  options.label_selector = std::move(label_selector);
  return options;
}

k8s::InformerOptions Selecting(std::string label_selector) {
  return Scoped("", std::move(label_selector));
}

class OperatorManager final : public Manager {
 public:
  OperatorManager(const Options& options, std::unique_ptr<k8s::Client> client,
                  std::unique_ptr<k8s::Client> lease_client,
                  std::unique_ptr<dns::Resolver> resolver,
                  std::shared_ptr<const probe::TlsClient> tls)
      : options_(options),
        identity_(Identity()),
        client_(std::move(client)),
        lease_client_(std::move(lease_client)),
        resolver_(std::move(resolver)),
        events_(*client_, {.reporting_instance = identity_}),
        serve_checker_(
            *resolver_, tls, [endpoints = options.serve_endpoints] { return endpoints; },
            std::chrono::seconds(5)),
        live_checker_(*resolver_, tls, RealClock::Get(),
                      {.https_port = options.https_port,
                       .smtp_port = options.smtp_port,
                       .allow_private_addresses = options.allow_private_addresses}),
        policies_(*client_, MtaStsPolicies(), options.namespaces, Selecting(options.selector),
                  PolicyHandlers()),
        config_maps_(*client_, k8s::ConfigMaps(), options.namespaces,
                     Selecting(ContentSelector(kContentPolicy)), OwnedHandlers()),
        certificates_(*client_, Certificates(), options.namespaces, Selecting(ManagedSelector()),
                      OwnedHandlers()),
        dns_endpoints_(*client_, DnsEndpoints(), options.namespaces, Selecting(ManagedSelector()),
                       OwnedHandlers()),
        reconciler_(ReconcilerDeps{
            .client = *client_,
            .caches = {.policy = [this](const std::string& k) { return policies_.Get(k); },
                       .config_map = [this](const std::string& k) { return config_maps_.Get(k); },
                       .certificate = [this](const std::string& k) { return certificates_.Get(k); },
                       .dns_endpoint =
                           [this](const std::string& k) { return dns_endpoints_.Get(k); }},
            .claims = claims_,
            .serve_check =
                [this](const std::string& domain, const std::string& bytes) {
                  return serve_checker_.Check(domain, bytes);
                },
            .live_check =
                [this](const std::string& domain, std::chrono::seconds min_cert_validity) {
                  return live_checker_.Check(domain, min_cert_validity);
                },
            .resolver = *resolver_,
            .events = events_,
            .clock = RealClock::Get(),
            .settings = {.default_issuer = options.default_issuer,
                         .policy_host_targets = options.policy_host_targets,
                         .txt_quoting = options.dns_txt_quoting,
                         .report_path = options.report_bind_address.empty() ? std::string()
                                                                            : options.report_path},
            .observer = {.endpoint_not_serving =
                             [this](const std::string& endpoint) {
                               metrics_.CountVerificationFailure(endpoint);
                             },
                         .certificate_not_after =
                             [this](const Owner& policy, Clock::TimePoint not_after) {
                               metrics_.SetCertificateExpiry(policy.namespace_, policy.name,
                                                             not_after, RealClock::Get().Now());
                             },
                         .gate_run =
                             [this](bool passed, std::chrono::duration<double> took) {
                               metrics_.RecordGateRun(passed, took);
                             },
                         .report_window =
                             [this](const Owner& policy, const tlsrpt::DomainTally& window) {
                               metrics_.SetReportWindow(policy.namespace_, policy.name, window);
                             }},
            .revalidate_interval = options.revalidate_interval,
            .reports = options.report_bind_address.empty() ? nullptr : &intake_}),
        workers_(queue_, [this](const std::string& key,
                                std::stop_token stop) { return Measured(key, stop); }),
        metrics_(registry_, MTASTS_VERSION),
        metrics_server_(options.metrics_bind_address),
        health_server_(options.health_probe_bind_address) {
    metrics_.ReadWorkqueueDepthFrom([this] { return static_cast<double>(queue_.Len()); });
    registry_.BeforeRender([this] { CountPoliciesByMode(); });
    AddMetricsRoute(metrics_server_, registry_);
    // One address for both: one server answers both.
    http::Server& health = SharedAddress() ? metrics_server_ : health_server_;
    AddHealthRoutes(
        health, [this] { return Ready(); },
        "the caches or the serve directory have not finished their first sync");
    if (!options.report_bind_address.empty()) {
      report_windows_ = std::make_unique<InformerSet>(
          *client_, k8s::ConfigMaps(), options.namespaces,
          Selecting(ContentSelector(kContentReports)), report_store_.Handlers());
      report_server_ = std::make_unique<http::Server>(options.report_bind_address);
      report_server_->Handle(
          "POST", options.report_path,
          [this](const http::Request& request) {
            // Until the policies and the stored windows are read, a report could be neither
            // placed nor told from a repeat: the sender retries later (RFC 8460 section 5.3).
            http::Response response =
                policies_.HasSynced() && report_windows_->HasSynced()
                    ? intake_.Post(request)
                    : http::Response::Text(503,
                                           "starting: the policies are not read yet; retry later");
            metrics_.CountReportPost(response.status);
            return response;
          },
          kMaxReportPostBytes);
    }
    if (options.serve_endpoints.empty() && options.serve_service) {
      endpoint_slices_ = std::make_unique<k8s::Informer>(
          *client_, EndpointSlices(),
          Scoped(options.serve_service->ns, EndpointSliceSelector(options.serve_service->name)),
          k8s::InformerHandlers{});
    }
    if (!options.serve_dir.empty()) {
      SyncerOptions syncer_options;
      syncer_options.serve_dir = options.serve_dir;
      syncer_options.namespaces = options.namespaces;
      // A file written or removed: look at that policy at once (served → announced, no polling).
      syncer_ = std::make_unique<Syncer>(*client_, std::move(syncer_options),
                                         [this](const std::string& key) { queue_.Add(key); });
    }
  }

  Status Run(std::stop_token stop) override {
    if (Status s = metrics_server_.Start(); !s.ok()) return s;
    if (!SharedAddress()) {
      if (Status s = health_server_.Start(); !s.ok()) return s;
    }
    if (report_server_) {
      if (Status s = report_server_->Start(); !s.ok()) return s;
      report_windows_->Start();
      report_flusher_ = std::jthread([this](std::stop_token stop) { StoreReports(stop); });
    }
    if (syncer_) {
      if (Status s = syncer_->Start(); !s.ok()) return s;
    }
    for (InformerSet* set : {&policies_, &config_maps_, &certificates_, &dns_endpoints_}) {
      set->Start();
    }
    if (endpoint_slices_) endpoint_slices_->Start();
    Status result = options_.leader_elect ? Campaign(stop) : Lead(stop);
    Shutdown();
    return result;
  }

 private:
  static std::string ManagedSelector() {
    return std::string(kManagedByLabel) + "=" + std::string(kManagedByValue);
  }

  // One reconcile, timed and counted for the metrics.
  k8s::ProcessResult Measured(const std::string& key, std::stop_token stop) {
    const auto start = std::chrono::steady_clock::now();
    k8s::ProcessResult result =
        key == kServiceKey ? ApplyServiceHostnames(stop) : reconciler_.Reconcile(key, stop);
    ReconcileResult outcome = ReconcileResult::kSuccess;
    if (!result.status.ok()) {
      const StatusCode code = result.status.code();
      outcome = code == StatusCode::kAborted || code == StatusCode::kOwnershipConflict
                    ? ReconcileResult::kConflict
                    : ReconcileResult::kError;
    } else if (result.requeue_after) {
      outcome = ReconcileResult::kRequeue;
    }
    metrics_.RecordReconcile(outcome, std::chrono::steady_clock::now() - start);
    return result;
  }

  // policies{effective_mode}, from the counts the policy informer's callbacks keep.
  void CountPoliciesByMode() {
    for (policy::Mode mode :
         {policy::Mode::kNone, policy::Mode::kTesting, policy::Mode::kEnforce}) {
      metrics_.SetPolicies(policy::ModeName(mode), mode_counts_.Count(mode));
    }
  }

  bool SharedAddress() const {
    return options_.metrics_bind_address == options_.health_probe_bind_address;
  }

  bool Ready() const { return policies_.HasSynced() && (!syncer_ || syncer_->Ready()); }

  // The queue key of the serve Service's hostname annotation (a policy key always has a '/').
  static constexpr char kServiceKey[] = "service-hostnames";

  bool PublishesHostsThroughService() const {
    return options_.serve_service && options_.policy_host_targets.empty();
  }

  // Keeps external-dns's hostname annotation on the serve Service listing every policy host.
  k8s::ProcessResult ApplyServiceHostnames(std::stop_token stop) {
    const ServiceRef& service = *options_.serve_service;
    const Object desired = DesiredServiceHostnames(service.ns, service.name,
                                                   options_.annotation_prefix, claims_.Domains());
    StatusOr<Object> observed = client_->Get(Services(), service.ns, service.name);
    if (observed.ok() && Covers(*observed, desired)) return k8s::ProcessResult::Done();
    if (stop.stop_requested()) return k8s::ProcessResult::Failed(CancelledError("stopping"));
    StatusOr<Object> applied =
        client_->Apply(Services(), desired, {std::string(kFieldManager), /*force=*/false});
    return applied.ok() ? k8s::ProcessResult::Done() : k8s::ProcessResult::Failed(applied.status());
  }

  // The policy that claims domain.
  std::optional<Owner> OwnerOf(std::string_view domain) const {
    const std::string key = claims_.Holder(std::string(domain));
    std::optional<Object> policy = key.empty() ? std::nullopt : policies_.Get(key);
    if (!policy) return std::nullopt;
    return Owner::Of(*policy);
  }

  // --serve-endpoint, else the ready addresses of --serve-service.
  std::vector<std::string> ServeEndpoints() const {
    if (!endpoint_slices_) return options_.serve_endpoints;
    return ReadyEndpoints(endpoint_slices_->List());
  }

  k8s::InformerHandlers PolicyHandlers() {
    return {.on_add =
                [this](const Object& o) {
                  mode_counts_.Added(o);
                  OnPolicy(o);
                },
            .on_update =
                [this](const Object& before, const Object& after) {
                  mode_counts_.Updated(before, after);
                  if (SpecOrMetadataChanged(before, after)) OnPolicy(after);
                },
            .on_delete =
                [this](const Object& o) {
                  mode_counts_.Deleted(o);
                  const std::string key = KeyOf(o);
                  const std::string domain = claims_.DomainOf(key);
                  claims_.Remove(key);
                  queue_.Add(key);
                  for (const std::string& other : claims_.Claimants(domain)) queue_.Add(other);
                }};
  }

  // Records the policy's claim on its domain and queues every policy claiming it (or the domain
  // it claimed before), so a policy that loses or gains the domain hears of it.
  void OnPolicy(const Object& policy) {
    const std::string key = KeyOf(policy);
    const std::string before = claims_.DomainOf(key);
    const std::string domain = policy.value("spec", Object::object()).value("domain", "");
    claims_.Set(domain, {key, policy.at("metadata").value("creationTimestamp", "")});
    queue_.Add(key);
    if (PublishesHostsThroughService() && before != domain) queue_.Add(kServiceKey);
    for (const std::string& d : {before, domain}) {
      if (d.empty()) continue;
      for (const std::string& other : claims_.Claimants(d)) queue_.Add(other);
    }
  }

  k8s::InformerHandlers OwnedHandlers() {
    auto enqueue_owner = [this](const Object& o) {
      if (std::string key = OwnerKey(o); !key.empty()) queue_.Add(key);
    };
    return {.on_add = enqueue_owner,
            .on_update = [enqueue_owner](const Object&, const Object& o) { enqueue_owner(o); },
            .on_delete = enqueue_owner};
  }

  Status Campaign(std::stop_token stop) {
    k8s::LeaderElectionConfig election{options_.leader_election_namespace,
                                       options_.leader_election_id, identity_};
    auto elector =
        k8s::LeaderElector::Create(*lease_client_, election,
                                   {.on_started_leading =
                                        [this](std::stop_token leadership) {
                                          LogInfo("leading", {{"identity", identity_}});
                                          StartWorkers(leadership);
                                        },
                                    .on_stopped_leading =
                                        [this] {
                                          LogInfo("stopped leading", {{"identity", identity_}});
                                        }});
    if (!elector.ok()) return elector.status();
    return (*elector)->Run(stop);
  }

  Status Lead(std::stop_token stop) {
    StartWorkers(stop);
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    cv.wait(lock, stop, [] { return false; });
    return OkStatus();
  }

  // Starts the workers once the caches are synced (waiting at most 30 s), so a restarted leader
  // compares with what exists instead of writing it all again; a cache whose CRD is missing
  // never syncs and is not waited for long. Then (at most 5 min) until this replica's syncer has
  // written what exists: a new pod starts with an empty serve directory, and checking its own
  // endpoint before that would turn every policy to not served and back, two status writes and
  // their Events each. The wait runs on a thread of its own: the elector's callback must return
  // at once, or the lease goes unrenewed.
  void StartWorkers(std::stop_token leadership) {
    starter_ = std::thread([this, leadership] {
      WaitUntil(leadership, std::chrono::seconds(30), [this] {
        return policies_.HasSynced() && config_maps_.HasSynced() && certificates_.HasSynced() &&
               dns_endpoints_.HasSynced() && (!report_windows_ || report_windows_->HasSynced());
      });
      WaitUntil(leadership, std::chrono::minutes(5),
                [this] { return !syncer_ || syncer_->Ready(); });
      workers_.Start(options_.workers, leadership);
    });
  }

  static void WaitUntil(const std::stop_token& stop, std::chrono::seconds at_most,
                        const std::function<bool()>& done) {
    const auto give_up = std::chrono::steady_clock::now() + at_most;
    while (!stop.stop_requested() && std::chrono::steady_clock::now() < give_up && !done()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }

  // Every flush interval, the report counts received here go to their ConfigMaps.
  void StoreReports(std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock lock(mu);
    while (!stop.stop_requested()) {
      cv.wait_for(lock, stop, options_.report_flush_interval, [] { return false; });
      if (!stop.stop_requested()) report_store_.Flush(stop);
    }
  }

  void Shutdown() {
    if (starter_.joinable()) starter_.join();
    if (report_server_) {
      // No more reports, then what was received is stored before the process ends.
      report_server_->Stop();
      report_flusher_ = {};
      const int writes = report_store_.Flush({});
      LogInfo("TLS report windows stored", {{"writes", std::to_string(writes)}});
      report_windows_->Stop();
    }
    workers_.Stop(k8s::Drain::kNo);
    for (InformerSet* set : {&policies_, &config_maps_, &certificates_, &dns_endpoints_}) {
      set->Stop();
    }
    if (endpoint_slices_) endpoint_slices_->Stop();
    if (syncer_) syncer_->Stop();
    for (http::Server* server : {&metrics_server_, &health_server_}) server->Stop();
  }

  const Options options_;
  const std::string identity_;
  std::unique_ptr<k8s::Client> client_;
  std::unique_ptr<k8s::Client> lease_client_;
  std::unique_ptr<dns::Resolver> resolver_;
  k8s::ApiEventRecorder events_;
  ServeChecker serve_checker_;
  LiveChecker live_checker_;
  DomainClaims claims_;
  // Reports are counted for the domains a policy claims: the windows kept are bounded by them.
  // A changed window: its policy is looked at again (gate 6, status.reports).
  ReportIntake intake_{
      RealClock::Get(),
      [this](std::string_view domain) { return !claims_.Holder(std::string(domain)).empty(); },
      [this](std::string_view domain) {
        if (std::string key = claims_.Holder(std::string(domain)); !key.empty()) queue_.Add(key);
      }};
  ReportStore report_store_{*client_, intake_,
                            [this](std::string_view domain) { return OwnerOf(domain); }};
  PolicyModeCounts mode_counts_;
  k8s::WorkQueue queue_;
  InformerSet policies_;
  InformerSet config_maps_;
  InformerSet certificates_;
  InformerSet dns_endpoints_;
  std::unique_ptr<k8s::Informer> endpoint_slices_;
  std::unique_ptr<Syncer> syncer_;
  std::thread starter_;  // StartWorkers' wait for the caches
  Reconciler reconciler_;
  k8s::Workers workers_;
  http::Registry registry_;
  OperatorMetrics metrics_;
  http::Server metrics_server_;
  http::Server health_server_;
  // With --report-bind-address: the intake, the cache of the stored windows, and their writer.
  std::unique_ptr<http::Server> report_server_;
  std::unique_ptr<InformerSet> report_windows_;
  std::jthread report_flusher_;
};

}  // namespace

StatusOr<std::unique_ptr<Manager>> Manager::Create(const Options& options) {
  StatusOr<k8s::Config> config = k8s::LoadDefaultConfig(options.kubeconfig);
  if (!config.ok()) return config.status();
  StatusOr<std::unique_ptr<k8s::Client>> client = k8s::NewRestClient(*config);
  if (!client.ok()) return client.status();
  // The lease has a client of its own whose requests end within half the renew deadline, so
  // every renewal attempt ends within the deadline (leader_elector.h).
  k8s::RestOptions lease_options;
  lease_options.request_timeout = std::chrono::seconds(5);
  StatusOr<std::unique_ptr<k8s::Client>> lease_client = k8s::NewRestClient(*config, lease_options);
  if (!lease_client.ok()) return lease_client.status();
  dns::ResolverOptions dns_options;
  dns_options.servers = options.dns_servers;
  StatusOr<std::unique_ptr<dns::AresResolver>> resolver = dns::AresResolver::Create(dns_options);
  if (!resolver.ok()) {
    return InvalidArgumentError("--dns-server: " + resolver.status().message());
  }
  StatusOr<std::shared_ptr<const probe::TlsClient>> tls =
      probe::TlsClient::Create({options.ca_file});
  if (!tls.ok()) return InvalidArgumentError("--ca-file: " + tls.status().message());
  return std::unique_ptr<Manager>(new OperatorManager(options, std::move(*client),
                                                      std::move(*lease_client),
                                                      std::move(*resolver), std::move(*tls)));
}

}  // namespace mtasts::controller
