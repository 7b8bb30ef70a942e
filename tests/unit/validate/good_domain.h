// A hand-made healthy domain, the starting point of every check test: each test changes one
// thing and asserts what the checks say about it.
#pragma once

#include <chrono>
#include <string>

#include "validate/observations.h"

namespace mtasts::validate::test_data {

// 2026-11-28T12:00:00Z.
inline TimePoint TestNow() {
  using namespace std::chrono;
  return sys_days{year{2026} / 11 / 28} + hours{12};
}

inline CertFacts GoodCert(const std::string& host) {
  CertFacts cert;
  cert.version = "TLSv1.3";
  cert.leaf.subject = "CN=" + host;
  cert.leaf.dns_names = {host};
  cert.leaf.issuer = "CN=Test CA";
  cert.leaf.not_before = TestNow() - std::chrono::days{30};
  cert.leaf.not_after = TestNow() + std::chrono::days{300};
  return cert;
}

inline SmtpObservation GoodAddress(const std::string& ip, const std::string& host) {
  SmtpObservation a;
  a.ip = ip;
  a.connected = true;
  a.starttls_offered = true;
  a.tls_version = "TLSv1.3";
  a.cert = GoodCert(host);
  return a;
}

inline MxHostObservation GoodMx(const std::string& host, int priority, const std::string& ip) {
  MxHostObservation mx;
  mx.mx = {host, priority};
  mx.addresses.push_back(GoodAddress(ip, host));
  return mx;
}

// example.com: one STS record, TLS-RPT, an enforce policy covering mx1 and mx2, good STARTTLS.
inline Observations GoodDomain() {
  Observations obs;
  obs.domain = "example.com";
  obs.now = TestNow();
  obs.sts_txt = {"_mta-sts.example.com", Lookup::kFound, {{"v=STSv1; id=20261128T000000Z"}}, ""};
  obs.tlsrpt_txt = {"_smtp._tls.example.com",
                    Lookup::kFound,
                    {{"v=TLSRPTv1; rua=mailto:tlsrpt@example.com"}},
                    ""};
  obs.mx_lookup = Lookup::kFound;
  obs.mx_hosts = {GoodMx("mx1.example.com", 10, "192.0.2.1"),
                  GoodMx("mx2.example.com", 20, "192.0.2.2")};
  obs.policy.url = "https://mta-sts.example.com/.well-known/mta-sts.txt";
  obs.policy.cert = GoodCert("mta-sts.example.com");
  obs.policy.http_status = 200;
  obs.policy.content_type = "text/plain; charset=utf-8";
  obs.policy.body =
      "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: mx2.example.com\r\n"
      "max_age: 1209600\r\n";
  return obs;
}

}  // namespace mtasts::validate::test_data
