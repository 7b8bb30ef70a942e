// The Client implementation that talks HTTPS to a real API server (cpprestsdk inside the .cc).
// Thread-safe; see client.h for the contract of each call.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/status.h"
#include "k8s/client.h"
#include "k8s/config.h"

namespace mtasts::k8s {

struct RestOptions {
  std::string user_agent = "mta-sts-operator";
  std::chrono::seconds request_timeout{30};  // non-watch requests
  int max_retry_after_attempts = 3;          // 429/5xx with Retry-After retried this many times
  std::chrono::seconds max_retry_after{30};  // longer Retry-After values are capped to this
};

// Fails with kInvalidArgument when the config cannot be used (bad server URL, unparsable PEM).
StatusOr<std::unique_ptr<Client>> NewRestClient(const Config& config,
                                                const RestOptions& options = {});

}  // namespace mtasts::k8s
