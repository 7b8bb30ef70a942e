// The operator's command line: every flag, its default, and the checks that turn a mistake into one
// line naming the flag, what is wrong and how to write it. Pure; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "controller/desired.h"
#include "k8s/config.h"

namespace mtasts::controller {

// How a DNSEndpoint TXT target is written (external-dns issue #3979: providers differ).
struct ServiceRef {
  std::string ns;
  std::string name;

  friend bool operator==(const ServiceRef&, const ServiceRef&) = default;
};

struct Options {
  // Kubernetes
  std::string kubeconfig;               // empty: $KUBECONFIG, else in-cluster, else ~/.kube/config
  std::vector<std::string> namespaces;  // empty: all
  std::string selector;                 // label selector of the MtaStsPolicies; empty: all
  bool leader_elect = true;
  std::string leader_election_namespace;  // the pod's namespace, else "default"
  std::string leader_election_id = "mta-sts-operator";
  // Serving
  std::string serve_dir;                     // empty: this process serves nothing (no syncer)
  std::vector<std::string> serve_endpoints;  // "host:port", IPv6 in brackets
  std::optional<ServiceRef> serve_service;
  std::vector<std::string> policy_host_targets;  // IPv4 and IPv6 addresses
  // DNS
  std::vector<std::string> dns_servers;  // "ip", "ip:port", "[ipv6]:port"; empty: resolv.conf
  std::string annotation_prefix = "external-dns.kubernetes.io/";
  TxtQuoting dns_txt_quoting = TxtQuoting::kQuoted;
  // Checks
  std::string ca_file;  // empty: the system trust store
  int https_port = 443;
  int smtp_port = 25;
  bool allow_private_addresses = false;
  std::optional<spec::IssuerRef> default_issuer;
  int workers = 2;
  // While enforcing, the gates run again this often (jittered by up to a tenth, never below 1s).
  std::chrono::seconds revalidate_interval{3600};
  // TLS reports: received only with a bind address.
  std::string report_bind_address;
  std::string report_path = "/tlsrpt";
  // How often each replica stores the report counts it received (one ConfigMap per domain).
  std::chrono::seconds report_flush_interval{60};
  // Observability
  std::string metrics_bind_address = ":8080";
  std::string health_probe_bind_address = ":8081";

  friend bool operator==(const Options&, const Options&) = default;
};

struct CommandLine {
  enum class Action { kRun, kHelp, kVersion };
  Action action = Action::kRun;
  Options options;  // meaningful for kRun
};

// Parses the arguments after the program name. `pod_namespace` is the namespace this pod runs in
// (PodNamespace()), "" outside a cluster; it is the default of --leader-election-namespace.
// InvalidArgument names the flag, what is wrong and the fix; an unknown flag gets a did-you-mean.
StatusOr<CommandLine> ParseOptions(const std::vector<std::string>& args,
                                   std::string_view pod_namespace);

// The namespace in the service account's folder (as mounted in every pod), or "" when there is
// none: outside a cluster.
std::string PodNamespace(const std::string& service_account_dir = k8s::kServiceAccountDir);

// --help.
std::string UsageText();

std::string_view TxtQuotingName(TxtQuoting quoting);  // "quoted", "bare"

}  // namespace mtasts::controller
