#include "tlsrpt/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace mtasts::tlsrpt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using json = nlohmann::json;

// RFC 8460 Appendix B, with mx-host as the array §4.4 specifies.
json Example() {
  return json::parse(R"({
    "organization-name": "Company-X",
    "date-range": {"start-datetime": "2016-04-01T00:00:00Z", "end-datetime": "2016-04-01T23:59:59Z"},
    "contact-info": "sts-reporting@company-x.example",
    "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
    "policies": [{
      "policy": {"policy-type": "sts",
                 "policy-string": ["version: STSv1", "mode: testing", "mx: *.mail.company-y.example", "max_age: 86400"],
                 "policy-domain": "company-y.example", "mx-host": ["*.mail.company-y.example"]},
      "summary": {"total-successful-session-count": 5326, "total-failure-session-count": 303},
      "failure-details": [
        {"result-type": "certificate-expired", "sending-mta-ip": "2001:db8:abcd:0012::1",
         "receiving-mx-hostname": "mx1.mail.company-y.example", "failed-session-count": 100},
        {"result-type": "starttls-not-supported", "sending-mta-ip": "2001:db8:abcd:0013::1",
         "receiving-mx-hostname": "mx2.mail.company-y.example", "receiving-ip": "203.0.113.56",
         "failed-session-count": 200, "additional-information": "https://reports.company-x.example/x"},
        {"result-type": "validation-failure", "sending-mta-ip": "198.51.100.62",
         "receiving-ip": "203.0.113.58", "receiving-mx-hostname": "mx-backup.mail.company-y.example",
         "receiving-mx-helo": "mx-backup", "failed-session-count": 3,
         "failure-reason-code": "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED"}]}]})");
}

// Example() with the member at `pointer` set to `value`, or removed when `value` is null.
json Edited(const char* pointer, const json& value) {
  json doc = Example();
  json::json_pointer ptr(pointer);
  if (value.is_null()) {
    doc[ptr.parent_pointer()].erase(ptr.back());
  } else {
    doc[ptr] = value;
  }
  return doc;
}

StatusOr<ParsedReport> Strict(const json& doc) {
  return ParseReport(doc.dump(), ReportParseMode::kStrict);
}
StatusOr<ParsedReport> Tolerant(const json& doc) {
  return ParseReport(doc.dump(), ReportParseMode::kTolerant);
}

TEST(ReportTest, ReadsEveryField) {
  StatusOr<ParsedReport> parsed = Strict(Example());
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const Report& r = parsed->report;
  EXPECT_THAT(parsed->warnings, IsEmpty());
  EXPECT_EQ(r.organization_name, "Company-X");
  EXPECT_EQ(r.contact_info, "sts-reporting@company-x.example");
  EXPECT_EQ(r.end - r.start, std::chrono::seconds{86399});
  ASSERT_EQ(r.policies.size(), 1u);
  const PolicyResult& p = r.policies[0];
  EXPECT_EQ(p.policy_type, PolicyType::kSts);
  EXPECT_EQ(p.policy_string.size(), 4u);
  EXPECT_THAT(p.mx_host, ElementsAre("*.mail.company-y.example"));
  EXPECT_EQ(p.total_successful_session_count, 5326);
  EXPECT_EQ(p.total_failure_session_count, 303);
  ASSERT_EQ(p.failure_details.size(), 3u);
  const FailureDetail& d = p.failure_details[2];
  EXPECT_EQ(d.result_type, "validation-failure");
  EXPECT_EQ(d.sending_mta_ip, "198.51.100.62");
  EXPECT_EQ(d.receiving_ip, "203.0.113.58");
  EXPECT_EQ(d.receiving_mx_helo, "mx-backup");
  EXPECT_EQ(d.failed_session_count, 3);
  EXPECT_EQ(d.failure_reason_code, "X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED");
  EXPECT_EQ(p.failure_details[1].additional_information, "https://reports.company-x.example/x");
}

