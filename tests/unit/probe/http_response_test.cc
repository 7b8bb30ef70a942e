#include "probe/http_response.h"

#include <gtest/gtest.h>

#include <string>

namespace mtasts::probe {
namespace {

constexpr size_t kCap = 64 * 1024;

// Feeds `wire` in pieces of `piece` bytes, then closes if `close`. Returns the first error.
Status FeedAll(HttpResponseParser& p, std::string_view wire, size_t piece, bool close = true) {
  for (size_t at = 0; at < wire.size(); at += piece) {
    Status s = p.Feed(wire.substr(at, piece));
    if (!s.ok()) return s;
  }
  return close && !p.complete() ? p.Close() : OkStatus();
}

TEST(HttpResponseTest, ContentLengthInAnyPieces) {
  std::string wire =
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 5\r\n\r\n"
      "hello";
  for (size_t piece : {1u, 2u, 7u, 4096u}) {
    HttpResponseParser p(kCap);
    ASSERT_TRUE(FeedAll(p, wire, piece, false).ok());
    ASSERT_TRUE(p.complete()) << piece;
    EXPECT_EQ(p.response().status, 200);
    EXPECT_EQ(p.response().reason, "OK");
    EXPECT_EQ(p.response().body, "hello");
    EXPECT_EQ(p.response().Header("content-type"), "text/plain; charset=utf-8");
  }
}

TEST(HttpResponseTest, ChunkedWithExtensionsAndTrailer) {
  std::string wire =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\nA\r\n, world!!!\r\n0\r\nX-Trailer: 1\r\n\r\n";
  for (size_t piece : {1u, 5u, 4096u}) {
    HttpResponseParser p(kCap);
    ASSERT_TRUE(FeedAll(p, wire, piece, false).ok());
    ASSERT_TRUE(p.complete());
    EXPECT_EQ(p.response().body, "hello, world!!!");
  }
}

TEST(HttpResponseTest, CloseDelimitedBody) {
  HttpResponseParser p(kCap);
  ASSERT_TRUE(p.Feed("HTTP/1.0 200 OK\nContent-Type: text/plain\n\nversion: STSv1\n").ok());
  EXPECT_FALSE(p.complete());
  ASSERT_TRUE(p.Close().ok());
  EXPECT_TRUE(p.complete());
  EXPECT_EQ(p.response().body, "version: STSv1\n");
}

TEST(HttpResponseTest, BodyCapIsExactForEveryFraming) {
  const size_t cap = 64 * 1024;
  std::string fits(cap, 'a');
  std::string over(cap + 1, 'a');
  auto length = [](const std::string& body) {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  };
  auto chunked = [](const std::string& body) {  // two chunks, so the cap is crossed mid-stream
    size_t half = body.size() / 2;
    auto hex = [](size_t n) {
      char b[32];
      snprintf(b, sizeof b, "%zx", n);
      return std::string(b);
    };
    return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + hex(half) + "\r\n" +
           body.substr(0, half) + "\r\n" + hex(body.size() - half) + "\r\n" + body.substr(half) +
           "\r\n0\r\n\r\n";
  };
  auto to_close = [](const std::string& body) { return "HTTP/1.1 200 OK\r\n\r\n" + body; };
  for (auto frame : {+length, +chunked, +to_close}) {
    HttpResponseParser ok(cap);
    ASSERT_TRUE(FeedAll(ok, frame(fits), 1000).ok());
    EXPECT_EQ(ok.response().body.size(), cap);
    HttpResponseParser too_big(cap);
    EXPECT_EQ(FeedAll(too_big, frame(over), 1000).code(), StatusCode::kResourceExhausted);
    EXPECT_FALSE(too_big.complete());
  }
}

TEST(HttpResponseTest, RedirectAndStatusWithoutBody) {
  HttpResponseParser p(kCap);
  ASSERT_TRUE(p.Feed("HTTP/1.1 301 Moved Permanently\r\nLocation: https://www.example.com/\r\n"
                     "Content-Length: 0\r\n\r\n")
                  .ok());
  ASSERT_TRUE(p.complete());
  EXPECT_EQ(p.response().status, 301);
  EXPECT_EQ(p.response().Header("Location"), "https://www.example.com/");
  HttpResponseParser no_content(kCap);
  ASSERT_TRUE(no_content.Feed("HTTP/1.1 204 No Content\r\n\r\n").ok());
  EXPECT_TRUE(no_content.complete());
}

TEST(HttpResponseTest, InterimResponseIsSkipped) {
  HttpResponseParser p(kCap);
  ASSERT_TRUE(
      p.Feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok").ok());
  ASSERT_TRUE(p.complete());
  EXPECT_EQ(p.response().status, 200);
  EXPECT_EQ(p.response().body, "ok");
}

TEST(HttpResponseTest, MalformedResponsesAreErrors) {
  const char* cases[] = {
      "SSH-2.0-OpenSSH_9.2\r\n\r\n",
      "HTTP/2 200\r\n\r\n",
      "HTTP/1.1 20 OK\r\n\r\n",
      "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
      "HTTP/1.1 200 OK\r\nbad name: x\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
      "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXX",
  };
  for (const char* wire : cases) {
    HttpResponseParser p(kCap);
    Status s = FeedAll(p, wire, 4096);
    EXPECT_FALSE(s.ok()) << wire;
    EXPECT_FALSE(p.complete()) << wire;
  }
}

TEST(HttpResponseTest, CutShortIsAnError) {
  const char* cases[] = {
      "",
      "HTTP/1.1 200 OK\r\nContent-Le",
      "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort",
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
  };
  for (const char* wire : cases) {
    HttpResponseParser p(kCap);
    EXPECT_EQ(FeedAll(p, wire, 4096).code(), StatusCode::kInvalidArgument) << wire;
  }
}

TEST(HttpResponseTest, EndlessHeadIsBounded) {
  HttpResponseParser p(kCap, 1024);
  Status s = p.Feed("HTTP/1.1 200 OK\r\n");
  for (int i = 0; i < 100 && s.ok(); ++i) s = p.Feed("X-Filler: 0123456789\r\n");
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
}

TEST(HttpResponseTest, MediaType) {
  EXPECT_EQ(MediaType("text/plain"), "text/plain");
  EXPECT_EQ(MediaType("Text/Plain; charset=UTF-8"), "text/plain");
  EXPECT_EQ(MediaType(" text/plain ;charset=us-ascii"), "text/plain");
  EXPECT_EQ(MediaType("text/html; charset=utf-8"), "text/html");
  EXPECT_EQ(MediaType(""), "");
}

TEST(HttpResponseTest, ParseHttpSize) {
  size_t n = 0;
  EXPECT_TRUE(ParseHttpSize("65536", 10, &n));
  EXPECT_EQ(n, 65536u);
  EXPECT_TRUE(ParseHttpSize("fF", 16, &n));
  EXPECT_EQ(n, 255u);
  EXPECT_FALSE(ParseHttpSize("ff", 10, &n));
  EXPECT_FALSE(ParseHttpSize("", 10, &n));
  EXPECT_FALSE(ParseHttpSize("+1", 10, &n));
  EXPECT_FALSE(ParseHttpSize("1234567890123456", 16, &n));
}

}  // namespace
}  // namespace mtasts::probe
