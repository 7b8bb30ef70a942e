// What the TLS-RPT intake costs: reports per second through ReportIntake::Post (gzip, as senders
// post them), the same through the operator's HTTP server on loopback (one connection per
// report, as senders do), and the memory of many domains' full windows (14 daily buckets, each
// with several reports, result types and MX hosts) with the size of their persisted JSON.
//   build/tests/bench/report_bench [domains]      (default 10000)
#include <arpa/inet.h>
#include <malloc.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <tuple>
#include <vector>

#include "base/clock.h"
#include "base/utc_time.h"
#include "controller/report_intake.h"
#include "fakes/gzip.h"
#include "http/server.h"
#include "tlsrpt/window.h"

namespace {

using namespace mtasts;
using std::chrono::days;
using std::chrono::sys_days;

long HeapBytes() {
  malloc_trim(0);
  return static_cast<long>(mallinfo2().uordblks);
}

std::string ReportJson(const std::string& id, const std::string& domain, const std::string& day) {
  return R"({"organization-name":"Company-X","date-range":{"start-datetime":")" + day +
         R"(T00:00:00Z","end-datetime":")" + day +
         R"(T23:59:59Z"},"contact-info":"tlsrpt@company-x.example","report-id":")" + id +
         R"(","policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1",)"
         R"("mode: testing"],"policy-domain":")" +
         domain +
         R"("},"summary":{"total-successful-session-count":5326,"total-failure-session-count":3},)"
         R"("failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1",)"
         R"("receiving-mx-hostname":"mx1.)" +
         domain +
         R"(","failed-session-count":2},{"result-type":"starttls-not-supported",)"
         R"("sending-mta-ip":"192.0.2.2","receiving-mx-hostname":"mx2.)" +
         domain + R"(","failed-session-count":1}]}]})";
}

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// One POST on a new connection; the status code.
int PostOnce(int port, const std::string& body) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  const std::string request =
      "POST /tlsrpt HTTP/1.1\r\nHost: mta-sts.example.com\r\n"
      "Content-Type: application/tlsrpt+gzip\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  (void)!write(fd, request.data(), request.size());
  char buffer[512];
  const ssize_t n = read(fd, buffer, sizeof buffer);
  close(fd);
  return n > 12 ? std::atoi(buffer + 9) : -1;
}

}  // namespace

int main(int argc, char** argv) {
  const int domains = argc > 1 ? std::atoi(argv[1]) : 10000;
  if (domains <= 0) {
    std::fprintf(stderr, "usage: %s [domains > 0]\n", argv[0]);
    return 2;
  }
  const sys_days today = std::chrono::floor<days>(std::chrono::system_clock::now());
  const std::string day = FormatDate(today);
  FakeClock clock(today);
  controller::ReportIntake intake(clock, [](std::string_view) { return true; });

  // 1. Reports per second through Post (inflate, parse, count), each a new report id.
  const int n = 20000;
  std::vector<std::string> bodies;
  for (int i = 0; i < 100; ++i) {
    bodies.push_back(tlsrpt::testing::Gzip(
        ReportJson("id-" + std::to_string(i), "d" + std::to_string(i) + ".example", day)));
  }
  auto start = std::chrono::steady_clock::now();
  int ok = 0;
  for (int i = 0; i < n; ++i) {
    std::string json =
        ReportJson("r" + std::to_string(i), "d" + std::to_string(i % 100) + ".example", day);
    http::Request request{"POST",
                          "/tlsrpt",
                          "",
                          {{"content-type", "application/tlsrpt+gzip"}},
                          tlsrpt::testing::Gzip(json)};
    ok += intake.Post(request).status == 200 ? 1 : 0;
  }
  double s = Seconds(std::chrono::steady_clock::now() - start);
  std::printf("intake, in process (gzip+compress included): %8.0f reports/s  (%d of %d 200)\n",
              n / s, ok, n);

  // 2. Through the HTTP server on loopback, a connection per report.
  http::Server server("127.0.0.1:0");
  server.Handle(
      "POST", "/tlsrpt", [&](const http::Request& r) { return intake.Post(r); },
      controller::kMaxReportPostBytes);
  if (!server.Start().ok()) return 1;
  const int m = 5000;
  ok = 0;
  start = std::chrono::steady_clock::now();
  for (int i = 0; i < m; ++i) ok += PostOnce(server.port(), bodies[i % 100]) == 200 ? 1 : 0;
  s = Seconds(std::chrono::steady_clock::now() - start);
  std::printf("intake, HTTP on loopback (a connection each): %7.0f reports/s  (%d of %d 200)\n",
              m / s, ok, m);
  server.Stop();

  // 3. Memory of full windows: 14 days x 4 reports a day, 2 result types, 2 MX hosts.
  const long before = HeapBytes();
  std::vector<tlsrpt::ReportWindow> windows(static_cast<size_t>(domains));
  size_t json_bytes = 0;
  for (int d = 0; d < domains; ++d) {
    const std::string domain = "d" + std::to_string(d) + ".example";
    for (int k = 0; k < 14; ++k) {
      for (int r = 0; r < 4; ++r) {
        tlsrpt::Report report;
        report.organization_name = "Company-" + std::to_string(r);
        report.report_id = std::to_string(k) + "-" + std::to_string(r);
        report.start = today - days(k);
        tlsrpt::PolicyResult p;
        p.policy_domain = domain;
        p.total_successful_session_count = 5000;
        p.total_failure_session_count = 3;
        for (const auto& [type, mx, count] : {std::tuple{"certificate-expired", "mx1.", 2},
                                              {"starttls-not-supported", "mx2.", 1}}) {
          tlsrpt::FailureDetail f;
          f.result_type = type;
          f.receiving_mx_hostname = mx + domain;
          f.failed_session_count = count;
          p.failure_details.push_back(f);
        }
        report.policies.push_back(p);
        windows[static_cast<size_t>(d)].Add(report, domain, today);
      }
    }
    if (d < 100) json_bytes += windows[static_cast<size_t>(d)].ToJson().dump().size();
  }
  const long after = HeapBytes();
  std::printf("windows of %d domains (14 days x 4 reports):  %8.1f MiB heap, %.0f B/domain\n",
              domains, static_cast<double>(after - before) / (1 << 20),
              static_cast<double>(after - before) / domains);
  std::printf("a full window persisted as JSON:               %8zu B/domain\n", json_bytes / 100);
  return 0;
}
