#include "controller/options.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace mtasts::controller {

// Failure messages show the options field by field.
void PrintTo(const Options& o, std::ostream* out) {
  auto list = [](const std::vector<std::string>& values) {
    std::string text = "[";
    for (const std::string& value : values) text += value + ",";
    return text + "]";
  };
  *out << "kubeconfig=" << o.kubeconfig << " namespaces=" << list(o.namespaces)
       << " selector=" << o.selector << " leader_elect=" << o.leader_elect
       << " lease=" << o.leader_election_namespace << "/" << o.leader_election_id
       << " serve_dir=" << o.serve_dir << " serve_endpoints=" << list(o.serve_endpoints)
       << " serve_service="
       << (o.serve_service ? o.serve_service->ns + "/" + o.serve_service->name : "-")
       << " targets=" << list(o.policy_host_targets) << " dns=" << list(o.dns_servers)
       << " prefix=" << o.annotation_prefix << " quoting=" << TxtQuotingName(o.dns_txt_quoting)
       << " ca=" << o.ca_file << " ports=" << o.https_port << "," << o.smtp_port
       << " private=" << o.allow_private_addresses << " issuer="
       << (o.default_issuer ? o.default_issuer->kind + "." + o.default_issuer->group + "/" +
                                  o.default_issuer->name
                            : "-")
       << " workers=" << o.workers << " revalidate=" << o.revalidate_interval.count()
       << " metrics=" << o.metrics_bind_address << " health=" << o.health_probe_bind_address;
}

namespace {

using testing::HasSubstr;

Options Parse(const std::vector<std::string>& args, std::string_view pod_namespace = "") {
  StatusOr<CommandLine> parsed = ParseOptions(args, pod_namespace);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed.ok() ? parsed->action : CommandLine::Action::kHelp, CommandLine::Action::kRun);
  return parsed.ok() ? parsed->options : Options{};
}

TEST(OptionsTest, DefaultsAreTheDocumentedOnes) {
  const Options o = Parse({});
  EXPECT_EQ(o.kubeconfig, "");
  EXPECT_TRUE(o.namespaces.empty());
  EXPECT_TRUE(o.leader_elect);
  EXPECT_EQ(o.leader_election_namespace, "default");
  EXPECT_EQ(o.leader_election_id, "mta-sts-operator");
  EXPECT_EQ(o.https_port, 443);
  EXPECT_EQ(o.smtp_port, 25);
  EXPECT_FALSE(o.allow_private_addresses);
  EXPECT_EQ(o.metrics_bind_address, ":8080");
  EXPECT_EQ(o.health_probe_bind_address, ":8081");
  EXPECT_EQ(o.default_issuer, std::nullopt);
  EXPECT_EQ(o.annotation_prefix, "external-dns.kubernetes.io/");
  EXPECT_EQ(o.workers, 2);
  EXPECT_EQ(o.revalidate_interval, std::chrono::hours(1));
  EXPECT_EQ(o.dns_txt_quoting, TxtQuoting::kQuoted);
  EXPECT_EQ(Parse({}, "mail").leader_election_namespace, "mail");
}

// One flag with one value, and what it changes from the defaults.
struct ValueRow {
  std::string flag;
  std::string value;
  std::function<void(Options&)> change;
};

