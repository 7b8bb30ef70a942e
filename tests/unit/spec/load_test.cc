#include "spec/load.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace mtasts::spec {
namespace {

using testing::ElementsAre;
using testing::HasSubstr;

constexpr char kHeader[] = "apiVersion: mtasts.io/v1alpha1\nkind: MtaStsPolicy\n";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> Formatted(const LoadResult& result) {
  std::vector<std::string> lines;
  for (const Diagnostic& d : result.diagnostics) lines.push_back(FormatDiagnostic(d));
  return lines;
}

TEST(LoadTest, ExampleLoadsWithEveryField) {
  LoadResult result = LoadMtaStsPolicy(ReadFile(MTASTS_EXAMPLE_FILE));
  ASSERT_TRUE(result.policy) << testing::PrintToString(Formatted(result));
  EXPECT_TRUE(result.diagnostics.empty()) << testing::PrintToString(Formatted(result));
  const MtaStsPolicy& p = *result.policy;
  EXPECT_EQ(p.name, "example-com");
  EXPECT_EQ(p.namespace_, "mail");
  EXPECT_EQ(p.spec.domain, "example.com");
  EXPECT_EQ(p.spec.mode, policy::Mode::kEnforce);
  EXPECT_THAT(p.spec.mx, ElementsAre("mx1.example.com", "*.mail.example.com"));
  EXPECT_EQ(p.spec.max_age, 1209600);
  EXPECT_EQ(p.spec.rollout.testing_period, std::chrono::hours(168));
  EXPECT_EQ(p.spec.rollout.testing_max_age, 86400);
  EXPECT_TRUE(p.spec.rollout.auto_promote);
  EXPECT_EQ(p.spec.rollout.on_mx_drift, MxDriftAction::kDemote);
  ASSERT_TRUE(p.spec.tls_rpt);
  EXPECT_THAT(p.spec.tls_rpt->rua, ElementsAre("mailto:tlsrpt@example.com"));
  EXPECT_TRUE(p.spec.tls_rpt->ingest);
  ASSERT_TRUE(p.spec.certificate_issuer);
  EXPECT_EQ(p.spec.certificate_issuer->name, "letsencrypt");
  EXPECT_EQ(p.spec.certificate_issuer->kind, "ClusterIssuer");
  EXPECT_EQ(p.spec.certificate_issuer->group, "cert-manager.io");  // defaulted
  EXPECT_EQ(p.spec.dns.ttl, 300);
  EXPECT_EQ(p.spec.removal, RemovalStrategy::kGraceful);
}

TEST(LoadTest, AppliesEveryDefault) {
  LoadResult result =
      LoadMtaStsPolicy(std::string(kHeader) + "spec: {domain: example.org, mode: testing}\n");
  ASSERT_TRUE(result.policy);
  const MtaStsPolicySpec& s = result.policy->spec;
  EXPECT_TRUE(s.mx.empty());
  EXPECT_EQ(s.max_age, 1209600);
  EXPECT_EQ(s.rollout.testing_period, std::chrono::hours(168));
  EXPECT_EQ(s.rollout.testing_max_age, 86400);
  EXPECT_TRUE(s.rollout.auto_promote);
  EXPECT_EQ(s.rollout.on_mx_drift, MxDriftAction::kDemote);
  EXPECT_EQ(s.rollout.min_cert_validity, std::chrono::hours(336));
  EXPECT_EQ(s.rollout.max_failure_rate, 100);  // 1%
  EXPECT_EQ(s.rollout.min_reported_sessions, 0);
  EXPECT_FALSE(s.tls_rpt);
  EXPECT_FALSE(s.certificate_issuer);
  EXPECT_EQ(s.dns.provider, "ExternalDNS");
  EXPECT_EQ(s.dns.ttl, 300);
  EXPECT_EQ(s.removal, RemovalStrategy::kGraceful);
  // Without tlsRpt the resource is valid, but lint says what is lost.
  EXPECT_THAT(Formatted(result), ElementsAre(HasSubstr("warning: spec.tlsRpt: not set")));
}

struct BadCase {
  std::string name;
  std::string spec_body;   // the lines under "spec:", starting at line 4
  std::string diagnostic;  // the one expected error, formatted
};

class LoadErrorTest : public testing::TestWithParam<BadCase> {};

TEST_P(LoadErrorTest, ReportsOneExactError) {
  const std::string yaml = std::string(kHeader) + "spec:\n" + GetParam().spec_body;
  LoadResult result = LoadMtaStsPolicy(yaml);
  EXPECT_FALSE(result.policy);
  std::vector<std::string> errors;
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Severity::kError) errors.push_back(FormatDiagnostic(d));
  }
  EXPECT_THAT(errors, ElementsAre(GetParam().diagnostic));
}

const char kOk[] = "  domain: example.com\n  mode: enforce\n";

