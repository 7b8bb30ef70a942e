#include "controller/options.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <span>

#include "base/args.h"
#include "base/did_you_mean.h"
#include "base/host_port.h"
#include "base/printable.h"
#include "base/strings.h"
#include "controller/kube_syntax.h"
#include "policy/syntax.h"
#include "probe/address_range.h"
#include "spec/duration.h"

namespace mtasts::controller {
namespace {

// What a setter returns when the value is wrong: why, and how to write it. ParseOptions puts the
// flag and the value in front.
Status Wrong(std::string why) { return InvalidArgumentError(std::move(why)); }

Status ReadNumber(const std::string& value, int min, int max, int* out) {
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), *out);
  if (value.empty() || ec != std::errc() || end != value.data() + value.size() || *out < min ||
      *out > max) {
    return Wrong("wants a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return OkStatus();
}

Status ReadSwitch(const std::string& value, bool* out) {
  if (value.empty() || value == "true") {
    *out = true;
  } else if (value == "false") {
    *out = false;
  } else {
    return Wrong("is given bare, =true or =false");
  }
  return OkStatus();
}

Status ReadDuration(const std::string& value, std::chrono::seconds* out) {
  const std::optional<std::chrono::seconds> d = spec::ParseDuration(value);
  if (!d || *d < std::chrono::seconds(1)) {
    return Wrong("wants a duration of at least 1s in hours, minutes and seconds, e.g. 1h, 90m, 5s");
  }
  *out = *d;
  return OkStatus();
}

Status ReadNonEmpty(const std::string& value, std::string* out) {
  if (value.empty()) return Wrong("wants a value");
  *out = value;
  return OkStatus();
}

Status ReadDnsLabel(const std::string& value, std::string_view what, std::string* out) {
  if (!IsDnsLabel(value)) {
    return Wrong("is not a " + std::string(what) +
                 " name: 1 to 63 lower-case letters, digits and \"-\", starting and ending with "
                 "a letter or digit");
  }
  *out = value;
  return OkStatus();
}

// A bind address: ":PORT" (every local address), "IP:PORT", "[IPv6]:PORT" or "NAME:PORT"; port 0
// asks for any free port.
Status ReadBindAddress(const std::string& value, std::string* out) {
  ASSIGN_OR_RETURN(const HostPort address, ParseHostPort(value));
  if (!address.host.empty() && !IsIpAddress(address.host) && !policy::IsLdhDomain(address.host)) {
    return Wrong(
        "has no IP address or host name before the port; write :8080 for every address, "
        "127.0.0.1:8080 or [::1]:8080");
  }
  *out = value;
  return OkStatus();
}

Status ReadServeEndpoint(const std::string& value, std::vector<std::string>* out) {
  ASSIGN_OR_RETURN(const HostPort endpoint, ParseHostPort(value));
  const std::optional<std::string> ip = CanonicalIpAddress(endpoint.host);
  if ((!ip && !policy::IsLdhDomain(endpoint.host)) || endpoint.port == 0) {
    return Wrong(
        "is not HOST:PORT of a server that serves the policies, e.g. 10.0.0.7:443, "
        "[2001:db8::7]:443 or nginx.mail.svc:443");
  }
  out->push_back(FormatHostPort(ip ? *ip : AsciiLowercase(endpoint.host), endpoint.port));
  return OkStatus();
}

Status ReadIpAddress(const std::string& value, std::vector<std::string>* out) {
  const std::optional<std::string> ip = CanonicalIpAddress(value);
  if (!ip) return Wrong("is not an IPv4 or IPv6 address, e.g. 192.0.2.10 or 2001:db8::10");
  out->push_back(*ip);
  return OkStatus();
}

// As c-ares takes a server: "IP", "IP:PORT" or "[IPv6]:PORT".
Status ReadDnsServer(const std::string& value, std::vector<std::string>* out) {
  if (IsIpAddress(value)) {
    out->push_back(value);
    return OkStatus();
  }
  const StatusOr<HostPort> server = ParseHostPort(value);
  if (!server.ok() || !IsIpAddress(server->host) || server->port == 0) {
    return Wrong(
        "is not the IP address of a DNS server with an optional port, e.g. 192.0.2.53, "
        "127.0.0.1:5354 or [2001:db8::53]:53");
  }
  out->push_back(value);
  return OkStatus();
}

Status ReadServiceRef(const std::string& value, std::optional<ServiceRef>* out) {
  const size_t slash = value.find('/');
  ServiceRef service{value.substr(0, slash),
                     slash == std::string::npos ? "" : value.substr(slash + 1)};
  if (!IsDnsLabel(service.ns) || !IsDnsLabel(service.name)) {
    return Wrong("is not NAMESPACE/NAME of a Service, e.g. mail/mta-sts-operator");
  }
  *out = std::move(service);
  return OkStatus();
}

// A Go type name, as Kubernetes kinds are: an upper-case letter, then letters and digits.
bool IsKind(std::string_view kind) {
  if (kind.empty() || kind.size() > 63 || kind[0] < 'A' || kind[0] > 'Z') return false;
  return std::all_of(kind.begin(), kind.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

// "KIND/NAME" or, for an external issuer, "KIND.GROUP/NAME".
Status ReadIssuer(const std::string& value, std::optional<spec::IssuerRef>* out) {
  const size_t slash = value.find('/');
  if (slash == std::string::npos) {
    return Wrong(
        "is not KIND/NAME; write ClusterIssuer/NAME, Issuer/NAME or, for an external "
        "issuer, KIND.GROUP/NAME");
  }
  const std::string kind_group = value.substr(0, slash);
  const size_t dot = kind_group.find('.');
  spec::IssuerRef issuer{value.substr(slash + 1), kind_group.substr(0, dot),
                         dot == std::string::npos ? "cert-manager.io" : kind_group.substr(dot + 1)};
  if (!IsDnsSubdomain(issuer.name)) {
    return Wrong("names no issuer after the \"/\": a lower-case DNS name, e.g. letsencrypt");
  }
  if (!IsDnsSubdomain(issuer.group)) return Wrong("has no API group after the \".\"");
  const bool known_kind = issuer.kind == "ClusterIssuer" || issuer.kind == "Issuer";
  if (dot == std::string::npos && !known_kind) {
    constexpr std::string_view kKinds[] = {"ClusterIssuer", "Issuer"};
    const auto suggestion = ClosestName(issuer.kind, kKinds);
    return Wrong((suggestion ? "did you mean " + std::string(*suggestion) + "/" + issuer.name + "?"
                             : std::string("cert-manager's kinds are ClusterIssuer and Issuer;")) +
                 " an external issuer is written KIND.GROUP/NAME");
  }
  if (!IsKind(issuer.kind)) return Wrong("has no kind before the \"/\", e.g. ClusterIssuer");
  *out = std::move(issuer);
  return OkStatus();
}

Status ReadAnnotationPrefix(const std::string& value, std::string* out) {
  if (!value.ends_with('/') || !IsDnsSubdomain(value.substr(0, value.size() - 1))) {
    return Wrong("is not a DNS name followed by \"/\", e.g. external-dns.kubernetes.io/");
  }
  *out = value;
  return OkStatus();
}

// An absolute path of unreserved characters (RFC 3986), not the policy's: nginx matches it
// exactly.
Status ReadReportPath(const std::string& value, std::string* out) {
  const bool unreserved = std::ranges::all_of(value, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '/' || c == '-' || c == '.' ||
           c == '_' || c == '~';
  });
  if (!value.starts_with('/') || value.size() < 2 || !unreserved ||
      value.find("..") != std::string::npos || value == "/.well-known/mta-sts.txt") {
    return InvalidArgumentError(
        "--report-path must be a path like /tlsrpt: it starts with /, "
        "holds only letters, digits, / - . _ ~, and is not the policy's");
  }
  *out = value;
  return OkStatus();
}

Status ReadQuoting(const std::string& value, TxtQuoting* out) {
  if (value == "quoted") {
    *out = TxtQuoting::kQuoted;
  } else if (value == "bare") {
    *out = TxtQuoting::kBare;
  } else {
    return Wrong("is quoted or bare");
  }
  return OkStatus();
}

enum class Group { kKubernetes, kServing, kDns, kChecks, kReports, kObservability };

// One flag: its name and value for --help, why it exists, and what it sets. The parser and the
// help text are both made from this table, so they cannot disagree.
struct Flag {
  Group group;
  std::string_view name;
  std::string_view value;  // "" for a boolean (bare, =true or =false)
  std::string_view help;   // lines of why, the default last
  Status (*set)(const std::string& value, Options& options);
};

const Flag kFlags[] = {
    {Group::kKubernetes, "--kubeconfig", "FILE",
     "the cluster to manage; default: $KUBECONFIG, else the pod's service account (in-cluster),\n"
     "else ~/.kube/config",
     [](const std::string& v, Options& o) { return ReadNonEmpty(v, &o.kubeconfig); }},
    {Group::kKubernetes, "--namespace", "NS",
     "manage the MtaStsPolicies of NS only (repeatable); default: every namespace",
     [](const std::string& v, Options& o) {
       std::string ns;
       RETURN_IF_ERROR(ReadDnsLabel(v, "namespace", &ns));
       o.namespaces.push_back(ns);
       return OkStatus();
     }},
    {Group::kKubernetes, "--selector", "LABELS",
     "manage only the MtaStsPolicies matching this label selector (as kubectl -l), e.g.\n"
     "shard=a: several operators, each with its own --leader-election-id, share the policies\n"
     "between them; default: every policy",
     [](const std::string& v, Options& o) {
       if (v.empty()) return Wrong("wants a label selector, e.g. shard=a");
       RETURN_IF_ERROR(ValidateLabelSelector(v));
       o.selector = v;
       return OkStatus();
     }},
    {Group::kKubernetes, "--leader-elect", "",
     "let one replica reconcile while every replica serves (a Lease decides which); =false\n"
     "for a single replica that never waits for a Lease; default: true",
     [](const std::string& v, Options& o) { return ReadSwitch(v, &o.leader_elect); }},
    {Group::kKubernetes, "--leader-election-namespace", "NS",
     "the namespace of the Lease; default: the pod's namespace, else \"default\"",
     [](const std::string& v, Options& o) {
       return ReadDnsLabel(v, "namespace", &o.leader_election_namespace);
     }},
    {Group::kKubernetes, "--leader-election-id", "NAME",
     "the name of the Lease: operators that share it elect one leader; default: mta-sts-operator",
     [](const std::string& v, Options& o) {
       if (!IsDnsSubdomain(v)) return Wrong("is not a Lease name: a lower-case DNS name");
       o.leader_election_id = v;
       return OkStatus();
     }},
    {Group::kServing, "--serve-dir", "DIR",
     "write each served policy to DIR/www/HOST/mta-sts.txt and its certificate and key to\n"
     "DIR/certs/HOST.pem, for the nginx whose prefix DIR is (nothing else in DIR is touched);\n"
     "default: none (this replica serves nothing)",
     [](const std::string& v, Options& o) { return ReadNonEmpty(v, &o.serve_dir); }},
    {Group::kServing, "--serve-endpoint", "HOST:PORT",
     "a server that must return a new policy (by SNI mta-sts.DOMAIN, with a certificate that\n"
     "verifies) before its id is announced in DNS (repeatable; IPv6 in brackets)",
     [](const std::string& v, Options& o) { return ReadServeEndpoint(v, &o.serve_endpoints); }},
    {Group::kServing, "--serve-service", "NS/NAME",
     "in a cluster, verify every ready address of this Service's EndpointSlices instead of\n"
     "--serve-endpoint (the replicas that serve come and go)",
     [](const std::string& v, Options& o) { return ReadServiceRef(v, &o.serve_service); }},
    {Group::kServing, "--policy-host-target", "IP",
     "publish A/AAAA records for mta-sts.DOMAIN pointing here, in the DNSEndpoint (repeatable):\n"
     "outside a cluster, or for a Service without an external address; without it the operator\n"
     "keeps external-dns's hostname annotation on the serve Service",
     [](const std::string& v, Options& o) { return ReadIpAddress(v, &o.policy_host_targets); }},
    {Group::kDns, "--dns-server", "IP[:PORT]",
     "ask this DNS server for every live look-up (repeatable; IPv6 with a port in brackets):\n"
     "the zones' authoritative servers see a change at once; default: /etc/resolv.conf",
     [](const std::string& v, Options& o) { return ReadDnsServer(v, &o.dns_servers); }},
    {Group::kDns, "--annotation-prefix", "PREFIX",
     "external-dns's annotation prefix: external-dns.kubernetes.io/ from external-dns 0.22,\n"
     "external-dns.alpha.kubernetes.io/ before; default: external-dns.kubernetes.io/",
     [](const std::string& v, Options& o) {
       return ReadAnnotationPrefix(v, &o.annotation_prefix);
     }},
    {Group::kDns, "--dns-txt-quoting", "quoted|bare",
     "how a TXT target is written in the DNSEndpoint; external-dns providers differ (its issue\n"
     "#3979). quoted (\"v=STSv1; id=X\" with the quotes) for rfc2136 (BIND9 and other RFC 2136\n"
     "servers), which writes the target into a zone-file line: there an unquoted \";\" starts a\n"
     "comment and the id is silently lost. bare (v=STSv1; id=X) for providers that quote the\n"
     "text themselves: aws (Route 53) and pdns (PowerDNS) would keep the quotes in the record.\n"
     "Others: try one; DNSPublished turns true only when DNS answers exactly the record meant,\n"
     "and otherwise names both strings; default: quoted",
     [](const std::string& v, Options& o) { return ReadQuoting(v, &o.dns_txt_quoting); }},
    {Group::kChecks, "--ca-file", "FILE",
     "trust only the CA certificates in FILE (PEM) when verifying serve endpoints, policy hosts\n"
     "and MX hosts; default: the system trust store",
     [](const std::string& v, Options& o) { return ReadNonEmpty(v, &o.ca_file); }},
    {Group::kChecks, "--https-port", "N", "port of the policy hosts; default: 443",
     [](const std::string& v, Options& o) { return ReadNumber(v, 1, 65535, &o.https_port); }},
    {Group::kChecks, "--smtp-port", "N", "port of the MX hosts; default: 25",
     [](const std::string& v, Options& o) { return ReadNumber(v, 1, 65535, &o.smtp_port); }},
    {Group::kChecks, "--allow-private-addresses", "",
     "connect to, and publish, loopback, private, link-local and other special-purpose\n"
     "addresses, which senders on the Internet cannot reach (for tests on one machine);\n"
     "default: false (such an address is an error, never a connection)",
     [](const std::string& v, Options& o) { return ReadSwitch(v, &o.allow_private_addresses); }},
    {Group::kChecks, "--default-issuer", "KIND/NAME",
     "the cert-manager issuer of policies that name none (spec.certificate.issuerRef), e.g.\n"
     "ClusterIssuer/letsencrypt; an Issuer must exist in each policy's namespace; an external\n"
     "issuer is KIND.GROUP/NAME; default: none (such a policy gets no certificate)",
     [](const std::string& v, Options& o) { return ReadIssuer(v, &o.default_issuer); }},
    {Group::kChecks, "--revalidate-interval", "DURATION",
     "while a policy is enforced, check its domain again this often (every live MX, the policy\n"
     "as served, the _mta-sts record), each policy at its own moment within the interval; a\n"
     "restart continues from status.promotion.lastValidation; e.g. 30m, 5s; default: 1h",
     [](const std::string& v, Options& o) { return ReadDuration(v, &o.revalidate_interval); }},
    {Group::kChecks, "--workers", "N", "policies reconciled at the same time (1 to 64); default: 2",
     [](const std::string& v, Options& o) { return ReadNumber(v, 1, 64, &o.workers); }},
    {Group::kObservability, "--metrics-bind-address", "HOST:PORT",
     "serve /metrics (Prometheus) here; :PORT listens on every address; default: :8080",
     [](const std::string& v, Options& o) { return ReadBindAddress(v, &o.metrics_bind_address); }},
    {Group::kObservability, "--health-probe-bind-address", "HOST:PORT",
     "serve /healthz (the process runs) and /readyz (the first full sync is written) here;\n"
     "default: :8081",
     [](const std::string& v, Options& o) {
       return ReadBindAddress(v, &o.health_probe_bind_address);
     }},
    {Group::kReports, "--report-bind-address", "HOST:PORT",
     "receive SMTP TLS reports (RFC 8460) POSTed to --report-path here, as\n"
     "application/tlsrpt+gzip or application/tlsrpt+json, for the domains of the policies;\n"
     "senders post to an https: rua, so put HTTPS in front of it. Policies with tlsRpt.ingest\n"
     "then wait in testing while the reports of the last 14 days show failures\n"
     "(rollout.maxFailureRate, rollout.minReportedSessions). Every replica receives them; the\n"
     "windows are kept in a ConfigMap per policy (<policy>-mta-sts-reports), so a restart\n"
     "loses nothing and a report counts once whichever replica received it;\n"
     "default: off (no reports, and that gate holds nothing)",
     [](const std::string& v, Options& o) { return ReadBindAddress(v, &o.report_bind_address); }},
    {Group::kReports, "--report-path", "PATH",
     "the path reports are POSTed to, on every policy host; default: /tlsrpt",
     [](const std::string& v, Options& o) { return ReadReportPath(v, &o.report_path); }},
    {Group::kReports, "--report-flush-interval", "DURATION",
     "store the report counts this replica received this often, one write per domain that\n"
     "received any (they count at once in this replica, and in the others' gates after the\n"
     "write); what is left is stored at shutdown; e.g. 10s; default: 1m",
     [](const std::string& v, Options& o) { return ReadDuration(v, &o.report_flush_interval); }},
};

// A policy host target in a special-purpose range would be published for the whole Internet.
Status CheckTargetsArePublic(const Options& options) {
  if (options.allow_private_addresses) return OkStatus();
  for (const std::string& target : options.policy_host_targets) {
    const std::string range = probe::SpecialPurposeRange(target);
    if (range.empty()) continue;
    return InvalidArgumentError("--policy-host-target \"" + target + "\": in " + range +
                                ", which senders on the Internet cannot reach; give a public "
                                "address, or add --allow-private-addresses for a test");
  }
  return OkStatus();
}

Status CheckTogether(const Options& options) {
  if (!options.serve_endpoints.empty() && options.serve_service) {
    return InvalidArgumentError(
        "--serve-endpoint and --serve-service both say which servers to verify; give one");
  }
  return CheckTargetsArePublic(options);
}

// Repeating a value of a repeatable flag adds nothing.
void DropRepeats(std::vector<std::string>& values) {
  std::vector<std::string> kept;
  for (std::string& value : values) {
    if (std::find(kept.begin(), kept.end(), value) == kept.end()) kept.push_back(std::move(value));
  }
  values = std::move(kept);
}

std::vector<OptionSpec> Specs() {
  std::vector<OptionSpec> specs = {{"--version", false}};
  for (const Flag& flag : kFlags)
    specs.push_back({flag.name, !flag.value.empty(), flag.value.empty()});
  return specs;
}

}  // namespace

StatusOr<CommandLine> ParseOptions(const std::vector<std::string>& args,
                                   std::string_view pod_namespace) {
  const std::vector<OptionSpec> specs = Specs();
  StatusOr<ParsedArgs> parsed = ParseArgs(args, specs);
  if (!parsed.ok()) return parsed.status();
  CommandLine command_line;
  if (parsed->help) {
    command_line.action = CommandLine::Action::kHelp;
    return command_line;
  }
  if (parsed->Has("--version")) {
    command_line.action = CommandLine::Action::kVersion;
    return command_line;
  }
  if (!parsed->positional.empty()) {
    return InvalidArgumentError("unexpected argument \"" + Printable(parsed->positional[0]) +
                                "\": the operator takes flags only, and a boolean flag its "
                                "value as --flag=false (see --help)");
  }
  Options& options = command_line.options;
  options.leader_election_namespace = pod_namespace.empty() ? "default" : pod_namespace;
  for (const auto& [name, value] : parsed->options) {
    const std::string& given = name;  // a lambda may not capture a structured binding
    const auto flag = std::find_if(std::begin(kFlags), std::end(kFlags),
                                   [&](const Flag& f) { return f.name == given; });
    const Status status = flag->set(value, options);
    if (!status.ok()) {
      return InvalidArgumentError(name + " \"" + Printable(value) + "\": " + status.message() +
                                  " (see --help)");
    }
  }
  for (auto* values : {&options.namespaces, &options.serve_endpoints, &options.policy_host_targets,
                       &options.dns_servers}) {
    DropRepeats(*values);
  }
  RETURN_IF_ERROR(CheckTogether(options));
  return command_line;
}

std::string PodNamespace(const std::string& service_account_dir) {
  std::ifstream file(service_account_dir + "/namespace");
  std::string ns;
  std::getline(file, ns);
  return IsDnsLabel(ns) ? ns : "";
}

std::string_view TxtQuotingName(TxtQuoting quoting) {
  return quoting == TxtQuoting::kQuoted ? "quoted" : "bare";
}

std::string UsageText() {
  constexpr std::pair<Group, std::string_view> kGroups[] = {
      {Group::kKubernetes, "Kubernetes"},
      {Group::kServing, "Serving (serve first, announce second: RFC 8461 section 3.3)"},
      {Group::kDns, "DNS"},
      {Group::kChecks, "Certificates and checks"},
      {Group::kReports, "TLS reports (RFC 8460)"},
      {Group::kObservability, "Observability"}};
  std::string text =
      "Usage: mta-sts-operator [flags]\n\n"
      "Turns each MtaStsPolicy into a served policy file, a cert-manager Certificate and\n"
      "external-dns DNS records: the policy is served and verified on every serve endpoint\n"
      "before its id is announced in DNS. Every flag takes --flag VALUE or --flag=VALUE; a\n"
      "boolean is given bare or as --flag=true|false.\n";
  for (const auto& [group, title] : kGroups) {
    text += "\n" + std::string(title) + ":\n";
    for (const Flag& flag : kFlags) {
      if (flag.group != group) continue;
      text += "  " + std::string(flag.name) +
              (flag.value.empty() ? "[=true|false]" : " " + std::string(flag.value)) + "\n";
      for (size_t start = 0; start < flag.help.size();) {
        const size_t end = std::min(flag.help.find('\n', start), flag.help.size());
        text += "      " + std::string(flag.help.substr(start, end - start)) + "\n";
        start = end + 1;
      }
    }
  }
  text +=
      "\nOther:\n"
      "  --version\n      print the version and exit\n"
      "  -h, --help\n      print this help and exit\n";
  return text;
}

}  // namespace mtasts::controller