TEST(OptionsTest, EveryValueFlagTakesBothSpellings) {
  const ValueRow rows[] = {
      {"--kubeconfig", "/k/config", [](Options& o) { o.kubeconfig = "/k/config"; }},
      {"--namespace", "mail", [](Options& o) { o.namespaces = {"mail"}; }},
      {"--selector", "shard in (a, b),!legacy",
       [](Options& o) { o.selector = "shard in (a, b),!legacy"; }},
      {"--leader-election-namespace", "ops",
       [](Options& o) { o.leader_election_namespace = "ops"; }},
      {"--leader-election-id", "mta-sts.shard-a",
       [](Options& o) { o.leader_election_id = "mta-sts.shard-a"; }},
      {"--serve-dir", "/srv/mta-sts", [](Options& o) { o.serve_dir = "/srv/mta-sts"; }},
      {"--serve-endpoint", "10.0.0.7:443",
       [](Options& o) { o.serve_endpoints = {"10.0.0.7:443"}; }},
      {"--serve-endpoint", "[2001:DB8:0::7]:8443",
       [](Options& o) { o.serve_endpoints = {"[2001:db8::7]:8443"}; }},
      {"--serve-endpoint", "Nginx.Mail.svc:443",
       [](Options& o) { o.serve_endpoints = {"nginx.mail.svc:443"}; }},
      {"--serve-service", "mail/mta-sts",
       [](Options& o) {
         o.serve_service = ServiceRef{"mail", "mta-sts"};
       }},
      {"--policy-host-target", "9.9.9.10",
       [](Options& o) { o.policy_host_targets = {"9.9.9.10"}; }},
      {"--policy-host-target", "2620:FE:0::10",
       [](Options& o) { o.policy_host_targets = {"2620:fe::10"}; }},
      {"--dns-server", "127.0.0.1:5354", [](Options& o) { o.dns_servers = {"127.0.0.1:5354"}; }},
      {"--dns-server", "2001:db8::53", [](Options& o) { o.dns_servers = {"2001:db8::53"}; }},
      {"--dns-server", "[::1]:5354", [](Options& o) { o.dns_servers = {"[::1]:5354"}; }},
      {"--ca-file", "/etc/ca.pem", [](Options& o) { o.ca_file = "/etc/ca.pem"; }},
      {"--https-port", "8443", [](Options& o) { o.https_port = 8443; }},
      {"--smtp-port", "2525", [](Options& o) { o.smtp_port = 2525; }},
      {"--metrics-bind-address", "127.0.0.1:0",
       [](Options& o) { o.metrics_bind_address = "127.0.0.1:0"; }},
      {"--health-probe-bind-address", "[::1]:9090",
       [](Options& o) { o.health_probe_bind_address = "[::1]:9090"; }},
      {"--default-issuer", "ClusterIssuer/letsencrypt",
       [](Options& o) {
         o.default_issuer = spec::IssuerRef{"letsencrypt", "ClusterIssuer", "cert-manager.io"};
       }},
      {"--default-issuer", "Issuer/ca",
       [](Options& o) {
         o.default_issuer = spec::IssuerRef{"ca", "Issuer", "cert-manager.io"};
       }},
      {"--default-issuer", "AWSPCAClusterIssuer.awspca.cert-manager.io/pca",
       [](Options& o) {
         o.default_issuer = spec::IssuerRef{"pca", "AWSPCAClusterIssuer", "awspca.cert-manager.io"};
       }},
      {"--annotation-prefix", "external-dns.alpha.kubernetes.io/",
       [](Options& o) { o.annotation_prefix = "external-dns.alpha.kubernetes.io/"; }},
      {"--workers", "64", [](Options& o) { o.workers = 64; }},
      {"--revalidate-interval", "1h30m",
       [](Options& o) { o.revalidate_interval = std::chrono::minutes(90); }},
      {"--revalidate-interval", "1s",
       [](Options& o) { o.revalidate_interval = std::chrono::seconds(1); }},
      {"--dns-txt-quoting", "bare", [](Options& o) { o.dns_txt_quoting = TxtQuoting::kBare; }},
      {"--dns-txt-quoting", "quoted", [](Options&) {}},
  };
  for (const ValueRow& row : rows) {
    Options expected = Parse({});
    row.change(expected);
    EXPECT_EQ(Parse({row.flag, row.value}), expected) << row.flag << " " << row.value;
    EXPECT_EQ(Parse({row.flag + "=" + row.value}), expected) << row.flag << "=" << row.value;
  }
}

TEST(OptionsTest, BooleansAreBareOrTrueOrFalse) {
  const struct {
    std::string flag;
    bool Options::*field;
  } rows[] = {{"--leader-elect", &Options::leader_elect},
              {"--allow-private-addresses", &Options::allow_private_addresses}};
  for (const auto& row : rows) {
    EXPECT_TRUE(Parse({row.flag}).*row.field) << row.flag;
    EXPECT_TRUE(Parse({row.flag + "=true"}).*row.field) << row.flag;
    EXPECT_FALSE(Parse({row.flag + "=false"}).*row.field) << row.flag;
    EXPECT_TRUE(Parse({row.flag + "=false", row.flag}).*row.field) << "the last one counts";
  }
}

