// Server: a small HTTP/1.1 server on POSIX sockets for the operator's /metrics, /healthz and
// /readyz, and later for TLS-RPT reports posted through nginx. Routes match the exact path and
// method; everything a client sends is bounded: the head's bytes (431), the body's bytes per
// route (413; none unless a route allows it), the time to send the request (408) and to take the
// response, and the connections served at once (a fixed set of threads; further connections wait
// in the listen backlog). Each response closes its connection.
//
// Thread-safety: Handle() before Start(); Start() and Stop() from one thread; handlers run on the
// server's threads, several at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"
#include "http/message.h"

namespace mtasts::http {

using Handler = std::function<Response(const Request&)>;

struct ServerOptions {
  size_t max_header_bytes = 8 * 1024;  // request line and header fields
  // From the connection's accept to the last byte of the request, and for writing the response:
  // a slow client holds a thread no longer than this.
  std::chrono::milliseconds request_timeout{10'000};
  std::chrono::milliseconds response_timeout{10'000};
  int max_connections = 8;  // served at once, each on a thread of its own
};

class Server {
 public:
  // `bind_address`: "HOST:PORT" (":8080" = every local address, IPv6 and IPv4; port 0 = any free
  // port, see port()).
  explicit Server(std::string bind_address, ServerOptions options = {});
  ~Server();  // Stop()s
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Routes requests for `method` and exact `path` to `handler`; a GET route answers HEAD too.
  // A request body longer than `max_body_bytes` is refused with 413 before it is read.
  void Handle(std::string method, std::string path, Handler handler, size_t max_body_bytes = 0);

  // Binds and starts serving. InvalidArgument for a malformed address; FailedPrecondition when
  // the address cannot be bound, naming it and why ("address already in use").
  Status Start();
  // Stops at once: in-flight reads and writes are abandoned, every thread is joined. Idempotent.
  void Stop();

  // The bound port (after Start()).
  int port() const { return port_; }

 private:
  struct Route {
    std::string method;
    std::string path;
    Handler handler;
    size_t max_body_bytes;
  };

  void ServeConnections();
  void Serve(int fd);
  Response Answer(int fd, std::chrono::steady_clock::time_point deadline, bool* head_request);
  static Response Dispatch(const Route& route, const Request& request);
  const Route* FindRoute(const Request& request, std::string* allow) const;

  const std::string bind_address_;
  const ServerOptions options_;
  std::vector<Route> routes_;
  int listen_fd_ = -1;
  int stop_pipe_[2] = {-1, -1};  // readable once Stop() is called: wakes every poll
  int port_ = 0;
  std::vector<std::thread> threads_;
};

}  // namespace mtasts::http