TEST(ReportTest, MxHostStringIsNormalisedInBothModes) {
  json doc = Example();
  doc["policies"][0]["policy"]["mx-host"] = "*.mail.company-y.example";
  for (auto parsed : {Strict(doc), Tolerant(doc)}) {
    ASSERT_TRUE(parsed.ok());
    EXPECT_THAT(parsed->report.policies[0].mx_host, ElementsAre("*.mail.company-y.example"));
    EXPECT_THAT(parsed->warnings, ElementsAre(HasSubstr("mx-host: a string")));
  }
}

// Each quirk: strict refuses it naming the place, tolerant accepts it with one warning.
TEST(ReportTest, KnownSenderQuirks) {
  struct Quirk {
    const char* pointer;
    json value;  // null: remove the member
    const char* where;
  };
  const Quirk quirks[] = {
      {"/date-range/start-datetime", "2016-04-01T00:00:00", "date-range.start-datetime"},
      {"/policies/0/failure-details/0/sending-mta-ip", "", "failure-details[0].sending-mta-ip"},
      {"/policies/0/failure-details/1/receiving-ip", "mx2", "failure-details[1].receiving-ip"},
      {"/contact-info", nullptr, "contact-info"},
      {"/organization-name", nullptr, "organization-name"},
      {"/report-id", nullptr, "report-id"},
      {"/date-range", nullptr, "date-range"},
      {"/policies/0/policy/policy-string", "version: STSv1", "policy.policy-string"},
  };
  for (const Quirk& q : quirks) {
    json doc = Edited(q.pointer, q.value);
    StatusOr<ParsedReport> strict = Strict(doc);
    EXPECT_FALSE(strict.ok()) << q.pointer;
    EXPECT_THAT(strict.status().message(), HasSubstr(q.where));
    StatusOr<ParsedReport> tolerant = Tolerant(doc);
    ASSERT_TRUE(tolerant.ok()) << q.pointer << ": " << tolerant.status().ToString();
    EXPECT_THAT(tolerant->warnings, ElementsAre(HasSubstr(q.where))) << q.pointer;
  }
}

TEST(ReportTest, DuplicateMemberFirstWinsWhenTolerant) {
  std::string text = Example().dump();
  text.insert(text.rfind('}'), R"(,"report-id":"second")");
  EXPECT_THAT(ParseReport(text, ReportParseMode::kStrict).status().message(),
              HasSubstr("\"report-id\" appears twice"));
  StatusOr<ParsedReport> tolerant = ParseReport(text, ReportParseMode::kTolerant);
  ASSERT_TRUE(tolerant.ok());
  EXPECT_EQ(tolerant->report.report_id, "5065427c-23d3-47ca-b6e0-946ea0e8c4be");
}

// Errors in both modes, each naming the JSON path.
TEST(ReportTest, Errors) {
  struct Bad {
    const char* pointer;
    json value;
    const char* message;
  };
  const Bad cases[] = {
      {"/policies", json::object(), "policies: must be an array, got an object"},
      {"/policies/0/summary/total-failure-session-count", -1,
       "policies[0].summary.total-failure-session-count: must be a non-negative integer, got a "
       "negative number"},
      {"/policies/0/summary/total-failure-session-count", "303", "got a string"},
      {"/policies/0/summary/total-failure-session-count", 3.5, "got a fraction"},
      {"/policies/0/summary/total-failure-session-count", 18446744073709551615u, "non-negative"},
      {"/policies/0/policy/policy-type", "dane", "\"dane\" is not sts, tlsa or no-policy-found"},
      {"/policies/0/policy/mx-host", json::array({"a", 1}), "mx-host[1]: must be a string"},
      {"/policies/0/failure-details/0/failed-session-count", nullptr, "missing"},
      {"/policies/0/failure-details/0/result-type", 7, "result-type: must be a string"},
      {"/policies/0/failure-details", json::object(), "must be an array"},
      {"/policies/0/failure-details/0", "x", "failure-details[0]: must be an object"},
      {"/date-range/end-datetime", "yesterday", "not an RFC 3339 date-time"},
  };
  for (const Bad& b : cases) {
    json doc = Edited(b.pointer, b.value);
    for (ReportParseMode mode : {ReportParseMode::kStrict, ReportParseMode::kTolerant}) {
      StatusOr<ParsedReport> r = ParseReport(doc.dump(), mode);
      EXPECT_FALSE(r.ok()) << b.pointer;
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
      EXPECT_THAT(r.status().message(), HasSubstr(b.message)) << b.pointer;
    }
  }
  EXPECT_THAT(ParseReport("[]", ReportParseMode::kTolerant).status().message(),
              HasSubstr("must be a JSON object"));
}