TEST(OptionsTest, RepeatableFlagsCollectInOrderWithoutRepeats) {
  const Options o = Parse({"--namespace", "b", "--namespace=a", "--namespace", "b",
                           "--serve-endpoint", "10.0.0.1:443", "--serve-endpoint=10.0.0.2:443",
                           "--policy-host-target", "9.9.9.9", "--policy-host-target=2620:fe::9",
                           "--dns-server", "192.0.2.53", "--dns-server=192.0.2.54"});
  EXPECT_EQ(o.namespaces, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(o.serve_endpoints, (std::vector<std::string>{"10.0.0.1:443", "10.0.0.2:443"}));
  EXPECT_EQ(o.policy_host_targets, (std::vector<std::string>{"9.9.9.9", "2620:fe::9"}));
  EXPECT_EQ(o.dns_servers, (std::vector<std::string>{"192.0.2.53", "192.0.2.54"}));
  EXPECT_EQ(Parse({"--workers", "3", "--workers=5"}).workers, 5) << "a single flag: the last";
}

TEST(OptionsTest, PrivateTargetsNeedAllowPrivateAddresses) {
  EXPECT_EQ(
      Parse({"--policy-host-target=127.0.0.1", "--allow-private-addresses"}).policy_host_targets,
      (std::vector<std::string>{"127.0.0.1"}));
}

TEST(OptionsTest, HelpAndVersionWinOverEverythingElse) {
  for (const auto& [args, action] :
       std::vector<std::pair<std::vector<std::string>, CommandLine::Action>>{
           {{"--help"}, CommandLine::Action::kHelp},
           {{"-h"}, CommandLine::Action::kHelp},
           {{"--workers=0", "--help"}, CommandLine::Action::kHelp},
           {{"--version"}, CommandLine::Action::kVersion},
           {{"--serve-dir", "/x", "--version"}, CommandLine::Action::kVersion}}) {
    const StatusOr<CommandLine> parsed = ParseOptions(args, "");
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
    EXPECT_EQ(parsed->action, action) << args[0];
  }
}

// A command line that fails, and words its message must hold: the flag, what is wrong, the fix.
struct ErrorRow {
  std::vector<std::string> args;
  std::vector<std::string> says;
};

TEST(OptionsTest, MistakesNameTheFlagWhatIsWrongAndTheFix) {
  const ErrorRow rows[] = {
      {{"--workres", "3"}, {"unknown option --workres", "did you mean --workers?"}},
      {{"--nmespace=mail"}, {"did you mean --namespace?"}},
      {{"--frobnicate"}, {"unknown option --frobnicate", "see --help"}},
      {{"--serve-dir"}, {"--serve-dir needs a value"}},
      {{"--kubeconfig="}, {"--kubeconfig \"\": wants a value"}},
      {{"--leader-elect", "false"}, {"unexpected argument \"false\"", "--flag=false"}},
      {{"--leader-elect=yes"}, {"--leader-elect \"yes\": is given bare, =true or =false"}},
      {{"--allow-private-addresses=1"}, {"--allow-private-addresses \"1\""}},
      {{"--version=true"}, {"--version takes no value"}},
      {{"--namespace", "Mail"}, {"--namespace \"Mail\": is not a namespace name", "lower-case"}},
      {{"--namespace", "a_b"}, {"is not a namespace name"}},
      {{"--leader-election-namespace", "-x"}, {"--leader-election-namespace \"-x\""}},
      {{"--leader-election-id", "Lease"}, {"--leader-election-id \"Lease\": is not a Lease name"}},
      {{"--selector", ""}, {"--selector \"\": wants a label selector, e.g. shard=a"}},
      {{"--selector", "shard=a b"}, {"\"b\" where \",\" was expected"}},
      {{"--selector", "shard ~ a"}, {"not an operator", "\"~\""}},
      {{"--selector", "shard in a"}, {"\"in\" wants (v1,v2)"}},
      {{"--selector", "shard in (a"}, {"not closed"}},
      {{"--selector", "shard in ()"}, {"an empty set"}},
      {{"--selector", "shard=a,"}, {"nothing after the last \",\""}},
      {{"--selector", "shard=a!b"}, {"where \",\" was expected"}},
      {{"--selector", "sh@rd=a"}, {"not a label key: \"sh@rd\""}},
      {{"--selector", "shard=a/b"}, {"not a label value: \"a/b\""}},
      {{"--selector", "n>x"}, {"want a whole number"}},
      {{"--selector", "=a"}, {"a label key is missing"}},
      {{"--serve-endpoint", "10.0.0.7"}, {"--serve-endpoint \"10.0.0.7\": has no port"}},
      {{"--serve-endpoint", "2001:db8::7:443"}, {"needs brackets around its IPv6 address"}},
      {{"--serve-endpoint", "[2001:db8::7:443"}, {"unclosed bracket"}},
      {{"--serve-endpoint", "[2001:db8::7]"}, {"has no port"}},
      {{"--serve-endpoint", "[nginx]:443"}, {"no IPv6 address between the brackets"}},
      {{"--serve-endpoint", "10.0.0.7:0"}, {"is not HOST:PORT of a server"}},
      {{"--serve-endpoint", "10.0.0.7:65536"}, {"no port from 0 to 65535"}},
      {{"--serve-endpoint", "ngi nx:443"}, {"is not HOST:PORT of a server"}},
      {{"--serve-endpoint", ":443"}, {"is not HOST:PORT of a server"}},
      {{"--serve-service", "mta-sts"}, {"--serve-service \"mta-sts\": is not NAMESPACE/NAME"}},
      {{"--serve-service", "mail/"}, {"is not NAMESPACE/NAME"}},
      {{"--serve-service", "mail/a/b"}, {"is not NAMESPACE/NAME"}},
      {{"--serve-endpoint", "10.0.0.7:443", "--serve-service", "mail/mta-sts"},
       {"--serve-endpoint and --serve-service", "give one"}},
      {{"--policy-host-target", "mta-sts.example.com"},
       {"--policy-host-target \"mta-sts.example.com\": is not an IPv4 or IPv6 address"}},
      {{"--policy-host-target", "192.0.2.300"}, {"is not an IPv4 or IPv6 address"}},
      {{"--policy-host-target", std::string("192.0.2.1\0x", 11)}, {"192.0.2.1\\x00x"}},
      {{"--policy-host-target", "192.0.2.10"}, {"in documentation 192.0.2.0/24"}},
      {{"--policy-host-target", "10.1.2.3"},
       {"--policy-host-target \"10.1.2.3\": in ", "--allow-private-addresses"}},
      {{"--policy-host-target", "::1", "--allow-private-addresses=false"}, {"loopback"}},
      {{"--dns-server", "ns1.example.com"}, {"--dns-server \"ns1.example.com\": is not the IP"}},
      {{"--dns-server", "192.0.2.53:0"}, {"is not the IP address of a DNS server"}},
      {{"--dns-server", ""}, {"is not the IP address of a DNS server"}},
      {{"--https-port", "0"}, {"--https-port \"0\": wants a whole number from 1 to 65535"}},
      {{"--smtp-port", "25x"}, {"--smtp-port \"25x\": wants a whole number"}},
      {{"--smtp-port", "-25"}, {"wants a whole number"}},
      {{"--workers", "0"}, {"--workers \"0\": wants a whole number from 1 to 64"}},
      {{"--workers", "65"}, {"from 1 to 64"}},
      {{"--workers", ""}, {"from 1 to 64"}},
      {{"--revalidate-interval", "0s"},
       {"--revalidate-interval \"0s\": wants a duration of at least 1s", "e.g. 1h, 90m, 5s"}},
      {{"--revalidate-interval", "500ms"}, {"at least 1s"}},
      {{"--revalidate-interval", "3600"}, {"at least 1s"}},
      {{"--metrics-bind-address", "8080"}, {"--metrics-bind-address \"8080\": has no port"}},
      {{"--metrics-bind-address", "a b:8080"}, {"has no IP address or host name"}},
      {{"--health-probe-bind-address", ":http"}, {"--health-probe-bind-address \":http\""}},
      {{"--default-issuer", "letsencrypt"}, {"--default-issuer \"letsencrypt\": is not KIND/NAME"}},
      {{"--default-issuer", "clusterissuer/le"}, {"did you mean ClusterIssuer/le?"}},
      {{"--default-issuer", "ClustrIssuer/le"}, {"did you mean ClusterIssuer/le?"}},
      {{"--default-issuer", "Certificate/le"}, {"ClusterIssuer and Issuer", "KIND.GROUP/NAME"}},
      {{"--default-issuer", "ClusterIssuer/"}, {"names no issuer"}},
      {{"--default-issuer", "ClusterIssuer/Le"}, {"names no issuer"}},
      {{"--default-issuer", "Pca.bad_group/x"}, {"has no API group"}},
      {{"--default-issuer", "pca.example.com/x"}, {"has no kind"}},
      {{"--annotation-prefix", "external-dns.kubernetes.io"}, {"followed by \"/\""}},
      {{"--annotation-prefix", "/"}, {"--annotation-prefix \"/\""}},
      {{"--dns-txt-quoting", "none"}, {"--dns-txt-quoting \"none\": is quoted or bare"}},
      {{"\x1b[2J"}, {"unexpected argument \"\\x1b[2J\""}},
      {{"--ca-file="}, {"--ca-file \"\": wants a value"}},
  };
  for (const ErrorRow& row : rows) {
    const StatusOr<CommandLine> parsed = ParseOptions(row.args, "");
    ASSERT_FALSE(parsed.ok()) << row.args[0] << " " << (row.args.size() > 1 ? row.args[1] : "");
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    for (const std::string& words : row.says) {
      EXPECT_THAT(parsed.status().message(), HasSubstr(words)) << row.args[0];
    }
    EXPECT_EQ(parsed.status().message().find('\x1b'), std::string::npos);
  }
}

TEST(OptionsTest, HelpNamesEveryFlagWithItsDefault) {
  const std::string help = UsageText();
  for (std::string_view flag : {"--kubeconfig FILE",
                                "--namespace NS",
                                "--selector LABELS",
                                "--leader-elect[=true|false]",
                                "--leader-election-namespace NS",
                                "--leader-election-id NAME",
                                "--serve-dir DIR",
                                "--serve-endpoint HOST:PORT",
                                "--serve-service NS/NAME",
                                "--policy-host-target IP",
                                "--dns-server IP[:PORT]",
                                "--ca-file FILE",
                                "--https-port N",
                                "--smtp-port N",
                                "--allow-private-addresses[=true|false]",
                                "--metrics-bind-address HOST:PORT",
                                "--health-probe-bind-address HOST:PORT",
                                "--default-issuer KIND/NAME",
                                "--annotation-prefix PREFIX",
                                "--workers N",
                                "--revalidate-interval DURATION",
                                "--dns-txt-quoting quoted|bare",
                                "--version",
                                "--help",
                                "$KUBECONFIG",
                                "in-cluster",
                                "#3979",
                                "rfc2136",
                                "default: :8080",
                                "default: :8081",
                                "default: 443",
                                "default: 25",
                                "default: 2",
                                "default: true",
                                "default: quoted",
                                "default: mta-sts-operator",
                                "default: external-dns.kubernetes.io/"}) {
    EXPECT_THAT(help, HasSubstr(flag));
  }
  std::istringstream lines(help);
  for (std::string line; std::getline(lines, line);) EXPECT_LE(line.size(), 100u) << line;
}

TEST(OptionsTest, PodNamespaceIsReadFromTheServiceAccount) {
  const std::filesystem::path dir =
      std::filesystem::path(testing::TempDir()) / "options_test_serviceaccount";
  std::filesystem::create_directories(dir);
  EXPECT_EQ(PodNamespace(dir.string()), "") << "no file: outside a cluster";
  std::ofstream(dir / "namespace") << "mail";
  EXPECT_EQ(PodNamespace(dir.string()), "mail");
  std::ofstream(dir / "namespace") << "../etc";
  EXPECT_EQ(PodNamespace(dir.string()), "") << "not a namespace name";
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace mtasts::controller
