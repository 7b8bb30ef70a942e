// What the pure RFC 8461/8460 code costs per call, for a validator that checks thousands of
// domains: policy parse and render, TXT selection and parse, MX coverage, report parse.
//   build/tests/bench/policy_bench [iterations]
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <random>
#include <string>
#include <vector>

#include "../unit/policy/random_policy.h"
#include "policy/mx_pattern.h"
#include "policy/policy_file.h"
#include "policy/sts_record.h"
#include "tlsrpt/report.h"

namespace {

using namespace mtasts;

// Runs `body` `n` times and prints the mean CPU time per call (CPU time, not wall time, so a
// busy machine inflates the figure less).
template <typename Body>
void Measure(const char* what, int n, Body body) {
  size_t sink = 0;
  std::clock_t start = std::clock();
  for (int i = 0; i < n; ++i) sink += body(i);
  double ns = 1e9 * static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  std::printf("%-38s %9.0f ns/call  (%d calls, checksum %zu)\n", what, ns / n, n, sink);
}

constexpr char kReport[] =
    R"({"organization-name":"Company-X","date-range":{"start-datetime":"2016-04-01T00:00:00Z",)"
    R"("end-datetime":"2016-04-01T23:59:59Z"},"contact-info":"sts-reporting@company-x.example",)"
    R"("report-id":"5065427c","policies":[{"policy":{"policy-type":"sts","policy-string":)"
    R"(["version: STSv1","mode: testing","mx: *.mail.company-y.example","max_age: 86400"],)"
    R"("policy-domain":"company-y.example","mx-host":["*.mail.company-y.example"]},"summary":)"
    R"({"total-successful-session-count":5326,"total-failure-session-count":303},)"
    R"("failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"2001:db8::1",)"
    R"("receiving-mx-hostname":"mx1.mail.company-y.example","failed-session-count":100}]}]})";

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 100000;
  if (n <= 0) {
    std::fprintf(stderr, "usage: %s [iterations > 0]\n", argv[0]);
    return 2;
  }
  std::mt19937 rng(20261128);
  std::vector<policy::Policy> policies;
  std::vector<std::string> bodies;
  for (int i = 0; i < 1000; ++i) {
    policies.push_back(policy::RandomPolicy(rng));
    bodies.push_back(*policy::RenderPolicy(policies.back()));
  }
  Measure("ParsePolicy (generated, ~170 B)", n,
          [&](int i) { return policy::ParsePolicy(bodies[i % 1000]).issues.size(); });
  Measure("RenderPolicy", n,
          [&](int i) { return policy::RenderPolicy(policies[i % 1000])->size(); });
  policy::TxtRrset rrset = {{"v=spf1 mx -all"}, {"v=STSv1; id=2024", "0501T120000Z"}};
  Measure("ReadStsRecord (2-RR RRset)", n,
          [&](int) { return policy::ReadStsRecord(rrset).value->id.size(); });
  std::vector<std::string> mx = {"mx1.example.com", "mx2.example.com", "*.mail.example.net"};
  Measure("MxHostCovered (3 patterns)", n, [&](int i) {
    return static_cast<size_t>(policy::MxHostCovered(mx, i % 2 ? "b7.MAIL.example.net." : "x.io"));
  });
  Measure("ParseReport (RFC 8460 App. B, strict)", n / 10, [&](int) {
    return tlsrpt::ParseReport(kReport, tlsrpt::ReportParseMode::kStrict)->report.policies.size();
  });
  return 0;
}