TEST(ReportTest, AdvisesOnTheDateRange) {
  json doc = Example();
  doc["date-range"]["end-datetime"] = "2016-04-07T23:59:59Z";
  EXPECT_THAT(Strict(doc)->warnings, ElementsAre(HasSubstr("more than one day")));
  doc["date-range"]["end-datetime"] = "2016-03-31T00:00:00Z";
  EXPECT_THAT(Strict(doc)->warnings, ElementsAre(HasSubstr("before start-datetime")));
}

TEST(ReportTest, HostileInputIsBounded) {
  std::string deep = R"({"organization-name":"x","x":)" + std::string(100000, '[');
  StatusOr<ParsedReport> r = ParseReport(deep, ReportParseMode::kTolerant);
  EXPECT_THAT(r.status().message(), HasSubstr("nested more than"));
  std::string huge(kMaxReportBytes + 1, ' ');
  EXPECT_THAT(ParseReport(huge, ReportParseMode::kTolerant).status().message(),
              HasSubstr("over the limit"));
}

TEST(ReportTest, ArraysAreCapped) {
  // Small elements, so that 100,000 of them stay under kMaxReportBytes and the cap is what
  // refuses them.
  const json policy = json::parse(R"({"policy": {"policy-type": "no-policy-found",
      "policy-domain": "a.example"}, "summary": {"total-successful-session-count": 1,
      "total-failure-session-count": 0}})");
  const json detail = json::parse(R"({"result-type": "x", "failed-session-count": 1})");
  struct Row {
    const char* pointer;  // the array, filled with `size` copies of `element`
    const json& element;
    size_t size;
    const char* message;  // "" when the report is read
  };
  const Row rows[] = {
      {"/policies", policy, kMaxPolicies, ""},
      {"/policies", policy, 100000,
       "policies: 100000 elements, more than the 10000 a report may hold"},
      {"/policies/0/failure-details", detail, kMaxFailureDetails, ""},
      {"/policies/0/failure-details", detail, 100000,
       "policies[0].failure-details: 100000 elements, more than the 1000 a report may hold"},
  };
  for (const Row& row : rows) {
    json doc = Example();
    doc[json::json_pointer(row.pointer)] = json::array();
    json& array = doc[json::json_pointer(row.pointer)];
    for (size_t i = 0; i < row.size; ++i) array.push_back(row.element);
    StatusOr<ParsedReport> r = Tolerant(doc);
    if (*row.message == '\0') {
      EXPECT_TRUE(r.ok()) << row.pointer << " " << row.size << ": " << r.status().message();
    } else {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << row.pointer;
      EXPECT_THAT(r.status().message(), HasSubstr(row.message));
    }
  }
}

TEST(ReportTest, PolicyTypeNames) {
  EXPECT_EQ(PolicyTypeName(PolicyType::kSts), "sts");
  EXPECT_EQ(PolicyTypeName(PolicyType::kTlsa), "tlsa");
  EXPECT_EQ(PolicyTypeName(PolicyType::kNoPolicyFound), "no-policy-found");
}

}  // namespace
}  // namespace mtasts::tlsrpt
