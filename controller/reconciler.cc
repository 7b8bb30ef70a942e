#include "controller/reconciler.h"

#include <algorithm>

#include "base/json_text.h"
#include "base/log.h"
#include "base/printable.h"
#include "controller/certificate_validity.h"
#include "controller/conditions.h"
#include "controller/covers.h"
#include "controller/names.h"
#include "controller/policy_status.h"
#include "controller/report_gate.h"
#include "controller/resources.h"
#include "controller/rollout_status.h"
#include "policy/policy_id.h"
#include "policy/sts_record.h"
#include "spec/load.h"
#include "spec/serve.h"

namespace mtasts::controller {
namespace {

using k8s::Object;
using k8s::ProcessResult;

std::string StatusText(const Object& status, const char* key) {
  const auto it = status.find(key);
  return it != status.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<std::string> NonEmpty(std::string s) {
  return s.empty() ? std::nullopt : std::optional<std::string>(std::move(s));
}

// A write that failed, as the condition of the stage that made it: only a person can fix a
// missing CRD, a field another manager owns, RBAC or a rejected object; the rest is retried.
Verdict WriteFailure(const Status& status, const k8s::ResourceRef& ref, const std::string& name) {
  const std::string what = ref.kind + " " + name;
  const std::string message = Printable(status.message());
  switch (status.code()) {
    case StatusCode::kNotFound:
      return {false, ref.kind + "CRDMissing",
              "the " + ref.kind + " CRD (" + ref.resource + "." + ref.group + "/" + ref.version +
                  ") is not installed: install " +
                  (ref.group == "cert-manager.io" ? "cert-manager" : "external-dns") +
                  "'s CRDs; retrying",
              true};
    case StatusCode::kOwnershipConflict:
      return {false, "OwnershipConflict",
              what + ": another field manager owns a field the operator sets (" + message +
                  "); remove that manager's fields or delete the object",
              true};
    case StatusCode::kPermissionDenied:
      return {false, "Forbidden",
              what + ": " + message + "; grant the operator's ServiceAccount this access", true};
    case StatusCode::kInvalidArgument:
      return {false, "Rejected", what + " was rejected: " + message, true};
    default:
      return {false, "WriteFailed", what + ": " + message + "; retrying", false};
  }
}

bool IsConditionTrue(const Object& conditions, const std::string& type) {
  if (!conditions.is_array()) return false;
  for (const Object& c : conditions) {
    if (c.is_object() && c.value("type", "") == type) return c.value("status", "") == "True";
  }
  return false;
}

std::string ConditionMessage(const Object& conditions, const std::string& type) {
  if (!conditions.is_array()) return "";
  for (const Object& c : conditions) {
    if (c.is_object() && c.value("type", "") == type) {
      return c.value("reason", "") + ": " + c.value("message", "");
    }
  }
  return "";
}

bool HasFinalizer(const Object& metadata) {
  const Object& finalizers = metadata.value("finalizers", Object::array());
  return finalizers.is_array() &&
         std::find(finalizers.begin(), finalizers.end(), kRemovalFinalizer) != finalizers.end();
}

std::optional<std::string> AnnotationOf(const Object& metadata, std::string_view name) {
  const Object& annotations = metadata.value("annotations", Object::object());
  const auto it = annotations.find(std::string(name));
  if (it == annotations.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

// The conditions the rollout machine decides tell their changes in its own Events.
bool ToldByTheMachine(const std::string& type) {
  return type == kEnforced || type == kValidated || type == kDegraded;
}

}  // namespace

// The state one reconcile builds up as it goes.
struct Reconciler::Pass {
  const std::string& key;
  std::stop_token stop;
  Object policy;
  Owner owner;
  int64_t generation = 0;
  Object observed_status;
  Progress progress;
  std::optional<Announcement> announced;
  std::optional<Decision> rollout;   // the machine's latest decision, once it was asked
  std::vector<RolloutEvent> events;  // every decision's Events, recorded with the status
  std::optional<Object> reports;     // status.reports, when the policy ingests reports
};

ProcessResult Reconciler::Reconcile(const std::string& key, std::stop_token stop) {
  std::optional<Object> policy = deps_.caches.policy(key);
  if (!policy) {
    Forget(key);  // gone: the finalizer was released, or it never held anything
    return ProcessResult::Done();
  }
  const Object& metadata = policy->at("metadata");
  const bool deleting = metadata.contains("deletionTimestamp");
  const bool finalized = HasFinalizer(metadata);
  if (deleting && !finalized) return ProcessResult::Done();  // nothing of this operator's left
  Pass pass{.key = key,
            .stop = stop,
            .policy = *policy,
            .owner = Owner::Of(*policy),
            .generation = metadata.value("generation", int64_t{0}),
            .observed_status = policy->value("status", Object::object()),
            .progress = {},
            .announced = std::nullopt,
            .rollout = std::nullopt,
            .events = {},
            .reports = std::nullopt};
  pass.progress.effective_mode = StatusText(pass.observed_status, "effectiveMode");
  pass.progress.target_mode = policy->value("spec", Object::object()).value("mode", "");

  // Blocked until a person acts (or retried slowly, for a CRD that may yet be installed).
  auto blocked = [&](Verdict v, bool retry) {
    pass.progress.blocked = std::move(v);
    if (!retry) ResetWait(key);  // waits for a person now: a fix later starts a fresh wait
    return Finish(pass, retry ? ProcessResult::RequeueAfter(NextWait(key)) : ProcessResult::Done());
  };

  // 1. The spec, strictly: a spec the CRD let through but that cannot work writes nothing (and a
  // deleted one releases what it holds: the domain cannot be trusted to look DNS up).
  StatusOr<spec::MtaStsPolicy> parsed = spec::ParseMtaStsPolicy(DumpJson(*policy));
  if (!parsed.ok()) {
    if (deleting) return Release(pass, "");
    return blocked({false, "InvalidSpec", Printable(parsed.status().message()), true}, false);
  }
  const spec::MtaStsPolicySpec& spec = parsed->spec;

  // 2. One domain, one policy (a policy that never held the domain announced nothing).
  if (const std::string holder = deps_.claims.Holder(spec.domain); holder != key) {
    if (deleting) return Release(pass, "");
    return blocked({false, "DomainConflict",
                    "domain " + spec.domain + " is already published by MtaStsPolicy " + holder +
                        " (created earlier); this policy writes nothing until that one is "
                        "deleted or this one names another domain",
                    true},
                   false);
  }

  // 3. The finalizer, before anything is written: a deletion must wait for the removal.
  if (!finalized) {
    if (Status s = SetFinalizer(pass, true); !s.ok()) return ProcessResult::Failed(s);
  }

  // 4. The mode to serve (the rollout machine).
  Clock::TimePoint now = deps_.clock.Now();
  const RolloutSettings settings = SettingsFor(key);
  // Announced: DNS answered status.policyId at the last look (this pass looks again below).
  RolloutObservations observations{
      .gates = LastGateRun(key),
      .announced =
          IsConditionTrue(pass.observed_status.value("conditions", Object::array()), kDnsPublished),
      .deleting = deleting,
      .approval = AnnotationOf(metadata, kPromoteAnnotation),
      .reports = std::nullopt,
      .reported_failures = std::nullopt};
  if (deps_.reports != nullptr && spec.tls_rpt && spec.tls_rpt->ingest) {
    const tlsrpt::DomainTally window =
        deps_.reports->Window(spec.domain).value_or(tlsrpt::DomainTally{});
    observations.reports = JudgeReports(window, spec.rollout, deps_.reports->window_days());
    observations.reported_failures = PolicyFailures(window);
    pass.reports = ReportsStatus(window, deps_.reports->window_days());
    if (deps_.observer.report_window) deps_.observer.report_window(pass.owner, window);
  }
  const RolloutStatus before = ReadRolloutStatus(pass.observed_status);
  pass.rollout = Decide(spec, observations, before, now, settings);
  pass.events = pass.rollout->events;
  if (pass.rollout->release) return Release(pass, before.effective_mode ? spec.domain : "");
  const policy::Mode mode = pass.rollout->mode;

  // 5. The bytes to serve.
  std::vector<std::string> live_mx;
  if (spec.mx.empty()) {
    const dns::MxAnswer mx = deps_.resolver.LookupMx(spec.domain);
    if (dns::IsTemporaryFailure(mx.outcome)) {
      return blocked({false, "MxLookupFailed",
                      "spec.mx is empty and the live MX set of " + spec.domain +
                          " cannot be looked up: " + Printable(mx.error) + "; retrying",
                      false},
                     true);
    }
    for (const dns::MxRecord& r : mx.records) {
      if (!r.host.empty()) live_mx.push_back(r.host);
    }
  }
  StatusOr<policy::Policy> to_serve = spec::PolicyToServe(spec, mode, live_mx);
  StatusOr<std::string> bytes =
      to_serve.ok() ? policy::RenderPolicy(*to_serve) : StatusOr<std::string>(to_serve.status());
  if (!bytes.ok()) {
    return blocked({false, "CannotRender", Printable(bytes.status().message()), true}, false);
  }

  // 6. The ConfigMap every replica's syncer serves from.
  const Object config_map = DesiredConfigMap(pass.owner, spec, *bytes);
  if (Status s = ApplyIfChanged(pass, k8s::ConfigMaps(), config_map, deps_.caches.config_map);
      !s.ok()) {
    if (s.code() == StatusCode::kCancelled) return ProcessResult::Failed(s);
    Verdict v = WriteFailure(s, k8s::ConfigMaps(), ConfigMapName(pass.owner.name));
    return v.needs_person ? blocked(v, true) : ProcessResult::Failed(s);
  }
  // 7. The certificate of mta-sts.<domain>.
  if (std::optional<spec::IssuerRef> issuer = IssuerFor(spec, deps_.settings)) {
    const Object certificate = DesiredCertificate(pass.owner, spec, *issuer);
    if (Status s = ApplyIfChanged(pass, Certificates(), certificate, deps_.caches.certificate);
        !s.ok()) {
      if (s.code() == StatusCode::kCancelled) return ProcessResult::Failed(s);
      pass.progress.certificate = WriteFailure(s, Certificates(), CertificateName(pass.owner.name));
    } else {
      const std::optional<Object> observed =
          deps_.caches.certificate(pass.owner.namespace_ + "/" + CertificateName(pass.owner.name));
      const Object conditions =
          observed
              ? observed->value("status", Object::object()).value("conditions", Object::array())
              : Object::array();
      if (IsConditionTrue(conditions, "Ready")) {
        pass.progress.certificate = {
            true, "Issued", "Certificate " + CertificateName(pass.owner.name) + " is Ready"};
      } else {
        const std::string detail = Printable(ConditionMessage(conditions, "Ready"));
        pass.progress.certificate = {false, "Issuing",
                                     "waiting for cert-manager to issue Certificate " +
                                         CertificateName(pass.owner.name) +
                                         (detail.empty() ? "" : " (" + detail + ")")};
      }
    }
  } else {
    pass.progress.certificate = {
        true, "NotRequested",
        "no spec.certificate.issuerRef and no --default-issuer: provide the kubernetes.io/tls "
        "Secret " +
            SecretName(pass.owner.name) + " with labels " + ContentSelector(kContentCertificate) +
            " yourself"};
  }

  // 8. Served everywhere?
  const std::vector<EndpointResult> results = deps_.serve_check(spec.domain, *bytes);
  for (const EndpointResult& r : results) {
    if (!r.serves && deps_.observer.endpoint_not_serving)
      deps_.observer.endpoint_not_serving(r.endpoint);
    if (r.not_after && deps_.observer.certificate_not_after) {
      deps_.observer.certificate_not_after(pass.owner, *r.not_after);
    }
  }
  pass.progress.certificate_validity =
      JudgeCertificateValidity(results, PolicyHost(spec.domain), deps_.clock.Now());
  const std::optional<EndpointResult> not_serving = FirstNotServing(results);
  const std::string hash = policy::ContentDigest(*bytes);
  pass.progress.served =
      not_serving ? Verdict{false, "EndpointNotServing",
                            (not_serving->endpoint.empty() ? "" : not_serving->endpoint + ": ") +
                                not_serving->reason + " (policy " + hash + " for " +
                                PolicyHost(spec.domain) + ")"}
                  : Verdict{true, "Served",
                            "every serve endpoint (" + std::to_string(results.size()) +
                                ") serves policy " + hash + " for " + PolicyHost(spec.domain)};

  // 9. Announce: the id of these bytes goes into DNS only once they are served everywhere.
  const std::string endpoint_key = pass.owner.namespace_ + "/" + DnsEndpointName(pass.owner.name);
  const std::optional<Object> observed_endpoint = deps_.caches.dns_endpoint(endpoint_key);
  const std::optional<std::string> announced_now =
      observed_endpoint ? AnnouncedId(*observed_endpoint, spec.domain) : std::nullopt;
  const std::string id =
      IdFor(*bytes, {NonEmpty(StatusText(pass.observed_status, "policyId")), announced_now},
            deps_.clock.Now());
  const std::optional<std::string> sts_id = IdToAnnounce(!not_serving, id, announced_now);
  StatusOr<Object> endpoint = DesiredDnsEndpoint(pass.owner, spec, sts_id, deps_.settings);
  if (!endpoint.ok()) {
    return blocked({false, "CannotRender", Printable(endpoint.status().message()), true}, false);
  }
  if (Status s = ApplyIfChanged(pass, DnsEndpoints(), *endpoint, deps_.caches.dns_endpoint);
      !s.ok()) {
    if (s.code() == StatusCode::kCancelled) return ProcessResult::Failed(s);
    pass.progress.published = WriteFailure(s, DnsEndpoints(), DnsEndpointName(pass.owner.name));
    return pass.progress.published.needs_person ? blocked(pass.progress.published, true)
                                                : ProcessResult::Failed(s);
  }
  if (not_serving) {
    pass.progress.published = {
        false, "AnnouncementHeld",
        announced_now ? "DNS keeps id " + *announced_now +
                            " until every serve endpoint serves the new policy " + hash
                      : "nothing is announced until every serve endpoint serves policy " + hash};
    return Wait(pass);
  }
  pass.announced = Announcement{id, hash, std::string(policy::ModeName(mode)), to_serve->max_age};
  pass.progress.effective_mode = pass.announced->mode;

  // 10. What DNS answers: the provider may lag, or publish something else (quoting).
  const std::string expected = *policy::RenderStsRecord(id);
  const Publication publication =
      JudgePublication(deps_.resolver.LookupTxt("_mta-sts." + spec.domain), expected);
  switch (publication.state) {
    case Publication::State::kPublished:
      pass.progress.published = {true, "Published", publication.message};
      break;
    case Publication::State::kNotYet:
      pass.progress.published = {false, "NotPublished", publication.message};
      break;
    case Publication::State::kLookupFailed:
      pass.progress.published = {false, "LookupFailed", publication.message};
      break;
  }
  if (!pass.progress.certificate.ok || !pass.progress.published.ok) return Wait(pass);

  // 11. The rollout, now that `mode` is announced: the gates when due, and what comes next.
  RolloutStatus announced = pass.rollout->status;
  announced.effective_mode = mode;
  announced.policy_id = id;
  announced.largest_max_age = std::max(before.largest_max_age, to_serve->max_age);
  observations.announced = true;
  pass.rollout = Decide(spec, observations, announced, now, settings);
  if (pass.rollout->validate_now && !pass.stop.stop_requested()) {
    const auto started = deps_.clock.SteadyNow();
    observations.gates =
        GateRunOf(deps_.live_check(spec.domain, spec.rollout.min_cert_validity), *bytes, id);
    KeepGateRun(key, *observations.gates);
    if (deps_.observer.gate_run) {
      deps_.observer.gate_run(BlockersOf(observations.gates->findings).empty(),
                              deps_.clock.SteadyNow() - started);
    }
    // Decided as of the run's end: the run took time, and a run later than `now` would be
    // taken for one from the future, never fresh (the gates would run again and again).
    now = std::max(now, deps_.clock.Now());
    pass.rollout = Decide(spec, observations, announced, now, settings);
  }
  pass.events.insert(pass.events.end(), pass.rollout->events.begin(), pass.rollout->events.end());
  if (pass.rollout->release) return Release(pass, spec.domain);
  pass.progress.rollout = pass.rollout->rollout;
  ResetWait(key);
  // Another mode is due at once (a promotion the gates just allowed): serve it next.
  if (pass.rollout->mode != mode) return Finish(pass, ProcessResult::RequeueAfter({}));
  if (const std::optional<Clock::TimePoint> next = pass.rollout->next_look) {
    return Finish(pass, ProcessResult::RequeueAfter(*next - now));
  }
  return Finish(pass, ProcessResult::Done());
}

ProcessResult Reconciler::Finish(Pass& pass, ProcessResult result) {
  std::vector<Condition> conditions = DeriveConditions(pass.progress);
  if (pass.rollout) {
    conditions.insert(conditions.end(), pass.rollout->conditions.begin(),
                      pass.rollout->conditions.end());
  }
  Object next = NextStatus(pass.observed_status, pass.generation, pass.announced, conditions,
                           deps_.clock.Now());
  if (pass.rollout) next = WithRolloutStatus(next, pass.rollout->status);
  if (pass.reports) {
    next["reports"] = *pass.reports;
  } else if (pass.rollout) {  // the pass got that far: the policy no longer ingests
    next.erase("reports");
  }
  if (next == pass.observed_status) return result;
  if (pass.stop.stop_requested()) return ProcessResult::Failed(CancelledError("stopping"));
  const Object patch = {
      {"apiVersion", MtaStsPolicies().ApiVersion()},
      {"kind", MtaStsPolicies().kind},
      {"metadata", {{"name", pass.owner.name}, {"namespace", pass.owner.namespace_}}},
      {"status", next}};
  StatusOr<Object> written = deps_.client.ApplyStatus(MtaStsPolicies(), patch,
                                                      {std::string(kFieldManager), /*force=*/true});
  if (!written.ok()) return ProcessResult::Failed(written.status());
  RecordTransitions(pass, conditions);
  return result;
}

ProcessResult Reconciler::Wait(Pass& pass) {
  return Finish(pass, ProcessResult::RequeueAfter(NextWait(pass.key)));
}

ProcessResult Reconciler::Release(Pass& pass, const std::string& domain) {
  const Owner& o = pass.owner;
  auto remove = [&](const k8s::ResourceRef& ref, const std::string& name) {
    if (pass.stop.stop_requested()) return CancelledError("stopping: no more writes");
    Status s = deps_.client.Delete(ref, o.namespace_, name);
    // Gone already, or its kind is not installed: nothing of it is left.
    return s.code() == StatusCode::kNotFound ? OkStatus() : s;
  };
  // The records first, and DNS answering without them, before what they point at goes.
  if (Status s = remove(DnsEndpoints(), DnsEndpointName(o.name)); !s.ok()) {
    return ProcessResult::Failed(s);
  }
  const std::string policy_id = StatusText(pass.observed_status, "policyId");
  if (!domain.empty() && !policy_id.empty()) {
    const std::string record = *policy::RenderStsRecord(policy_id);
    if (!Withdrawn(deps_.resolver.LookupTxt("_mta-sts." + domain), record)) {
      const std::string message = "DNSEndpoint " + DnsEndpointName(o.name) +
                                  " is deleted; the policy and its certificate "
                                  "are removed once DNS stops answering \"" +
                                  record + "\" for _mta-sts." + domain + " (remove the finalizer " +
                                  std::string(kRemovalFinalizer) + " to skip the wait)";
      pass.progress.blocked = Verdict{false, "RemovingRecords", message, false};
      return Wait(pass);
    }
  }
  for (const auto& [ref, name] : {std::pair{k8s::ConfigMaps(), ConfigMapName(o.name)},
                                  std::pair{k8s::ConfigMaps(), ReportsConfigMapName(o.name)},
                                  std::pair{Certificates(), CertificateName(o.name)},
                                  std::pair{k8s::Secrets(), SecretName(o.name)}}) {
    if (Status s = remove(ref, name); !s.ok()) return ProcessResult::Failed(s);
  }
  if (Status s = SetFinalizer(pass, false); !s.ok()) return ProcessResult::Failed(s);
  // The Events of the decision that released it, unless a wait for DNS told them already.
  const Object conditions = pass.observed_status.value("conditions", Object::array());
  if (!ConditionMessage(conditions, kReady).starts_with("RemovingRecords:")) {
    RecordTransitions(pass, {});
  }
  LogInfo("released", {{"policy", pass.key}});
  Forget(pass.key);
  return ProcessResult::Done();
}

Status Reconciler::SetFinalizer(const Pass& pass, bool present) {
  if (pass.stop.stop_requested()) return CancelledError("stopping: no more writes");
  Object metadata = {{"name", pass.owner.name}, {"namespace", pass.owner.namespace_}};
  if (present) metadata["finalizers"] = {std::string(kRemovalFinalizer)};
  const Object patch = {{"apiVersion", MtaStsPolicies().ApiVersion()},
                        {"kind", MtaStsPolicies().kind},
                        {"metadata", std::move(metadata)}};
  return deps_.client.Apply(MtaStsPolicies(), patch, {std::string(kFieldManager), false}).status();
}

Status Reconciler::ApplyIfChanged(Pass& pass, const k8s::ResourceRef& ref, const Object& desired,
                                  const CacheLookup& cache) {
  const std::string name = desired.at("metadata").at("name");
  const std::optional<Object> observed = cache(pass.owner.namespace_ + "/" + name);
  if (observed && Covers(*observed, desired)) return OkStatus();
  if (pass.stop.stop_requested()) return CancelledError("stopping: no more writes");
  return deps_.client.Apply(ref, desired, {std::string(kFieldManager), /*force=*/false}).status();
}

void Reconciler::RecordTransitions(const Pass& pass, const std::vector<Condition>& conditions) {
  const k8s::ObjectReference regarding = k8s::ReferenceTo(pass.policy);
  const Object observed = pass.observed_status.value("conditions", Object::array());
  for (const Condition& c : conditions) {
    const bool was_true = IsConditionTrue(observed, c.type);
    const bool is_true = c.status == "True";
    // Reconciling only restates the others; Ready says where a policy stands.
    if (was_true == is_true || c.type == kReconciling || ToldByTheMachine(c.type)) continue;
    // Stalled is bad news when it turns true; every other condition when it turns false.
    const bool bad = (c.type == kStalled) == is_true;
    Log(bad ? LogLevel::kWarning : LogLevel::kInfo, "condition changed",
        {{"policy", pass.key},
         {"type", c.type},
         {"status", c.status},
         {"reason", c.reason},
         {"message", c.message}});
    if (bad) {
      deps_.events.Eventf(regarding, k8s::EventType::kWarning, c.reason, "Reconcile", "{}: {}",
                          c.type, c.message);
    } else if (is_true) {
      deps_.events.Eventf(regarding, k8s::EventType::kNormal, c.reason, "Reconcile", "{}: {}",
                          c.type, c.message);
    }
  }
  if (pass.announced && StatusText(pass.observed_status, "policyId") != pass.announced->id) {
    LogInfo("announced",
            {{"policy", pass.key}, {"id", pass.announced->id}, {"mode", pass.announced->mode}});
    deps_.events.Eventf(regarding, k8s::EventType::kNormal, "PolicyAnnounced", "Announce",
                        "announced id {} (mode {}) after every serve endpoint served it",
                        pass.announced->id, pass.announced->mode);
  }
  for (const RolloutEvent& e : pass.events) {
    Log(e.type == k8s::EventType::kWarning ? LogLevel::kWarning : LogLevel::kInfo, "rollout",
        {{"policy", pass.key}, {"reason", e.reason}, {"message", e.message}});
    deps_.events.Eventf(regarding, e.type, e.reason, "Rollout", "{}", e.message);
  }
}

std::chrono::nanoseconds Reconciler::NextWait(const std::string& key) {
  std::lock_guard lock(mu_);
  const auto now = deps_.clock.SteadyNow();
  const auto waited = now - waiting_since_.try_emplace(key, now).first->second;
  return std::clamp<std::chrono::nanoseconds>(waited, std::chrono::seconds(1),
                                              std::chrono::seconds(64));
}

void Reconciler::ResetWait(const std::string& key) {
  std::lock_guard lock(mu_);
  waiting_since_.erase(key);
}

std::optional<GateRun> Reconciler::LastGateRun(const std::string& key) {
  std::lock_guard lock(mu_);
  const auto it = gate_runs_.find(key);
  return it == gate_runs_.end() ? std::nullopt : std::optional<GateRun>(it->second);
}

void Reconciler::KeepGateRun(const std::string& key, GateRun run) {
  std::lock_guard lock(mu_);
  gate_runs_.insert_or_assign(key, std::move(run));
}

RolloutSettings Reconciler::SettingsFor(const std::string& key) const {
  // The same fraction for a key on every run and in every process: its checks stay spread.
  const double jitter = static_cast<double>(std::hash<std::string>{}(key) % 1000) / 1000;
  return {deps_.revalidate_interval, jitter};
}

void Reconciler::Forget(const std::string& key) {
  std::lock_guard lock(mu_);
  waiting_since_.erase(key);
  gate_runs_.erase(key);
}

}  // namespace mtasts::controller
