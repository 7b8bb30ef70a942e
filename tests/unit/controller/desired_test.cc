#include "controller/desired.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

spec::MtaStsPolicySpec Spec() {
  spec::MtaStsPolicySpec spec;
  spec.domain = "example.com";
  spec.dns.ttl = 300;
  return spec;
}

const Owner kOwner{"mail", "example-com", "uid-1"};

TEST(DesiredTest, ConfigMapCarriesTheBytesAndWhatTheSyncerSelects) {
  const k8s::Object cm = DesiredConfigMap(kOwner, Spec(), "version: STSv1\r\n");
  EXPECT_EQ(cm["metadata"]["name"], "example-com-mta-sts-policy");
  EXPECT_EQ(cm["metadata"]["namespace"], "mail");
  EXPECT_EQ(cm["metadata"]["labels"]["mtasts.io/content"], "policy");
  EXPECT_EQ(cm["metadata"]["annotations"]["mtasts.io/policy-host"], "mta-sts.example.com");
  EXPECT_EQ(cm["metadata"]["annotations"]["mtasts.io/policy"], "mail/example-com");
  EXPECT_EQ(cm["metadata"]["ownerReferences"][0]["uid"], "uid-1");
  EXPECT_EQ(cm["metadata"]["ownerReferences"][0]["kind"], "MtaStsPolicy");
  EXPECT_EQ(cm["data"]["mta-sts.txt"], "version: STSv1\r\n");
}

TEST(DesiredTest, CertificateLabelsItsSecretThroughTheTemplate) {
  const k8s::Object cert = DesiredCertificate(kOwner, Spec(), {"ca", "ClusterIssuer", ""});
  EXPECT_EQ(cert["spec"]["dnsNames"], k8s::Object::array({"mta-sts.example.com"}));
  EXPECT_EQ(cert["spec"]["secretName"], "example-com-mta-sts-tls");
  EXPECT_EQ(cert["spec"]["issuerRef"]["kind"], "ClusterIssuer");
  EXPECT_EQ(cert["spec"]["issuerRef"]["group"], "cert-manager.io");
  EXPECT_EQ(cert["spec"]["secretTemplate"]["labels"]["mtasts.io/content"], "certificate");
  EXPECT_EQ(cert["spec"]["secretTemplate"]["annotations"]["mtasts.io/policy"], "mail/example-com");
}

TEST(DesiredTest, IssuerFromSpecElseDefaultElseNone) {
  spec::MtaStsPolicySpec spec = Spec();
  DesiredSettings settings;
  EXPECT_FALSE(IssuerFor(spec, settings));
  settings.default_issuer = spec::IssuerRef{"default", "ClusterIssuer", ""};
  EXPECT_EQ(IssuerFor(spec, settings)->name, "default");
  spec.certificate_issuer = spec::IssuerRef{"own", "Issuer", ""};
  EXPECT_EQ(IssuerFor(spec, settings)->name, "own");
}

TEST(DesiredTest, DnsEndpointHasNoStsRecordBeforeTheFirstAnnouncement) {
  const auto endpoint = DesiredDnsEndpoint(kOwner, Spec(), std::nullopt, {});
  ASSERT_TRUE(endpoint.ok());
  EXPECT_TRUE((*endpoint)["spec"]["endpoints"].empty());
}

