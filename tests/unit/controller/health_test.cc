#include "controller/health.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>

#include "unit/http/raw_client.h"

namespace mtasts::controller {
namespace {

using http::Body;
using http::Exchange;
using testing::HasSubstr;
using testing::StartsWith;

std::string Get(int port, std::string_view path) {
  return Exchange(port, "GET " + std::string(path) + " HTTP/1.1\r\nHost: operator\r\n\r\n");
}

TEST(HealthTest, ServesMetricsHealthAndReadiness) {
  http::Registry registry;
  registry.AddGauge("mtasts_operator_example", "An example.").Set(2);
  std::atomic<bool> synced = false;
  http::Server server("127.0.0.1:0");
  AddMetricsRoute(server, registry);
  AddHealthRoutes(
      server, [&synced] { return synced.load(); },
      "the first full sync of the serve directory has not finished");
  ASSERT_TRUE(server.Start().ok());

  const std::string metrics = Get(server.port(), "/metrics");
  EXPECT_THAT(metrics, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(metrics, HasSubstr("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"));
  EXPECT_EQ(Body(metrics), registry.Render());

  EXPECT_EQ(Body(Get(server.port(), "/healthz")), "ok\n");
  const std::string waiting = Get(server.port(), "/readyz");
  EXPECT_THAT(waiting, StartsWith("HTTP/1.1 503 Service Unavailable\r\n"));
  EXPECT_EQ(Body(waiting),
            "not ready: the first full sync of the serve directory has not finished\n");
  synced = true;
  const std::string ready = Get(server.port(), "/readyz");
  EXPECT_THAT(ready, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_EQ(Body(ready), "ok\n");
  EXPECT_EQ(Body(Get(server.port(), "/healthz")), "ok\n");
  EXPECT_THAT(Get(server.port(), "/"), StartsWith("HTTP/1.1 404 "));
}

}  // namespace
}  // namespace mtasts::controller
