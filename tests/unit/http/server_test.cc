#include "http/server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <stdexcept>

#include "unit/http/raw_client.h"

namespace mtasts::http {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::HasSubstr;
using testing::StartsWith;

// A server with a GET route that describes the request and a POST route that echoes the body.
class ServerTest : public testing::Test {
 protected:
  void StartServer(ServerOptions options = {}) {
    server_ = std::make_unique<Server>("127.0.0.1:0", options);
    server_->Handle("GET", "/metrics", [](const Request& request) {
      return Response::Text(200, request.method + " query=" + request.query +
                                     " agent=" + std::string(request.Header("user-agent")));
    });
    server_->Handle(
        "POST", "/report",
        [](const Request& request) {
          Response response;
          response.status = 202;
          response.content_type = "application/json";
          response.body = request.body;
          return response;
        },
        100);
    server_->Handle("GET", "/throws",
                    [](const Request&) -> Response { throw std::runtime_error("boom"); });
    ASSERT_TRUE(server_->Start().ok());
    ASSERT_NE(server_->port(), 0);
  }
  int port() const { return server_->port(); }

  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, RoutesByExactPathAndMethod) {
  StartServer();
  const std::string ok =
      Exchange(port(), "GET /metrics?a=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: t/1\r\n\r\n");
  EXPECT_THAT(ok, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(ok, HasSubstr("\r\nConnection: close\r\n"));
  EXPECT_EQ(Body(ok), "GET query=a=1 agent=t/1\n");

  const std::string head = Exchange(port(), "HEAD /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(head, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(head, HasSubstr("Content-Length: 19\r\n"));  // of "HEAD query= agent=\n"
  EXPECT_EQ(Body(head), "");

  EXPECT_THAT(Exchange(port(), "GET /metrics/ HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 404 Not Found\r\n"));
  const std::string wrong = Exchange(port(), "POST /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_THAT(wrong, StartsWith("HTTP/1.1 405 Method Not Allowed\r\n"));
  EXPECT_THAT(wrong, HasSubstr("\r\nAllow: GET, HEAD\r\n"));
  EXPECT_THAT(Exchange(port(), "GET /report HTTP/1.1\r\nHost: x\r\n\r\n"),
              HasSubstr("\r\nAllow: POST\r\n"));
  EXPECT_THAT(Exchange(port(), "GET /throws HTTP/1.1\r\nHost: x\r\n\r\n"),
              StartsWith("HTTP/1.1 500 Internal Server Error\r\n"));
}

TEST_F(ServerTest, BodiesAreReadUpToTheRouteLimit) {
  StartServer();
  const std::string echoed =
      Exchange(port(), "POST /report HTTP/1.1\r\nHost: x\r\nContent-Length: 9\r\n\r\n{\"a\": 1}\n");
  EXPECT_THAT(echoed, StartsWith("HTTP/1.1 202 Accepted\r\n"));
  EXPECT_THAT(echoed, HasSubstr("Content-Type: application/json\r\n"));
  EXPECT_EQ(Body(echoed), "{\"a\": 1}\n");

  // The body in pieces, after the server's "100 Continue".
  RawClient slow(port());
  slow.Send(
      "POST /report HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 6\r\n\r\n");
  EXPECT_EQ(slow.Read(25), "HTTP/1.1 100 Continue\r\n\r\n");
  slow.Send("abc");
  slow.Send("def");
  EXPECT_EQ(Body(slow.ReadAll()), "abcdef");

  // Over the limit: refused before a byte of the body is read.
  EXPECT_THAT(Exchange(port(), "POST /report HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n"),
              StartsWith("HTTP/1.1 413 Content Too Large\r\n"));
  // A route without a body limit takes none.
  EXPECT_THAT(Exchange(port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx"),
              StartsWith("HTTP/1.1 413 "));
  EXPECT_THAT(Exchange(port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"),
              StartsWith("HTTP/1.1 200 "));
}

TEST_F(ServerTest, RefusesWhatItWillNotRead) {
  ServerOptions options;
  options.max_header_bytes = 1024;
  StartServer(options);
  const std::string big(1100, 'a');
  EXPECT_THAT(Exchange(port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n"),
              StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
  // Endless header lines without an end: refused once the limit is passed.
  RawClient endless(port());
  endless.Send("GET /metrics HTTP/1.1\r\n");
  for (int i = 0; i < 40; ++i) endless.Send("X-Line: 123456789012345678901234567890\r\n");
  EXPECT_THAT(endless.ReadAll(), StartsWith("HTTP/1.1 431 "));
  EXPECT_THAT(Exchange(port(), "GET /metrics HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n"),
              StartsWith("HTTP/1.1 400 Bad Request\r\n"));
  EXPECT_THAT(Exchange(port(), "\x16\x03\x01 binary\r\n\r\n"), StartsWith("HTTP/1.1 400 "));
  EXPECT_THAT(Exchange(port(),
                       "POST /report HTTP/1.1\r\nHost: x\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
              StartsWith("HTTP/1.1 411 Length Required\r\n"));
}

TEST_F(ServerTest, ASlowClientIsCutOff) {
  ServerOptions options;
  options.request_timeout = milliseconds(200);
  StartServer(options);
  // Each is answered once the 200 ms are up, not when the client would finish.
  auto cut_off = [this](std::string_view sent) {
    const auto start = steady_clock::now();
    RawClient client(port());
    if (!sent.empty()) client.Send(sent);
    std::string answer = client.ReadAll();
    EXPECT_GE(steady_clock::now() - start, milliseconds(200)) << sent;
    EXPECT_LT(steady_clock::now() - start, milliseconds(1500)) << sent;
    return answer;
  };
  EXPECT_THAT(cut_off("GET /metrics HTTP/1.1\r\nHost:"),
              StartsWith("HTTP/1.1 408 Request Timeout\r\n"));
  EXPECT_THAT(cut_off("POST /report HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"),
              StartsWith("HTTP/1.1 408 "));
  EXPECT_EQ(cut_off(""), "") << "nothing sent, nothing answered: closed";
}

TEST_F(ServerTest, ServesABoundedNumberOfConnectionsAtOnce) {
  ServerOptions options;
  options.max_connections = 1;
  server_ = std::make_unique<Server>("127.0.0.1:0", options);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  server_->Handle("GET", "/wait", [released](const Request&) {
    released.wait();
    return Response::Text(200, "done");
  });
  ASSERT_TRUE(server_->Start().ok());
  RawClient first(port());
  first.Send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
  RawClient second(port());
  ASSERT_TRUE(second.connected()) << "waits in the listen backlog";
  second.Send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_FALSE(second.ReadableWithin(milliseconds(300))) << "the one thread is busy";
  release.set_value();
  EXPECT_EQ(Body(first.ReadAll()), "done\n");
  EXPECT_EQ(Body(second.ReadAll()), "done\n");
}

TEST_F(ServerTest, StopIsPromptWhileAClientHoldsAConnection) {
  ServerOptions options;
  options.request_timeout = milliseconds(60'000);
  StartServer(options);
  RawClient holder(port());
  holder.Send("GET /metrics HTTP/1.1\r\n");
  ASSERT_FALSE(holder.ReadableWithin(milliseconds(50)));
  const auto start = steady_clock::now();
  server_->Stop();
  EXPECT_LT(steady_clock::now() - start, milliseconds(1000));
  EXPECT_EQ(holder.ReadAll(milliseconds(1000)), "") << "closed without an answer";
  server_->Stop();  // idempotent
}

TEST(ServerStartTest, BindFailuresSayWhichAddressAndWhy) {
  Server first("127.0.0.1:0");
  ASSERT_TRUE(first.Start().ok());
  const std::string taken = "127.0.0.1:" + std::to_string(first.port());
  Server second(taken);
  const Status status = second.Start();
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(status.message(), "cannot listen on " + taken + ": address already in use");

  const Status malformed = Server("8080").Start();
  EXPECT_EQ(malformed.code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(malformed.message(), StartsWith("listen address \"8080\" has no port"));

  const Status foreign = Server("192.0.2.1:0").Start();
  EXPECT_EQ(foreign.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(foreign.message(), "cannot listen on 192.0.2.1:0: cannot assign requested address");

  EXPECT_EQ(first.Start().code(), StatusCode::kFailedPrecondition) << "started twice";
}

TEST(ServerStartTest, AnEmptyHostListensOnEveryAddress) {
  Server server(":0");
  server.Handle("GET", "/healthz", [](const Request&) { return Response::Text(200, "ok"); });
  ASSERT_TRUE(server.Start().ok());
  EXPECT_EQ(Body(Exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")), "ok\n");
  RawClient v6(server.port(), "::1");
  if (!v6.connected()) GTEST_SKIP() << "no IPv6 loopback on this machine";
  v6.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(Body(v6.ReadAll()), "ok\n");
}

}  // namespace
}  // namespace mtasts::http
