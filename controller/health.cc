#include "controller/health.h"

namespace mtasts::controller {

void AddMetricsRoute(http::Server& server, const http::Registry& registry) {
  server.Handle("GET", "/metrics", [&registry](const http::Request&) {
    http::Response response;
    response.content_type = std::string(http::Registry::kContentType);
    response.body = registry.Render();
    return response;
  });
}

void AddHealthRoutes(http::Server& server, std::function<bool()> ready,
                     std::string not_ready_reason) {
  server.Handle("GET", "/healthz",
                [](const http::Request&) { return http::Response::Text(200, "ok"); });
  server.Handle(
      "GET", "/readyz",
      [ready = std::move(ready), reason = std::move(not_ready_reason)](const http::Request&) {
        return ready() ? http::Response::Text(200, "ok")
                       : http::Response::Text(503, "not ready: " + reason);
      });
}

}  // namespace mtasts::controller
