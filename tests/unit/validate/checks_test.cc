// Every check, judged on a hand-made domain with exactly one thing changed: the finding codes,
// their severities and enforce_ready are asserted (the scenario tests do the same on the wire).
#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <set>
#include <string>

#include "good_domain.h"
#include "validate/evaluate.h"

namespace mtasts::validate {
namespace {

using test_data::GoodAddress;
using test_data::GoodDomain;
using test_data::TestNow;

struct Case {
  std::string name;
  std::function<void(Observations&)> change;
  std::set<std::string> errors;
  std::set<std::string> warnings;
  std::set<std::string> infos = {};
};

std::set<std::string> Codes(const Report& r, Severity severity) {
  std::set<std::string> out;
  for (const Finding& f : r.findings) {
    if (f.severity == severity) out.insert(std::string(FindingCodeName(f.code)));
  }
  return out;
}

PolicyFetchObservation FailedFetch(const Observations& o, PolicyFetchObservation::Failure failure,
                                   const std::string& error) {
  PolicyFetchObservation fetch;
  fetch.url = o.policy.url;
  fetch.failure = failure;
  fetch.error = error;
  return fetch;
}

const std::string kPolicyHead = "version: STSv1\r\nmode: enforce\r\n";
const std::string kBothMx = "mx: mx1.example.com\r\nmx: mx2.example.com\r\n";

const Case kCases[] = {
    {"Healthy", [](Observations&) {}, {}, {}},
    {"StsTxtMissing",
     [](Observations& o) { o.sts_txt.lookup = Lookup::kNoRecords, o.sts_txt.records = {}; },
     {"sts-txt-missing"},
     {}},
    {"StsTxtOnlyOtherRecords",
     [](Observations& o) { o.sts_txt.records = {{"v=spf1 -all"}}; },
     {"sts-txt-missing"},
     {}},
    {"StsTxtMultiple",
     [](Observations& o) { o.sts_txt.records.push_back({"v=STSv1; id=older"}); },
     {"sts-txt-multiple"},
     {}},
    {"StsTxtLookalike",
     [](Observations& o) { o.sts_txt.records.push_back({"v=STSv1"}); },
     {},
     {"sts-txt-multiple"}},
    {"StsTxtBadId",
     [](Observations& o) { o.sts_txt.records = {{"v=STSv1; id=2026-11-28"}}; },
     {"sts-txt-invalid"},
     {}},
    {"StsTxtSplitStrings",
     [](Observations& o) {
       o.sts_txt.records = {{"v=STSv1; ", "id=abc"}};
     },
     {},
     {}},
    {"StsTxtServfail",
     [](Observations& o) {
       o.sts_txt.lookup = Lookup::kTemporaryFailure, o.sts_txt.records = {};
       o.sts_txt.error = "SERVFAIL";
     },
     {"dns-temporary-failure"},
     {}},
    {"TlsRptMissing",
     [](Observations& o) { o.tlsrpt_txt.lookup = Lookup::kNoRecords, o.tlsrpt_txt.records = {}; },
     {},
     {"tlsrpt-txt-missing"}},
    {"TlsRptNoRua",
     [](Observations& o) { o.tlsrpt_txt.records = {{"v=TLSRPTv1;"}}; },
     {},
     {"tlsrpt-txt-invalid"}},
    {"TlsRptTwice",
     [](Observations& o) {
       o.tlsrpt_txt.records.push_back({"v=TLSRPTv1; rua=mailto:x@y.example"});
     },
     {},
     {"tlsrpt-txt-invalid"}},
    {"PolicyHostNoAddress",
     [](Observations& o) {
       o.policy = FailedFetch(o, PolicyFetchObservation::Failure::kResolve, "NXDOMAIN");
     },
     {"sts-policy-fetch-error"},
     {}},
    {"PolicyHostLookupFails",
     [](Observations& o) {
       o.policy = FailedFetch(o, PolicyFetchObservation::Failure::kResolveTemporary, "SERVFAIL");
     },
     {"dns-temporary-failure"},
     {}},
    {"PolicyHostRefuses",
     [](Observations& o) {
       o.policy = FailedFetch(o, PolicyFetchObservation::Failure::kConnect, "refused");
     },
     {"sts-policy-fetch-error"},
     {}},
    {"Policy404",
     [](Observations& o) { o.policy.http_status = 404, o.policy.body = "nope"; },
     {"sts-policy-fetch-error"},
     {}},
    {"PolicyRedirect",
     [](Observations& o) {
       o.policy.http_status = 301, o.policy.location = "https://www.example.com/";
       o.policy.body = "";
     },
     {"sts-policy-fetch-error"},
     {}},
    {"PolicyTooLarge",
     [](Observations& o) { o.policy.failure = PolicyFetchObservation::Failure::kTooLarge; },
     {"sts-policy-fetch-error"},
     {}},
    {"PolicyHostWrongName",
     [](Observations& o) {
       o.policy.failure = PolicyFetchObservation::Failure::kCertificate;
       o.policy.cert->leaf.dns_names = {"other.example.net"};
     },
     {"sts-webpki-invalid"},
     {}},
    {"PolicyHostExpired",
     [](Observations& o) {
       o.policy.failure = PolicyFetchObservation::Failure::kCertificate;
       o.policy.cert->leaf.not_after = TestNow() - std::chrono::days{1};
     },
     {"sts-webpki-invalid"},
     {}},
    {"PolicyHostExpiring",
     [](Observations& o) { o.policy.cert->leaf.not_after = TestNow() + std::chrono::days{20}; },
     {},
     {"certificate-expiring"}},
    {"PolicyNotTextPlain",
     [](Observations& o) { o.policy.content_type = "text/html"; },
     {"sts-policy-invalid"},
     {}},
    // Whether the response may carry a policy is policy::CheckPolicyResponse's call, here too.
    {"PolicyTextPlainAnyCase",
     [](Observations& o) { o.policy.content_type = "Text/Plain ; Charset=UTF-8"; },
     {},
     {}},
    {"PolicyOddCharset",
     [](Observations& o) { o.policy.content_type = "text/plain; charset=iso-8859-1"; },
     {},
     {"sts-policy-invalid"}},
    {"PolicyNoContentType",
     [](Observations& o) { o.policy.content_type = ""; },
     {"sts-policy-invalid"},
     {}},
    {"PolicyNoContent",
     [](Observations& o) { o.policy.http_status = 204, o.policy.body = ""; },
     {"sts-policy-fetch-error"},
     {}},
    {"PolicyWithoutMaxAge",
     [](Observations& o) { o.policy.body = kPolicyHead + kBothMx; },
     {"sts-policy-invalid"},
     {}},
    {"PolicyDuplicateMode",
     [](Observations& o) { o.policy.body += "mode: bogus\r\n"; },
     {},
     {"sts-policy-invalid"}},
    {"MaxAgeShort",
     [](Observations& o) { o.policy.body = kPolicyHead + kBothMx + "max_age: 3600\r\n"; },
     {},
     {"max-age-short"}},
    {"MxUncovered",
     [](Observations& o) {
       o.policy.body = kPolicyHead + "mx: mx1.example.com\r\nmax_age: 1209600\r\n";
     },
     {"validation-failure"},
     {}},
    {"WildcardCoversBoth",
     [](Observations& o) {
       o.policy.body = kPolicyHead + "mx: *.example.com\r\nmax_age: 1209600\r\n";
     },
     {},
     {}},
    {"PatternUnused",
     [](Observations& o) {
       o.policy.body = kPolicyHead + kBothMx + "mx: old.example.com\r\nmax_age: 1209600\r\n";
     },
     {},
     {"mx-pattern-unused"}},
    {"MxNoAddress",
     [](Observations& o) {
       o.mx_hosts[1].address_lookup = Lookup::kNoRecords, o.mx_hosts[1].addresses = {};
     },
     {"mx-unreachable"},
     {}},
    {"MxAddressServfail",
     [](Observations& o) {
       o.mx_hosts[1].address_lookup = Lookup::kTemporaryFailure, o.mx_hosts[1].addresses = {};
     },
     {"dns-temporary-failure"},
     {}},
    {"MxRefuses",
     [](Observations& o) {
       o.mx_hosts[1].addresses[0] = {"192.0.2.2",          false, false, "", {},
                                     "connection refused", "",    false};
     },
     {"mx-unreachable"},
     {}},
    {"MxNoStartTls",
     [](Observations& o) {
       o.mx_hosts[1].addresses[0] = {"192.0.2.2", true, false, "", {}, "", "", false};
     },
     {"starttls-not-supported"},
     {}},
    {"MxTls10",
     [](Observations& o) { o.mx_hosts[0].addresses[0].tls_version = "TLSv1"; },
     {"tls-version-too-old"},
     {}},
    {"MxHandshakeFails",
     [](Observations& o) {
       o.mx_hosts[0].addresses[0].cert.reset();
       o.mx_hosts[0].addresses[0].error = "tls-handshake: alert 40";
     },
     {"validation-failure"},
     {}},
    {"MxCertExpired",
     [](Observations& o) {
       o.mx_hosts[0].addresses[0].cert->leaf.not_after = TestNow() - std::chrono::days{700};
     },
     {"certificate-expired"},
     {}},
    {"MxCertUntrusted",
     [](Observations& o) {
       o.mx_hosts[0].addresses[0].cert->chain_error = "self-signed certificate";
     },
     {"certificate-not-trusted"},
     {}},
    {"MxCertWrongName",
     [](Observations& o) {
       o.mx_hosts[0].addresses[0].cert->leaf.dns_names = {"mx.elsewhere.test"};
     },
     {"certificate-host-mismatch"},
     {}},
    {"MxCertExpiresIn7Days",
     [](Observations& o) {
       o.mx_hosts[0].addresses[0].cert->leaf.not_after = TestNow() + std::chrono::days{7};
     },
     {"certificate-expiring"},
     {}},
    {"MxCertExpiresIn20Days",
     [](Observations& o) {
       o.mx_hosts[0].addresses[0].cert->leaf.not_after = TestNow() + std::chrono::days{20};
     },
     {},
     {"certificate-expiring"}},
    {"MxServfail",
     [](Observations& o) {
       o.mx_lookup = Lookup::kTemporaryFailure, o.mx_error = "timeout", o.mx_hosts = {};
     },
     {"dns-temporary-failure"},
     {}},
    {"NullMx",
     [](Observations& o) {
       o.mx_hosts = {MxHostObservation{{"", 0}, Lookup::kFound, "", {}}};
       o.policy.body = "version: STSv1\r\nmode: none\r\nmax_age: 86400\r\n";
     },
     {},
     {},
     {"mx-null"}},
    {"NoMxImplicitDomainCovered",
     [](Observations& o) {
       o.implicit_mx = true;
       o.mx_hosts = {test_data::GoodMx("example.com", 0, "192.0.2.9")};
       o.policy.body = kPolicyHead + "mx: example.com\r\nmax_age: 1209600\r\n";
     },
     {},
     {"mx-missing"}},
    {"NoMxImplicitDomainUncovered",
     [](Observations& o) {
       o.implicit_mx = true;
       o.mx_hosts = {test_data::GoodMx("example.com", 0, "192.0.2.9")};
       o.policy.body = kPolicyHead + "mx: *.example.com\r\nmax_age: 1209600\r\n";
     },
     {"validation-failure"},
     {"mx-missing", "mx-pattern-unused"}},
    {"MxAddressPrivateRefused",  // the operator: not probed, so it cannot pass the gate
     [](Observations& o) {
       SmtpObservation& a = o.mx_hosts[0].addresses[0];
       a = SmtpObservation{};
       a.ip = "10.0.0.25", a.private_range = "private 10.0.0.0/8", a.refused = true;
     },
     {"mx-address-private"},
     {}},
    {"MxAddressPrivateProbed",  // mtasts check: probed and judged, and warned about
     [](Observations& o) { o.mx_hosts[0].addresses[0].private_range = "loopback 127.0.0.0/8"; },
     {},
     {"mx-address-private"}},
    {"PolicyAddressPrivateRefused",
     [](Observations& o) {
       o.policy = FailedFetch(o, PolicyFetchObservation::Failure::kPrivateAddress,
                              "mta-sts.example.com has only special-purpose addresses");
       o.policy.private_range = "link-local 169.254.0.0/16";
     },
     {"policy-address-private"},
     {}},
    {"PolicyAddressPrivateProbed",
     [](Observations& o) { o.policy.private_range = "private 192.168.0.0/16"; },
     {},
     {"policy-address-private"}},
};

class ChecksTest : public ::testing::TestWithParam<Case> {};

TEST_P(ChecksTest, FindsExactlyTheExpectedCodes) {
  const Case& c = GetParam();
  Observations obs = GoodDomain();
  c.change(obs);
  const Report r = Evaluate(obs);
  EXPECT_EQ(Codes(r, Severity::kError), c.errors);
  EXPECT_EQ(Codes(r, Severity::kWarning), c.warnings);
  EXPECT_EQ(Codes(r, Severity::kInfo), c.infos);
  EXPECT_EQ(r.enforce_ready, c.errors.empty());
  for (const Finding& f : r.findings) {
    EXPECT_FALSE(f.target.empty()) << f.message;
    EXPECT_GT(f.message.size(), 40u) << "a finding says how to fix it: " << f.message;
  }
}

INSTANTIATE_TEST_SUITE_P(Each, ChecksTest, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });

TEST(ChecksTest, UncoveredMxMessageNamesTheFix) {
  Observations obs = GoodDomain();
  obs.policy.body = kPolicyHead + "mx: mx1.example.com\r\nmax_age: 1209600\r\n";
  const Report r = Evaluate(obs);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].target, "mx2.example.com");
  EXPECT_EQ(r.findings[0].message,
            "mx2.example.com (priority 20) is not covered by any mx pattern; add \"mx: "
            "mx2.example.com\" or \"mx: *.example.com\" to the policy, or senders in enforce "
            "mode refuse to deliver to it");
}

