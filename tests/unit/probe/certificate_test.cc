#include "probe/certificate.h"

#include <gtest/gtest.h>

#include "probe/result_type.h"

namespace mtasts::probe {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

struct NameCase {
  const char* pattern;
  const char* host;
  bool match;
};

// RFC 6125 DNS-ID matching as RFC 8461 restricts it.
const NameCase kNameCases[] = {
    {"mx1.example.com", "mx1.example.com", true},               // exact
    {"MX1.Example.COM", "mx1.example.com", true},               // case-insensitive
    {"mx1.example.com", "MX1.EXAMPLE.COM", true},               // both ways
    {"mx1.example.com.", "mx1.example.com", true},              // trailing dot on the pattern
    {"mx1.example.com", "mx1.example.com.", true},              // trailing dot on the host
    {"mx1.example.com", "mx2.example.com", false},              // another name
    {"example.com", "mx1.example.com", false},                  // no implicit subdomains
    {"*.example.com", "mx1.example.com", true},                 // wildcard stands for one label
    {"*.example.com", "MX1.example.com.", true},                // ... case and dot still apply
    {"*.example.com", "a.b.example.com", false},                // never two labels
    {"*.example.com", "example.com", false},                    // never zero labels
    {"*.example.com", ".example.com", false},                   // an empty label is not a label
    {"mx*.example.com", "mx1.example.com", false},              // no partial wildcard
    {"*mx.example.com", "amx.example.com", false},              // no partial wildcard either side
    {"xn--*.example.com", "xn--bcher-kva.example.com", false},  // no wildcard in an A-label
    {"*.xn--bcher-kva.example", "mx.xn--bcher-kva.example", true},  // A-label parent is fine
    {"*.example.com", "xn--bcher-kva.example.com", true},           // wildcard over an A-label host
    {"mx1.*.example.com", "mx1.a.example.com", false},              // only the left-most label
    {"*.*.example.com", "a.b.example.com", false},                  // only one wildcard
    {"*.com", "example.com", false},                                // too broad to mean anything
    {"*", "localhost", false},
    {"", "mx1.example.com", false},
    {"mx1.example.com", "", false},
    {"192.0.2.1", "mx1.example.com", false},
};

TEST(CertificateTest, DnsIdMatchesTable) {
  for (const NameCase& c : kNameCases) {
    EXPECT_EQ(DnsIdMatches(c.pattern, c.host), c.match) << c.pattern << " vs " << c.host;
  }
}

CertificateFacts Cert(std::vector<std::string> dns, std::vector<std::string> ips = {},
                      std::string subject = "CN=mx1.example.com") {
  CertificateFacts c;
  c.subject = std::move(subject);
  c.issuer = "CN=Test CA";
  c.dns_names = std::move(dns);
  c.ip_addresses = std::move(ips);
  c.not_before = std::chrono::system_clock::from_time_t(1'700'000'000);
  c.not_after = c.not_before + hours(24 * 90);
  return c;
}

TEST(CertificateTest, OnlySanDnsNamesCount) {
  // CN-only: the subject names the host but there is no DNS-ID, so it fails.
  EXPECT_FALSE(CertificateNamesHost(Cert({}), "mx1.example.com"));
  // CN ignored when a SAN is present, even if the CN would match.
  EXPECT_FALSE(CertificateNamesHost(Cert({"other.example.com"}), "mx1.example.com"));
  EXPECT_TRUE(
      CertificateNamesHost(Cert({"other.example.com", "mx1.example.com"}), "mx1.example.com"));
  // An IP SAN never matches a name, not even one that looks like it.
  EXPECT_FALSE(CertificateNamesHost(Cert({}, {"192.0.2.1"}), "192.0.2.1"));
  EXPECT_FALSE(CertificateNamesHost(Cert({}, {"192.0.2.1"}), "mx1.example.com"));
}

TEST(CertificateTest, Validity) {
  CertificateFacts c = Cert({"mx1.example.com"});
  const seconds horizon = hours(24 * 14);
  EXPECT_EQ(CheckValidity(c, c.not_before - seconds(1), horizon), Validity::kNotYetValid);
  EXPECT_EQ(CheckValidity(c, c.not_before, horizon), Validity::kValid);
  EXPECT_EQ(CheckValidity(c, c.not_after - hours(24 * 15), horizon), Validity::kValid);
  EXPECT_EQ(CheckValidity(c, c.not_after - hours(24 * 13), horizon), Validity::kExpiringSoon);
  EXPECT_EQ(CheckValidity(c, c.not_after, horizon), Validity::kExpiringSoon);  // inclusive
  EXPECT_EQ(CheckValidity(c, c.not_after + seconds(1), horizon), Validity::kExpired);
  EXPECT_EQ(CheckValidity(c, c.not_after - hours(1), seconds(0)), Validity::kValid);
}

// The one certificate verdict, as a table: trust, then dates, then name, then the horizons.
struct VerdictCase {
  const char* name;
  const char* chain_error;
  std::vector<std::string> dns_names;
  hours from_not_after;  // now = notAfter + this
  CertificateVerdict::Problem problem;
  CertificateVerdict::Expiry expiry;
  const char* summary;
  ResultType result_type;
};

using P = CertificateVerdict::Problem;
using E = CertificateVerdict::Expiry;
const VerdictCase kVerdictCases[] = {
    {"Good",
     "",
     {"mx1.example.com"},
     hours(-24 * 40),
     P::kNone,
     E::kFine,
     "",
     ResultType::kSuccess},
    {"UntrustedBeatsEverything",
     "self-signed certificate",
     {"wrong.example.com"},
     hours(1),
     P::kUntrusted,
     E::kFine,
     "certificate not trusted: self-signed certificate",
     ResultType::kCertificateNotTrusted},
    {"ExpiredBeatsWrongName",
     "",
     {"wrong.example.com"},
     hours(1),
     P::kExpired,
     E::kFine,
     "certificate expired",
     ResultType::kCertificateExpired},
    {"NotYetValidIsExpired",
     "",
     {"mx1.example.com"},
     hours(-24 * 400),
     P::kExpired,
     E::kFine,
     "certificate not yet valid",
     ResultType::kCertificateExpired},
    {"WrongNameBeatsHorizons",
     "",
     {"wrong.example.com"},
     hours(-24 * 3),
     P::kNameMismatch,
     E::kFine,
     "certificate not valid for mx1.example.com",
     ResultType::kCertificateHostMismatch},
    {"WildcardNames",
     "",
     {"*.example.com"},
     hours(-24 * 40),
     P::kNone,
     E::kFine,
     "",
     ResultType::kSuccess},
    {"WithinWarnHorizon",
     "",
     {"mx1.example.com"},
     hours(-24 * 20),
     P::kNone,
     E::kWarn,
     "certificate expires soon",
     ResultType::kSuccess},
    {"WithinBlockHorizon",
     "",
     {"mx1.example.com"},
     hours(-24 * 3),
     P::kNone,
     E::kBlock,
     "certificate expires soon",
     ResultType::kSuccess},
    {"LastSecondIsStillValid",
     "",
     {"mx1.example.com"},
     hours(0),
     P::kNone,
     E::kBlock,
     "certificate expires soon",
     ResultType::kSuccess},
};

TEST(CertificateTest, JudgeOrdersTrustThenDatesThenNameThenHorizons) {
  const CertificateHorizons horizons{hours(24 * 14), hours(24 * 30)};
  for (const VerdictCase& c : kVerdictCases) {
    TlsFacts tls;
    tls.leaf = Cert(c.dns_names);
    tls.chain_error = c.chain_error;
    const CertificateVerdict v =
        JudgeCertificate(tls, "mx1.example.com", tls.leaf.not_after + c.from_not_after, horizons);
    EXPECT_EQ(v.problem, c.problem) << c.name;
    EXPECT_EQ(v.expiry, c.expiry) << c.name;
    EXPECT_EQ(v.summary, c.summary) << c.name;
    EXPECT_EQ(ResultTypeOf(v.problem), c.result_type) << c.name;
    EXPECT_EQ(v.detail.empty(), c.problem == P::kNone && c.expiry == E::kFine) << c.name;
  }
}

TEST(CertificateTest, JudgeSaysHowToFix) {
  TlsFacts tls;
  tls.leaf = Cert({"mx1.example.com"});
  CertificateVerdict v = JudgeCertificate(tls, "mx1.example.com",
                                          tls.leaf.not_after - hours(24 * 3), {hours(24 * 14)});
  EXPECT_NE(v.detail.find("in 3 days, sooner than the 14-day horizon; renew it"), std::string::npos)
      << v.detail;
  tls.chain_error = "unable to get local issuer certificate";
  v = JudgeCertificate(tls, "mx1.example.com", tls.leaf.not_after, {});
  EXPECT_NE(v.detail.find("serve the full chain"), std::string::npos) << v.detail;
}

TEST(ResultTypeTest, Rfc8460Names) {
  EXPECT_EQ(ResultTypeName(ResultType::kStarttlsNotSupported), "starttls-not-supported");
  EXPECT_EQ(ResultTypeName(ResultType::kCertificateHostMismatch), "certificate-host-mismatch");
  EXPECT_EQ(ResultTypeName(ResultType::kCertificateExpired), "certificate-expired");
  EXPECT_EQ(ResultTypeName(ResultType::kCertificateNotTrusted), "certificate-not-trusted");
  EXPECT_EQ(ResultTypeName(ResultType::kValidationFailure), "validation-failure");
  EXPECT_EQ(ResultTypeName(ResultType::kStsPolicyFetchError), "sts-policy-fetch-error");
  EXPECT_EQ(ResultTypeName(ResultType::kStsPolicyInvalid), "sts-policy-invalid");
  EXPECT_EQ(ResultTypeName(ResultType::kStsWebpkiInvalid), "sts-webpki-invalid");
}

}  // namespace
}  // namespace mtasts::probe