INSTANTIATE_TEST_SUITE_P(
    Schema, LoadErrorTest,
    testing::Values(
        BadCase{"UnknownFieldSuggests", std::string(kOk) + "  rollout:\n    testingPerod: 48h\n",
                "7:5: error: spec.rollout.testingPerod: unknown field; did you mean "
                "testingPeriod?"},
        BadCase{"UnknownFieldLists", std::string(kOk) + "  colour: blue\n",
                "6:3: error: spec.colour: unknown field; the fields here are domain, mode, mx, "
                "maxAge, rollout, tlsRpt, certificate, dns, removal"},
        BadCase{"MissingDomain", "  mode: enforce\n",
                "4:3: error: spec.domain: required field is missing"},
        BadCase{"MaxAgeString", std::string(kOk) + "  maxAge: \"1209600\"\n",
                "6:11: error: spec.maxAge: expected an integer, got a string (\"1209600\")"},
        BadCase{"MaxAgeTooLarge", std::string(kOk) + "  maxAge: 31557601\n",
                "6:11: error: spec.maxAge: must be at most 31557600"},
        BadCase{"MaxAgeNegative", std::string(kOk) + "  maxAge: -1\n",
                "6:11: error: spec.maxAge: must be at least 0"},
        BadCase{"MaxAgeOctal", std::string(kOk) + "  maxAge: 0604800\n",
                "6:11: error: spec.maxAge: write 0604800 without leading zeros (YAML may read "
                "it as octal)"},
        BadCase{"MaxAgeFloat", std::string(kOk) + "  maxAge: 1.5e6\n",
                "6:11: error: spec.maxAge: expected an integer, got a number (\"1.5e6\")"},
        BadCase{"ModeEnum", "  domain: example.com\n  mode: enforcing\n",
                "5:9: error: spec.mode: \"enforcing\" is not one of none, testing, enforce; did "
                "you mean enforce?"},
        BadCase{"ModeCase", "  domain: example.com\n  mode: Enforce\n",
                "5:9: error: spec.mode: \"Enforce\" is not one of none, testing, enforce; did "
                "you mean enforce?"},
        BadCase{"DomainUpper", "  domain: Example.COM\n  mode: enforce\n",
                "4:11: error: spec.domain: \"Example.COM\" has upper case; write it in lower "
                "case: \"example.com\""},
        BadCase{"DomainWildcard", "  domain: \"*.example.com\"\n  mode: enforce\n",
                "4:11: error: spec.domain: \"*.example.com\" is a wildcard; a policy covers "
                "exactly one mail domain: write it without \"*.\" and add one resource per "
                "domain"},
        BadCase{"DomainIp", "  domain: 192.0.2.1\n  mode: enforce\n",
                "4:11: error: spec.domain: \"192.0.2.1\" looks like an IP address; MTA-STS "
                "applies to domain names (RFC 8461 §3.4)"},
        BadCase{"DomainNumber", "  domain: 42\n  mode: enforce\n",
                "4:11: error: spec.domain: expected a string, got an integer (\"42\"); put it "
                "in quotes if you mean the text"},
        BadCase{"MxNotList", std::string(kOk) + "  mx: mx1.example.com\n",
                "6:7: error: spec.mx: expected a list, got a string (\"mx1.example.com\")"},
        BadCase{"MxDuplicate", std::string(kOk) + "  mx: [a.example.com, a.example.com]\n",
                "6:23: error: spec.mx[1]: duplicate \"a.example.com\"; list it once"},
        BadCase{"DurationUnit", std::string(kOk) + "  rollout: {testingPeriod: 7d}\n",
                "6:28: error: spec.rollout.testingPeriod: \"7d\" is not a duration: write whole "
                "hours, minutes or seconds like 168h, 1h30m or 90s, at most 8784h"},
        BadCase{"PercentDecimals", std::string(kOk) + "  rollout: {maxFailureRate: 0.125%}\n",
                "6:29: error: spec.rollout.maxFailureRate: \"0.125%\" is not a percentage: write "
                "0% to 100% with at most two decimals, like 1% or 0.5%"},
        BadCase{"BooleanYes", std::string(kOk) + "  rollout: {autoPromote: yes}\n",
                "6:26: error: spec.rollout.autoPromote: write true or false, not yes"},
        BadCase{"RuaRequired", std::string(kOk) + "  tlsRpt: {ingest: true}\n",
                "6:11: error: spec.tlsRpt.rua: required field is missing"},
        BadCase{"RuaEmpty", std::string(kOk) + "  tlsRpt: {rua: []}\n",
                "6:17: error: spec.tlsRpt.rua: needs at least 1 item(s)"},
        BadCase{"OnMxDrift", std::string(kOk) + "  rollout: {onMxDrift: demote}\n",
                "6:24: error: spec.rollout.onMxDrift: \"demote\" is not one of Demote, Alert; "
                "did you mean Demote?"},
        BadCase{"TtlTooSmall", std::string(kOk) + "  dns: {ttl: 5}\n",
                "6:14: error: spec.dns.ttl: must be at least 30"},
        BadCase{"IssuerName", std::string(kOk) + "  certificate: {issuerRef: {kind: Issuer}}\n",
                "6:28: error: spec.certificate.issuerRef.name: required field is missing"},
        BadCase{"SpecList", "  - domain: example.com\n",
                "4:3: error: spec: expected a mapping of fields, got a list"}),
    [](const auto& info) { return info.param.name; });

