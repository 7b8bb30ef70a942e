// Transport: HTTPS requests to one API server, authenticated as the Config says. The only place
// that knows cpprestsdk (inside transport.cc); RestClient builds paths and bodies on top of it.
// Thread-safe: requests may be sent from many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>

#include "base/status.h"
#include "k8s/client.h"
#include "k8s/config.h"

namespace mtasts::k8s {

struct HttpResult {
  int status = 0;
  std::string body;
  std::string retry_after;  // the Retry-After header, if any
};

class Transport {
 public:
  // kInvalidArgument for an unusable server URL or TLS material (see TlsIdentity). An exec
  // plugin (config.exec) runs here first, so that a failing one fails here; its credential is
  // renewed when it expires, and a request answered 401 runs it again and is resent once.
  static StatusOr<std::unique_ptr<Transport>> New(const Config& config,
                                                  std::chrono::seconds request_timeout,
                                                  std::string user_agent);
  ~Transport();

  // One request; a connection failure is kUnavailable, a timeout kDeadlineExceeded. Any HTTP
  // status is a result (the caller maps it). Sent again (on a new connection) only when nothing
  // of it reached the server, so a timeout bounds the call once.
  StatusOr<HttpResult> Send(std::string_view method, const std::string& path_and_query,
                            const std::string& body = "", std::string_view content_type = "");

  // Opens a streaming GET that fails once no byte has arrived for `inactivity`. Non-200
  // responses become the mapped Status; a `stop` requested before the headers arrive abandons
  // the request (kCancelled).
  StatusOr<std::unique_ptr<WatchStream>> OpenWatch(const std::string& path_and_query,
                                                   std::chrono::seconds inactivity,
                                                   std::stop_token stop);

 private:
  struct Impl;
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace mtasts::k8s
