// The operator's HTTP endpoints: /metrics on the metrics address, /healthz and /readyz on the
// health-probe address (the same server when the two addresses are equal). Kubernetes probes
// read /healthz as "restart me if this fails" and /readyz as "route no traffic to me yet".
#pragma once

#include <functional>
#include <string>

#include "http/metrics.h"
#include "http/server.h"

namespace mtasts::controller {

// GET /metrics: `registry` in the Prometheus text format. `registry` must outlive `server`.
void AddMetricsRoute(http::Server& server, const http::Registry& registry);

// GET /healthz: 200 "ok" while the process runs. GET /readyz: 200 "ok" when `ready()` says so,
// else 503 with `not_ready_reason` (one line, e.g. "the first full sync of the serve directory
// has not finished"). `ready` runs on the server's threads.
void AddHealthRoutes(http::Server& server, std::function<bool()> ready,
                     std::string not_ready_reason);

}  // namespace mtasts::controller
