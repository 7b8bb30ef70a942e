// How the transport resends a request: only when nothing of it reached the server.
#include <gtest/gtest.h>

#include <chrono>
#include <stop_token>
#include <thread>

#include "k8s/rest_client.h"
#include "k8s/transport.h"
#include "loopback_http_server.h"

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;

const std::string kOkResponse =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";

std::unique_ptr<Transport> TransportTo(const LoopbackHttpServer& server,
                                       std::chrono::seconds timeout) {
  Config config;
  config.server = server.Url();
  config.source = "test";
  return Transport::New(config, timeout, "transport-test").value();
}

TEST(TransportTest, AGetThatTimesOutIsNotSentAgain) {
  // The server reads the request and never answers: it may be working on it.
  LoopbackHttpServer server([](int, const std::string&) { return true; });
  auto transport = TransportTo(server, 1s);
  auto started = std::chrono::steady_clock::now();
  auto result = transport->Send("GET", "/api/v1/namespaces/mail/configmaps/x");
  auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(result.status().code(), StatusCode::kDeadlineExceeded) << result.status().ToString();
  EXPECT_EQ(server.Requests(), 1) << "a request that reached the server was sent again";
  EXPECT_LT(took, 3s) << "the caller's bound was stretched";
}

TEST(TransportTest, APooledConnectionTheServerClosedIsReplacedAndTheRequestResent) {
  // The server answers each request, then closes the connection the client keeps in its pool
  // (as a restarted API server does): the next request must still go through, whatever its method.
  LoopbackHttpServer server([](int fd, const std::string&) {
    LoopbackHttpServer::WriteAll(fd, kOkResponse);
    return false;
  });
  auto transport = TransportTo(server, 5s);
  ASSERT_TRUE(transport->Send("GET", "/version").ok());
  auto again = transport->Send("DELETE", "/api/v1/namespaces/mail/configmaps/x");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->status, 200);
}

TEST(TransportTest, AStopReachesAWatchStillOpening) {
  LoopbackHttpServer server([](int, const std::string&) { return true; });  // never answers
  auto transport = TransportTo(server, 60s);
  std::stop_source stop;
  std::jthread stopper([&] {
    while (server.Requests() == 0) std::this_thread::sleep_for(1ms);
    stop.request_stop();
  });
  auto started = std::chrono::steady_clock::now();
  auto watch = transport->OpenWatch("/api/v1/configmaps?watch=1", 60s, stop.get_token());
  EXPECT_EQ(watch.status().code(), StatusCode::kCancelled) << watch.status().ToString();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(RestClientWatchTest, ASilentStreamIsTakenForDeadAfterMaxSilenceNotTheWatchTimeout) {
  // Headers, then not a byte: a connection lost without a FIN looks like this.
  LoopbackHttpServer server([](int fd, const std::string&) {
    LoopbackHttpServer::WriteAll(fd,
                                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n");
    return true;
  });
  Config config;
  config.server = server.Url();
  config.source = "test";
  auto client = NewRestClient(config).value();
  WatchOptions options;
  options.timeout = 300s;
  options.max_silence = 1s;
  auto watch = client->Watch(ConfigMaps(), "mail", options);
  ASSERT_TRUE(watch.ok()) << watch.status().ToString();
  auto started = std::chrono::steady_clock::now();
  auto next = (*watch)->Next();
  EXPECT_FALSE(next.ok());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

}  // namespace
}  // namespace mtasts::k8s