// One verdict per certificate (probe::JudgeCertificate): the check's finding and the report's
// per-address line can never disagree, and a certificate with several problems gets one finding,
// the first a strict sender hits: trust, then dates, then name.
TEST(ChecksTest, FindingAndAddressLineAgreeOnEveryCertificate) {
  struct CertCase {
    const char* name;
    std::function<void(CertFacts&)> change;
    std::optional<FindingCode> finding;  // the one certificate finding for the address
    Severity severity = Severity::kError;
  };
  const CertCase cases[] = {
      {"Good", [](CertFacts&) {}, std::nullopt},
      {"ExpiredAndWrongName",
       [](CertFacts& c) {
         c.leaf.not_after = TestNow() - std::chrono::days{1};
         c.leaf.dns_names = {"other.example.net"};
       },
       FindingCode::kCertificateExpired},
      {"UntrustedAndExpired",
       [](CertFacts& c) {
         c.leaf.not_after = TestNow() - std::chrono::days{1};
         c.chain_error = "self-signed certificate";
       },
       FindingCode::kCertificateNotTrusted},
      {"NotYetValid", [](CertFacts& c) { c.leaf.not_before = TestNow() + std::chrono::days{1}; },
       FindingCode::kCertificateExpired},
      {"WrongName", [](CertFacts& c) { c.leaf.dns_names = {"other.example.net"}; },
       FindingCode::kCertificateHostMismatch},
      {"ExpiresIn7Days", [](CertFacts& c) { c.leaf.not_after = TestNow() + std::chrono::days{7}; },
       FindingCode::kCertificateExpiring},
      {"ExpiresIn20Days",
       [](CertFacts& c) { c.leaf.not_after = TestNow() + std::chrono::days{20}; },
       FindingCode::kCertificateExpiring, Severity::kWarning},
  };
  for (const CertCase& c : cases) {
    Observations obs = GoodDomain();
    c.change(*obs.mx_hosts[0].addresses[0].cert);
    const Report r = Evaluate(obs);
    std::vector<Finding> about;
    for (const Finding& f : r.findings) {
      if (f.target == "192.0.2.1") about.push_back(f);
    }
    const std::string line =
        AddressProblem(obs.mx_hosts[0], obs.mx_hosts[0].addresses[0], obs.now, {});
    if (!c.finding) {
      EXPECT_TRUE(about.empty()) << c.name;
      EXPECT_EQ(line, "") << c.name;
      continue;
    }
    ASSERT_EQ(about.size(), 1u) << c.name;
    EXPECT_EQ(about[0].code, *c.finding) << c.name;
    EXPECT_EQ(about[0].severity, c.severity) << c.name;
    EXPECT_EQ(line.empty(), c.severity != Severity::kError) << c.name << ": " << line;
  }
}

