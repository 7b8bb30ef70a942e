#include "controller/report_intake.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "fakes/gzip.h"

namespace mtasts::controller {
namespace {

using ::mtasts::tlsrpt::testing::Gzip;
using ::testing::HasSubstr;

constexpr char kReport[] = R"({
  "organization-name": "Company-X",
  "date-range": {"start-datetime": "2026-11-29T00:00:00Z", "end-datetime": "2026-11-29T23:59:59Z"},
  "contact-info": "sts-reporting@company-x.example",
  "report-id": "5065427c",
  "policies": [{
    "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: testing"],
               "policy-domain": "Example.COM", "mx-host": ["mx1.example.com"]},
    "summary": {"total-successful-session-count": 90, "total-failure-session-count": 10},
    "failure-details": [{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1",
                         "receiving-mx-hostname": "mx1.example.com", "failed-session-count": 10}]
  }, {
    "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: testing"],
               "policy-domain": "not-ours.example"},
    "summary": {"total-successful-session-count": 5, "total-failure-session-count": 0}
  }]})";

http::Request Post(std::string content_type, std::string body) {
  return {"POST", "/tlsrpt", "", {{"content-type", std::move(content_type)}}, std::move(body)};
}

class ReportIntakeTest : public ::testing::Test {
 protected:
  FakeClock clock_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 30}};
  ReportIntake intake_{clock_, [](std::string_view domain) { return domain == "example.com"; }};
};

TEST_F(ReportIntakeTest, CountsAGzipReportOnce) {
  http::Response first = intake_.Post(Post("application/tlsrpt+gzip", Gzip(kReport)));
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "counted for example.com\n");
  http::Response again = intake_.Post(Post("application/tlsrpt+json", kReport));
  EXPECT_EQ(again.status, 200);
  EXPECT_THAT(again.body, HasSubstr("received before"));
  const std::optional<tlsrpt::DomainTally> window = intake_.Window("example.com");
  ASSERT_TRUE(window.has_value());
  EXPECT_EQ(window->reports, 1);
  EXPECT_EQ(window->successful, 90);
  EXPECT_EQ(window->failed, 10);
  EXPECT_EQ(window->failures_by_result.at("certificate-expired"), 10);
  EXPECT_FALSE(intake_.Window("not-ours.example").has_value());
}

TEST_F(ReportIntakeTest, EachBadPostGetsAFourHundredAndOneLine) {
  std::string bomb_json(20 << 20, ' ');
  const struct {
    const char* name;
    http::Request request;
    int status;
    const char* says;
  } rows[] = {
      {"no content type", Post("", kReport), 415, "must be application/tlsrpt+gzip"},
      {"plain json", Post("application/json", kReport), 415, "not \"application/json\""},
      {"parameters and case are fine", Post("Application/TLSRPT+JSON; charset=utf-8", kReport), 200,
       "counted for example.com"},
      {"gzip that is not", Post("application/tlsrpt+gzip", kReport), 400, "is not gzip"},
      {"json that is gzip", Post("application/tlsrpt+json", Gzip(kReport)), 400, "send it as"},
      {"not json", Post("application/tlsrpt+json", "{not json"), 400, "not a TLS report"},
      {"a bomb", Post("application/tlsrpt+gzip", Gzip(bomb_json)), 400, "inflates to more than"},
      {"truncated", Post("application/tlsrpt+gzip", Gzip(kReport).substr(0, 40)), 400, "truncated"},
      {"control bytes", Post("application/tlsrpt+json\x1b[2J", kReport), 415, "\\x1b[2j"},
  };
  for (const auto& row : rows) {
    ReportIntake intake(clock_, [](std::string_view) { return true; });
    const http::Response r = intake.Post(row.request);
    EXPECT_EQ(r.status, row.status) << row.name << ": " << r.body;
    EXPECT_THAT(r.body, HasSubstr(row.says)) << row.name;
    EXPECT_EQ(r.body.find('\n'), r.body.size() - 1) << row.name;
    EXPECT_EQ(intake.Window("example.com").has_value(), row.status == 200) << row.name;
  }
}

TEST_F(ReportIntakeTest, AReportNoDomainIngestsIsAcceptedAndDropped) {
  ReportIntake none(clock_, [](std::string_view) { return false; });
  const http::Response r = none.Post(Post("application/tlsrpt+json", kReport));
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("no domain here counts it"));
  EXPECT_FALSE(none.Window("example.com").has_value());
}

TEST_F(ReportIntakeTest, AsksForARetryWhileTooManyCountsWaitToBeStored) {
  auto report = [](size_t i) {
    std::string r = kReport;
    return r.replace(r.find("5065427c"), 8, "id-" + std::to_string(i));
  };
  for (size_t i = 0; i < kMaxUnstoredReports; ++i) {
    ASSERT_EQ(intake_.Post(Post("application/tlsrpt+json", report(i))).status, 200) << i;
  }
  http::Response busy = intake_.Post(Post("application/tlsrpt+json", report(kMaxUnstoredReports)));
  EXPECT_EQ(busy.status, 503);
  EXPECT_THAT(busy.body, HasSubstr("retry later"));

  const std::vector<ReportIntake::Unstored> unstored = intake_.ToStore();
  ASSERT_EQ(unstored.size(), 1u);
  intake_.MarkStored(unstored[0], "7");
  EXPECT_EQ(intake_.Post(Post("application/tlsrpt+json", report(kMaxUnstoredReports))).status, 200);
  EXPECT_EQ(intake_.Window("example.com")->reports, static_cast<int64_t>(kMaxUnstoredReports) + 1);
}

}  // namespace
}  // namespace mtasts::controller
