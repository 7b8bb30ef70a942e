// MtaStsPolicy: the custom resource (mtasts.io/v1alpha1) a domain owner writes, as plain values
// with every default applied. The schema and its limits live in spec/schema.h and the CRD;
// loading from YAML is spec/load.h. Value types; thread-compatible.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/policy_file.h"

namespace mtasts::spec {

// What to do when the live MX set stops matching an enforced policy.
enum class MxDriftAction { kDemote, kAlert };
// What deletion of the resource does to the published policy.
enum class RemovalStrategy { kGraceful, kImmediate };

struct Rollout {
  std::chrono::seconds testing_period{};  // time in testing before enforce may start
  std::int64_t testing_max_age = 0;       // max_age served while in testing (and in none)
  bool auto_promote = true;               // false: wait in testing until a human acts
  MxDriftAction on_mx_drift = MxDriftAction::kDemote;
  std::chrono::seconds min_cert_validity{};  // MX certificates must stay valid this long
  // Gate 6, when tlsRpt.ingest is on: the reported failure rate must stay at or under this
  // (basis points: 100 = 1%), over at least min_reported_sessions sessions.
  std::int64_t max_failure_rate = 100;
  std::int64_t min_reported_sessions = 0;
};

struct TlsRpt {
  std::vector<std::string> rua;  // mailto: and https: report URIs
  bool ingest = false;           // the operator receives and aggregates the reports
};

struct IssuerRef {
  std::string name;
  std::string kind;
  std::string group;
  friend bool operator==(const IssuerRef&, const IssuerRef&) = default;
};

struct DnsPublishing {
  std::string provider;
  std::int64_t ttl = 0;
};

struct MtaStsPolicySpec {
  std::string domain;                          // the Policy Domain, lower-case A-labels
  policy::Mode mode = policy::Mode::kTesting;  // the target; the operator gets there by stages
  std::vector<std::string> mx;                 // empty: take the live MX set
  std::int64_t max_age = 0;                    // served in enforce
  Rollout rollout;
  std::optional<TlsRpt> tls_rpt;
  std::optional<IssuerRef> certificate_issuer;  // absent: no Certificate is requested
  DnsPublishing dns;
  RemovalStrategy removal = RemovalStrategy::kGraceful;
};

struct MtaStsPolicy {
  std::string name;        // metadata.name, may be empty outside a cluster
  std::string namespace_;  // metadata.namespace
  MtaStsPolicySpec spec;
};

}  // namespace mtasts::spec