TEST(ChecksTest, EachCheckRunsAloneWithoutIo) {
  Observations obs = GoodDomain();
  obs.mx_hosts[1].addresses[0] = GoodAddress("192.0.2.2", "mx2.example.com");
  obs.mx_hosts[1].addresses[0].starttls_offered = false;
  const Analysis analysis = Analyze(obs);
  Findings findings;
  CheckStartTls(Input{obs, analysis, {}}, &findings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].code, FindingCode::kStartTlsNotSupported);
  findings.clear();
  CheckMxCoverage(Input{obs, analysis, {}}, &findings);
  EXPECT_TRUE(findings.empty());
}

TEST(ChecksTest, RefusedPrivateAddressSaysWhyAndIsNotCalledUnreachable) {
  Observations obs = GoodDomain();
  SmtpObservation& a = obs.mx_hosts[0].addresses[0];
  a = SmtpObservation{};
  a.ip = "169.254.169.254", a.private_range = "link-local 169.254.0.0/16", a.refused = true;
  const Report r = Evaluate(obs);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].code, FindingCode::kMxAddressPrivate);
  EXPECT_EQ(r.findings[0].severity, Severity::kError);
  EXPECT_EQ(r.findings[0].target, "169.254.169.254");
  EXPECT_EQ(r.findings[0].message,
            "mx1.example.com has the address 169.254.169.254 in the link-local 169.254.0.0/16 "
            "range (not probed), which public senders cannot reach; publish the MX's public "
            "address instead");
  EXPECT_EQ(AddressProblem(obs.mx_hosts[0], a, obs.now, {}),
            "not probed: link-local 169.254.0.0/16 is not public");
}

}  // namespace
}  // namespace mtasts::validate