// The CRD allows 253 characters, but mta-sts.<domain> must fit in 253 too.
TEST(LoadTest, DomainLeavesRoomForThePolicyHost) {
  const std::string label(60, 'a');
  const std::string fits = label + "." + label + "." + label + "." + label.substr(0, 58) + ".com";
  ASSERT_EQ(fits.size(), 245u);
  EXPECT_TRUE(
      LoadMtaStsPolicy(std::string(kHeader) + "spec: {domain: " + fits + ", mode: none}\n").policy);
  const std::string too_long = "a" + fits;
  const LoadResult result =
      LoadMtaStsPolicy(std::string(kHeader) + "spec: {domain: " + too_long + ", mode: none}\n");
  EXPECT_FALSE(result.policy);
  ASSERT_FALSE(result.diagnostics.empty());
  EXPECT_NE(FormatDiagnostic(result.diagnostics.front()).find("at most 245 are possible"),
            std::string::npos)
      << FormatDiagnostic(result.diagnostics.front());
}

TEST(LoadTest, CollectsEveryProblem) {
  LoadResult result = LoadMtaStsPolicy(
      "apiVersion: v1\nkind: Policy\nspec:\n  domain: EXAMPLE\n  mode: strict\n  foo: 1\n");
  EXPECT_FALSE(result.policy);
  EXPECT_THAT(Formatted(result),
              ElementsAre("1:13: error: apiVersion: must be mtasts.io/v1alpha1, got \"v1\"",
                          "2:7: error: kind: must be MtaStsPolicy, got \"Policy\"",
                          HasSubstr("4:11: error: spec.domain: \"EXAMPLE\" has upper case"),
                          HasSubstr("5:9: error: spec.mode: \"strict\" is not one of"),
                          HasSubstr("6:3: error: spec.foo: unknown field")));
}

TEST(LoadTest, MxAndRuaUsePolicyChecks) {
  LoadResult result = LoadMtaStsPolicy(
      std::string(kHeader) +
      "spec:\n  domain: example.com\n  mode: enforce\n  mx: [\"mx.*.example.com\"]\n"
      "  tlsRpt: {rua: [\"http://report.example.com/\"]}\n");
  std::vector<std::string> lines = Formatted(result);
  ASSERT_EQ(lines.size(), 2u) << testing::PrintToString(lines);
  EXPECT_THAT(lines[0], HasSubstr("6:8: error: spec.mx[0]: "));
  EXPECT_THAT(lines[1], HasSubstr("7:18: error: spec.tlsRpt.rua[0]: "));
}

TEST(LoadTest, WarnsOnShortMaxAgeAndIpLikeMx) {
  LoadResult result = LoadMtaStsPolicy(
      std::string(kHeader) +
      "spec:\n  domain: example.com\n  mode: enforce\n  maxAge: 3600\n  mx: [192.0.2.25]\n"
      "  tlsRpt: {rua: [\"mailto:r@example.com\"]}\n");
  ASSERT_TRUE(result.policy) << testing::PrintToString(Formatted(result));
  EXPECT_THAT(Formatted(result),
              ElementsAre(HasSubstr("6:11: warning: spec.maxAge: 3600 is under one day"),
                          HasSubstr("7:8: warning: spec.mx[0]: \"192.0.2.25\" is an IP")));
}

TEST(LoadTest, RefusesWildcardOverATopLevelDomain) {
  LoadResult result = LoadMtaStsPolicy(
      std::string(kHeader) + "spec: {domain: example.com, mode: enforce, mx: [\"*.com\"]}\n");
  EXPECT_THAT(Formatted(result),
              ElementsAre(HasSubstr("3:49: error: spec.mx[0]: \"*.com\" covers every host")));
}

TEST(LoadTest, WholeDocumentProblems) {
  EXPECT_THAT(Formatted(LoadMtaStsPolicy("")),
              ElementsAre(HasSubstr("error: expected an MtaStsPolicy")));
  EXPECT_THAT(Formatted(LoadMtaStsPolicy("- a\n- b\n")), ElementsAre(HasSubstr("got a list")));
  EXPECT_THAT(
      Formatted(LoadMtaStsPolicy("a: &x 1\n")),
      ElementsAre("1:4: error: YAML anchors (&name) are not accepted; write the value out"));
}

TEST(LoadTest, IgnoresStatusAndMetadataDetails) {
  LoadResult result = LoadMtaStsPolicy(
      std::string(kHeader) +
      "metadata: {name: x, labels: {a: b}, uid: 1}\nspec: {domain: example.com, mode: none}\n"
      "status: {effectiveMode: testing, conditions: []}\n");
  EXPECT_TRUE(result.policy) << testing::PrintToString(Formatted(result));
}

TEST(LoadTest, ParseMtaStsPolicyGivesFirstError) {
  auto loaded = ParseMtaStsPolicy(std::string(kHeader) + "spec: {mode: none}\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(), "3:7: error: spec.domain: required field is missing");
}

}  // namespace
}  // namespace mtasts::spec