TEST(DesiredTest, DnsEndpointRecordsAndQuoting) {
  spec::MtaStsPolicySpec spec = Spec();
  spec.tls_rpt = spec::TlsRpt{{"mailto:tlsrpt@example.com"}, false};
  DesiredSettings settings;
  settings.policy_host_targets = {"192.0.2.1", "2001:db8::1"};
  const auto quoted = DesiredDnsEndpoint(kOwner, spec, "20261130T000000Z1234abcd", settings);
  ASSERT_TRUE(quoted.ok());
  const k8s::Object& e = (*quoted)["spec"]["endpoints"];
  ASSERT_EQ(e.size(), 4u);
  EXPECT_EQ(e[0]["dnsName"], "_mta-sts.example.com");
  EXPECT_EQ(e[0]["recordTTL"], 300);
  EXPECT_EQ(e[0]["targets"][0], "\"v=STSv1; id=20261130T000000Z1234abcd\"");
  EXPECT_EQ(e[1]["dnsName"], "_smtp._tls.example.com");
  EXPECT_EQ(e[1]["targets"][0], "\"v=TLSRPTv1; rua=mailto:tlsrpt@example.com\"");
  EXPECT_EQ(e[2]["recordType"], "A");
  EXPECT_EQ(e[2]["targets"][0], "192.0.2.1");
  EXPECT_EQ(e[3]["recordType"], "AAAA");
  EXPECT_EQ(AnnouncedId(*quoted, "example.com"), "20261130T000000Z1234abcd");

  settings.txt_quoting = TxtQuoting::kBare;
  const auto bare = DesiredDnsEndpoint(kOwner, spec, "abc", settings);
  EXPECT_EQ((*bare)["spec"]["endpoints"][0]["targets"][0], "v=STSv1; id=abc");
  EXPECT_EQ(AnnouncedId(*bare, "example.com"), "abc");
}

TEST(DesiredTest, PublishedRuaAddsTheIntakeOnlyWhenBothAskForIt) {
  const std::string mailto = "mailto:tlsrpt@example.com";
  const std::string intake = "https://mta-sts.example.com/tlsrpt";
  struct Row {
    const char* name;
    bool ingest;
    std::string report_path;  // the operator's; empty: it receives no reports
    std::vector<std::string> rua;
    std::vector<std::string> published;
  };
  const Row rows[] = {
      {"ingest on an operator that receives reports", true, "/tlsrpt", {mailto}, {mailto, intake}},
      {"the intake named by the user too: once", true, "/tlsrpt", {intake}, {intake}},
      {"no ingest", false, "/tlsrpt", {mailto}, {mailto}},
      {"an operator that receives none", true, "", {mailto}, {mailto}},
  };
  for (const Row& row : rows) {
    spec::MtaStsPolicySpec spec = Spec();
    spec.tls_rpt = spec::TlsRpt{row.rua, row.ingest};
    DesiredSettings settings;
    settings.report_path = row.report_path;
    EXPECT_EQ(PublishedRua(spec, settings), row.published) << row.name;
  }
  spec::MtaStsPolicySpec spec = Spec();
  spec.tls_rpt = spec::TlsRpt{{mailto}, true};
  DesiredSettings settings;
  settings.report_path = "/tlsrpt";
  const auto endpoint = DesiredDnsEndpoint(kOwner, spec, std::nullopt, settings);
  ASSERT_TRUE(endpoint.ok());
  EXPECT_EQ((*endpoint)["spec"]["endpoints"][0]["targets"][0],
            "\"v=TLSRPTv1; rua=" + mailto + "," + intake + "\"");
}

TEST(DesiredTest, AnnouncedIdOfHostileOrForeignEndpoints) {
  EXPECT_FALSE(AnnouncedId(k8s::Object::object(), "example.com"));
  EXPECT_FALSE(AnnouncedId({{"spec", {{"endpoints", "x"}}}}, "example.com"));
  const k8s::Object other = {{"spec",
                              {{"endpoints",
                                {{{"dnsName", "_mta-sts.other.com"},
                                  {"recordType", "TXT"},
                                  {"targets", {"v=STSv1; id=1"}}}}}}}};
  EXPECT_FALSE(AnnouncedId(other, "example.com"));
  const k8s::Object garbage = {{"spec",
                                {{"endpoints",
                                  {{{"dnsName", "_mta-sts.example.com"},
                                    {"recordType", "TXT"},
                                    {"targets", {"v=STSv1; id=no spaces"}}}}}}}};
  EXPECT_FALSE(AnnouncedId(garbage, "example.com"));
}

}  // namespace
}  // namespace mtasts::controller
