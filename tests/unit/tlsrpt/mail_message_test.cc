#include "tlsrpt/mail_message.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace mtasts::tlsrpt {
namespace {

using ::testing::HasSubstr;

constexpr char kJson[] = R"({"organization-name":"Company-X"})";
constexpr char kJsonBase64[] = "eyJvcmdhbml6YXRpb24tbmFtZSI6IkNvbXBhbnktWCJ9";

// An RFC 8460 §5.3 report mail, the shape big senders send: multipart/report, a text part, then
// the report as base64 application/tlsrpt+gzip (here +json, base64, folded header lines).
std::string ReportMail(const std::string& report_part) {
  return "From: noreply-smtp-tls-reporting@company-x.example\r\n"
         "To: tlsrpt@company-y.example\r\n"
         "Subject: Report Domain: company-y.example Submitter: company-x.example\r\n"
         "TLS-Report-Domain: company-y.example\r\n"
         "MIME-Version: 1.0\r\n"
         "Content-Type: multipart/report; report-type=\"tlsrpt\";\r\n"
         "\tboundary=\"----=_Part_1\"\r\n"
         "\r\n"
         "This is a multipart message.\r\n"
         "------=_Part_1\r\n"
         "Content-Type: text/plain; charset=us-ascii\r\n"
         "\r\n"
         "This is an aggregate TLS report from company-x.example\r\n"
         "------=_Part_1\r\n" +
         report_part +
         "\r\n"
         "------=_Part_1--\r\n";
}

TEST(ReportsInMessageTest, FindsTheReportPart) {
  const std::string mail = ReportMail(
      "Content-Type: application/tlsrpt+json\r\n"
      "Content-Transfer-Encoding: base64\r\n"
      "Content-Disposition: attachment;\r\n"
      " filename=\"company-x.example!company-y.example!1470013207!1470186007!001.json\"\r\n"
      "\r\n" +
      std::string(kJsonBase64, 20) + "\r\n" + std::string(kJsonBase64 + 20) + "\r\n");
  StatusOr<std::vector<Attachment>> found = ReportsInMessage(mail);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 1u);
  EXPECT_EQ((*found)[0].media_type, "application/tlsrpt+json");
  EXPECT_EQ((*found)[0].filename,
            "company-x.example!company-y.example!1470013207!1470186007!001.json");
  EXPECT_EQ((*found)[0].bytes, kJson);
}

TEST(ReportsInMessageTest, EachWayOfAttachingAReport) {
  const struct {
    const char* name;
    std::string part;
  } rows[] = {
      {"7bit json, LF line ends", "Content-Type: application/tlsrpt+json\n\n" + std::string(kJson)},
      {"octet-stream named .json",
       "Content-Type: application/octet-stream; name=\"r.JSON\"\r\n"
       "Content-Transfer-Encoding: base64\r\n\r\n" +
           std::string(kJsonBase64)},
      {"quoted-printable",
       "Content-Type: application/tlsrpt+json\r\nContent-Transfer-Encoding: quoted-printable"
       "\r\n\r\n{\"organization-name\"=3A\"Company-=\r\nX\"}"},
      {"a forwarded report mail",
       "Content-Type: message/rfc822\r\n\r\nFrom: a@company-x.example\r\n"
       "Content-Type: application/tlsrpt+json\r\n\r\n" +
           std::string(kJson)},
  };
  for (const auto& row : rows) {
    StatusOr<std::vector<Attachment>> found = ReportsInMessage(ReportMail(row.part));
    ASSERT_TRUE(found.ok()) << row.name << ": " << found.status().ToString();
    ASSERT_EQ(found->size(), 1u) << row.name;
    EXPECT_EQ((*found)[0].bytes, kJson) << row.name;
  }
}

TEST(ReportsInMessageTest, NestedMultipartsAndSeveralReports) {
  const std::string inner =
      "Content-Type: multipart/mixed; boundary=inner\r\n\r\n"
      "--inner\r\n"
      "Content-Type: application/tlsrpt+json\r\n\r\n" +
      std::string(kJson) +
      "\r\n--inner\r\n"
      "Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
      "H4sI\r\n"
      "--inner--\r\n";
  StatusOr<std::vector<Attachment>> found = ReportsInMessage(ReportMail(inner));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[0].bytes, kJson);
  EXPECT_EQ((*found)[1].bytes, "\x1f\x8b\x08");
}

TEST(ReportsInMessageTest, SaysWhatIsWrong) {
  std::string deep = "Content-Type: application/tlsrpt+json\r\n\r\n{}";
  for (int i = 0; i < 12; ++i) {
    deep = "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\r\n\r\n--b" +
           std::to_string(i) + "\r\n" + deep + "\r\n--b" + std::to_string(i) + "--\r\n";
  }
  const struct {
    const char* name;
    std::string message;
    StatusCode code;
    const char* text;
  } rows[] = {
      {"no report", ReportMail("Content-Type: text/plain\r\n\r\nhello"), StatusCode::kNotFound,
       "application/tlsrpt+gzip"},
      {"not a message", "just text\r\nwith no header fields\r\n", StatusCode::kInvalidArgument,
       "not a mail message"},
      {"empty", "", StatusCode::kInvalidArgument, "not a mail message"},
      {"no boundary", "Content-Type: multipart/report\r\n\r\nbody", StatusCode::kInvalidArgument,
       "without a boundary"},
      {"bad base64",
       ReportMail("Content-Type: application/tlsrpt+gzip\r\nContent-Transfer-Encoding: base64"
                  "\r\n\r\n!!!!"),
       StatusCode::kInvalidArgument, "part 1.2 (application/tlsrpt+gzip): not base64"},
      {"unknown encoding",
       ReportMail("Content-Type: application/tlsrpt+json\r\nContent-Transfer-Encoding: x-uue"
                  "\r\n\r\n{}"),
       StatusCode::kInvalidArgument, "x-uue"},
      {"nested too deep", deep, StatusCode::kInvalidArgument, "nested too deep"},
  };
  for (const auto& row : rows) {
    StatusOr<std::vector<Attachment>> found = ReportsInMessage(row.message);
    EXPECT_EQ(found.status().code(), row.code) << row.name << ": " << found.status().ToString();
    EXPECT_THAT(found.status().message(), HasSubstr(row.text)) << row.name;
  }
}

TEST(ReportsInMessageTest, ManyPartsCostBoundedWork) {
  std::string body = "Content-Type: multipart/mixed; boundary=b\r\n\r\n";
  for (int i = 0; i < 5000; ++i) body += "--b\r\nContent-Type: text/plain\r\n\r\nx\r\n";
  body += "--b--\r\n";
  StatusOr<std::vector<Attachment>> found = ReportsInMessage(body);
  EXPECT_THAT(found.status().message(), HasSubstr("more than 1000 MIME parts"));
}

}  // namespace
}  // namespace mtasts::tlsrpt
