#include "http/message.h"

#include <gtest/gtest.h>

#include <functional>

namespace mtasts::http {
namespace {

using namespace std::string_view_literals;  // "...\0..."sv keeps the NUL

constexpr std::string_view kHealthy =
    "POST /report?from=a&x=1 HTTP/1.1\r\n"
    "Host: tlsrpt.example.com\r\n"
    "Content-Type:  application/tlsrpt+json \r\n"
    "Content-Length: 12\r\n"
    "X-Seen: one\r\n"
    "x-seen: two\r\n";

TEST(MessageTest, ParsesAHealthyHead) {
  const RequestHead head = ParseRequestHead(kHealthy);
  ASSERT_EQ(head.error_status, 0) << head.error;
  EXPECT_EQ(head.request.method, "POST");
  EXPECT_EQ(head.request.path, "/report");
  EXPECT_EQ(head.request.query, "from=a&x=1");
  EXPECT_EQ(head.request.Header("content-type"), "application/tlsrpt+json");
  EXPECT_EQ(head.request.Header("x-seen"), "one");
  EXPECT_EQ(head.request.headers.size(), 5u);
  EXPECT_EQ(head.request.Header("absent"), "");
  EXPECT_EQ(head.content_length, 12u);
  EXPECT_FALSE(head.expect_continue);
}

// The healthy head with one line replaced (or added, when `old` is empty), and what comes of it.
struct Row {
  std::string_view old;
  std::string_view replacement;
  int status;  // 0: accepted
  std::function<void(const RequestHead&)> check = [](const RequestHead&) {};
};

std::string Change(std::string_view old, std::string_view replacement) {
  std::string head(kHealthy);
  if (old.empty()) return head + std::string(replacement);
  const size_t at = head.find(old);
  return head.replace(at, old.size(), replacement);
}

TEST(MessageTest, EachChangeIsAcceptedOrRefusedWithItsStatus) {
  const Row rows[] = {
      {"POST /report?from=a&x=1 HTTP/1.1", "GET / HTTP/1.0", 0,
       [](const RequestHead& h) { EXPECT_EQ(h.request.path, "/"); }},
      {"POST /report?from=a&x=1 HTTP/1.1", "GET /metrics? HTTP/1.1", 0,
       [](const RequestHead& h) { EXPECT_EQ(h.request.query, ""); }},
      {"\r\n", "\n", 0},  // bare LF line ends
      {"", "Expect: 100-Continue\r\n", 0,
       [](const RequestHead& h) { EXPECT_TRUE(h.expect_continue); }},
      {"", "Content-Length: 12\r\n", 0},  // repeated with the same value
      {"Content-Length: 12\r\n", "", 0,
       [](const RequestHead& h) { EXPECT_EQ(h.content_length, 0u); }},
      {"", "X-Utf8: caf\xc3\xa9\tok\r\n", 0},
      {"POST /report?from=a&x=1 HTTP/1.1", "POST /report?from=a&x=1 HTTP/2.0", 505},
      {"POST /report?from=a&x=1 HTTP/1.1", "POST /report?from=a&x=1 HTTX/1.1", 400},
      {"POST /report?from=a&x=1 HTTP/1.1", "POST /report HTTP/1.1 extra", 400},
      {"POST /report?from=a&x=1 HTTP/1.1", "POST  /report HTTP/1.1", 400},
      {"POST /report?from=a&x=1 HTTP/1.1", "POST /report", 400},
      {"POST /report?from=a&x=1 HTTP/1.1", "POST http://x/report HTTP/1.1", 400},
      {"POST /report?from=a&x=1 HTTP/1.1", "POST * HTTP/1.1", 400},
      {"POST /report?from=a&x=1 HTTP/1.1", "PO\"ST /report HTTP/1.1", 400},
      {"POST /report?from=a&x=1 HTTP/1.1", "POST /rep\x01ort HTTP/1.1", 400},
      {"Host: tlsrpt.example.com\r\n", "X-Other: 1\r\n", 400},  // HTTP/1.1 without Host
      {"", "Transfer-Encoding: chunked\r\n", 411},
      {"", "Content-Length: 13\r\n", 400},  // two lengths
      {"Content-Length: 12", "Content-Length: -1", 400},
      {"Content-Length: 12", "Content-Length: 1 2", 400},
      {"Content-Length: 12", "Content-Length: ", 400},
      {"Content-Length: 12", "Content-Length: 99999999999999999999999", 400},
      {"", "Bad Name: x\r\n", 400},
      {"", "NoColon\r\n", 400},
      {"", " folded continuation\r\n", 400},
      {"", ": empty name\r\n", 400},
      {"", "X-Nul: a\0b\r\n"sv, 400},
      {"", "X-Cr: a\rb\r\n", 400},
  };
  for (const Row& row : rows) {
    const std::string text = Change(row.old, row.replacement);
    const RequestHead head = ParseRequestHead(text);
    EXPECT_EQ(head.error_status, row.status) << text << "\n" << head.error;
    EXPECT_EQ(head.error.empty(), row.status == 0) << text;
    if (head.error_status == 0) row.check(head);
  }
  EXPECT_EQ(ParseRequestHead("").error_status, 400);
}

TEST(MessageTest, SerializesAResponseThatClosesTheConnection) {
  Response response = Response::Text(405, "this path takes GET");
  response.headers = {{"Allow", "GET, HEAD"}, {"X-Split", "a\r\nSet-Cookie: x"}, {"Bad Name", "v"}};
  EXPECT_EQ(SerializeResponse(response, false),
            "HTTP/1.1 405 Method Not Allowed\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Length: 20\r\n"
            "Allow: GET, HEAD\r\n"
            "Connection: close\r\n\r\n"
            "this path takes GET\n");
  EXPECT_TRUE(SerializeResponse(response, true)
                  .ends_with("Content-Length: 20\r\n"
                             "Allow: GET, HEAD\r\n"
                             "Connection: close\r\n\r\n"));
  Response empty;
  empty.status = 204;
  empty.content_type = "text/html\r\nX-Injected: 1";
  EXPECT_EQ(SerializeResponse(empty, false),
            "HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
  empty.status = 200;
  EXPECT_NE(SerializeResponse(empty, false).find("Content-Type: application/octet-stream\r\n"),
            std::string::npos);
  EXPECT_EQ(ReasonPhrase(431), "Request Header Fields Too Large");
  EXPECT_EQ(ReasonPhrase(299), "Unknown");
}

}  // namespace
}  // namespace mtasts::http
