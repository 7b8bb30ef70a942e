#include "http/server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <exception>
#include <optional>
#include <tuple>

#include "base/host_port.h"
#include "base/log.h"
#include "base/strings.h"

namespace mtasts::http {
namespace {

using Clock = std::chrono::steady_clock;

constexpr int kListenBacklog = 64;
// After a response the connection is closed for writing and what the client still sends is read
// and dropped for a moment: closing with unread bytes (a refused body) would reset the connection
// and could destroy the response before the client reads it.
constexpr std::chrono::milliseconds kLinger{200};
constexpr size_t kLingerBytes = 64 * 1024;

enum class Wait { kReady, kTimeout, kStopped };

// Waits until `fd` is ready for `events`, the deadline passes, or `stop_fd` becomes readable.
Wait WaitFor(int fd, short events, int stop_fd, Clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Wait::kTimeout;
    pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
    const int rc = poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 60'000)));
    if (rc < 0 && errno != EINTR) return Wait::kStopped;
    if (fds[1].revents != 0) return Wait::kStopped;
    if (rc > 0 && fds[0].revents != 0) return Wait::kReady;
  }
}

// Appends what `fd` has (at most `max` bytes) to `buffer`: kReady with bytes, kTimeout or kStopped,
// or kReady with nothing added at the end of the stream (or on an error, which ends it too).
Wait ReadSome(int fd, int stop_fd, Clock::time_point deadline, size_t max, std::string* buffer) {
  for (;;) {
    const Wait wait = WaitFor(fd, POLLIN, stop_fd, deadline);
    if (wait != Wait::kReady) return wait;
    char chunk[16 * 1024];
    const ssize_t n = recv(fd, chunk, std::min(sizeof chunk, max), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n > 0) buffer->append(chunk, static_cast<size_t>(n));
    return Wait::kReady;
  }
}

bool WriteAll(int fd, int stop_fd, Clock::time_point deadline, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n > 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    // A hard error, or the socket stays full until the deadline or a stop.
    const bool retry = n == 0 || errno == EAGAIN || errno == EINTR;
    if (!retry || WaitFor(fd, POLLOUT, stop_fd, deadline) != Wait::kReady) return false;
  }
  return true;
}

// Where the head ends: the index after the empty line's newline, and the head's length without
// that empty line; npos when the buffer holds no complete head yet.
std::pair<size_t, size_t> FindHeadEnd(std::string_view buffer) {
  for (size_t i = buffer.find('\n'); i != std::string_view::npos; i = buffer.find('\n', i + 1)) {
    if (i + 1 < buffer.size() && buffer[i + 1] == '\n') return {i + 2, i + 1};
    if (i + 2 < buffer.size() && buffer[i + 1] == '\r' && buffer[i + 2] == '\n') {
      return {i + 3, i + 1};
    }
  }
  return {std::string_view::npos, std::string_view::npos};
}

std::string ErrnoText(int error) { return AsciiLowercase(std::strerror(error)); }

Status CannotListen(const std::string& address, std::string why) {
  return FailedPreconditionError("cannot listen on " + address + ": " + std::move(why));
}

// A listening socket on the first address `host` (null: every local address) of `family` that
// binds, or the errno of the last that failed.
StatusOr<int> ListenOn(const char* host, int family, const std::string& port, int* error) {
  addrinfo hints{};
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  hints.ai_family = family;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int rc = getaddrinfo(host, port.c_str(), &hints, &found); rc != 0) {
    return UnavailableError(AsciiLowercase(gai_strerror(rc)));
  }
  int fd = -1;
  for (addrinfo* ai = found; ai != nullptr && fd < 0; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      *error = errno;
      continue;
    }
    const int on = 1, off = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    // Every address: one socket for IPv6 and IPv4 alike.
    if (host == nullptr) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || listen(fd, kListenBacklog) != 0) {
      *error = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) return UnavailableError(ErrnoText(*error));
  return fd;
}

// The empty host is every local address: IPv6 and IPv4 on one dual-stack socket, or IPv4 alone
// where the machine has no IPv6.
StatusOr<int> Listen(const std::string& text, const HostPort& address) {
  const std::string port = std::to_string(address.port);
  int error = 0;
  StatusOr<int> fd = address.host.empty() ? ListenOn(nullptr, AF_INET6, port, &error)
                                          : ListenOn(address.host.c_str(), AF_UNSPEC, port, &error);
  if (!fd.ok() && address.host.empty() && error == EAFNOSUPPORT) {
    fd = ListenOn(nullptr, AF_INET, port, &error);
  }
  if (!fd.ok()) return CannotListen(text, fd.status().message());
  return fd;
}

int BoundPort(int fd) {
  sockaddr_storage bound{};
  socklen_t length = sizeof bound;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length) != 0) return 0;
  if (bound.ss_family == AF_INET6) {
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&bound)->sin6_port);
  }
  return ntohs(reinterpret_cast<const sockaddr_in*>(&bound)->sin_port);
}

// The bytes of one request as they arrive, read with one deadline for all of them.
class Exchange {
 public:
  Exchange(int fd, int stop_fd, Clock::time_point deadline)
      : fd_(fd), stop_fd_(stop_fd), deadline_(deadline) {}

  // Reads up to the empty line that ends the head. nullopt when it is there; otherwise the
  // response that ends the exchange (status 0: none at all).
  std::optional<Response> ReadHead(size_t max_head_bytes) {
    for (;;) {
      std::tie(body_start_, head_length_) = FindHeadEnd(buffer_);
      if (head_length_ != std::string::npos && head_length_ <= max_head_bytes) return std::nullopt;
      if (head_length_ != std::string::npos || buffer_.size() > max_head_bytes) {
        return Response::Text(
            431, "the request head is larger than " + std::to_string(max_head_bytes) + " bytes");
      }
      const size_t before = buffer_.size();
      const Wait wait = ReadSome(fd_, stop_fd_, deadline_, max_head_bytes + 3 - before, &buffer_);
      // A client that sent nothing at all gets no answer: it may be a probe of the port.
      if (wait == Wait::kStopped || buffer_.empty()) return Nothing();
      if (wait == Wait::kTimeout) return Response::Text(408, "the request took too long");
      if (buffer_.size() == before) return Response::Text(400, "the request ended within its head");
    }
  }

  std::string_view Head() const { return std::string_view(buffer_).substr(0, head_length_); }

  // Reads the `length` bytes of the body into `body`, after "100 Continue" if the client waits
  // for it. nullopt when they are there; otherwise the response that ends the exchange.
  std::optional<Response> ReadBody(size_t length, bool expect_continue, std::string* body) {
    const size_t end = body_start_ + length;
    if (expect_continue && buffer_.size() < end &&
        !WriteAll(fd_, stop_fd_, deadline_, "HTTP/1.1 100 Continue\r\n\r\n")) {
      return Nothing();
    }
    while (buffer_.size() < end) {
      const size_t before = buffer_.size();
      const Wait wait = ReadSome(fd_, stop_fd_, deadline_, end - before, &buffer_);
      if (wait == Wait::kTimeout) return Response::Text(408, "the request took too long");
      if (wait == Wait::kStopped || buffer_.size() == before) return Nothing();
    }
    *body = buffer_.substr(body_start_, length);
    return std::nullopt;
  }

 private:
  static Response Nothing() {
    Response nothing;
    nothing.status = 0;
    return nothing;
  }

  const int fd_;
  const int stop_fd_;
  const Clock::time_point deadline_;
  std::string buffer_;
  size_t body_start_ = 0;
  size_t head_length_ = 0;
};

}  // namespace

Server::Server(std::string bind_address, ServerOptions options)
    : bind_address_(std::move(bind_address)), options_(options) {}

Server::~Server() { Stop(); }

void Server::Handle(std::string method, std::string path, Handler handler, size_t max_body_bytes) {
  routes_.push_back({std::move(method), std::move(path), std::move(handler), max_body_bytes});
}

Status Server::Start() {
  if (listen_fd_ >= 0) return FailedPreconditionError("the server is already started");
  const StatusOr<HostPort> address = ParseHostPort(bind_address_);
  if (!address.ok()) {
    return InvalidArgumentError("listen address \"" + bind_address_ + "\" " +
                                address.status().message());
  }
  ASSIGN_OR_RETURN(listen_fd_, Listen(bind_address_, *address));
  if (pipe2(stop_pipe_, O_CLOEXEC) != 0) {
    const int error = errno;
    Stop();
    return CannotListen(bind_address_, ErrnoText(error));
  }
  port_ = BoundPort(listen_fd_);
  for (int i = 0; i < std::max(1, options_.max_connections); ++i) {
    threads_.emplace_back([this] { ServeConnections(); });
  }
  return OkStatus();
}

void Server::Stop() {
  if (stop_pipe_[1] >= 0) {
    const char byte = 0;
    while (write(stop_pipe_[1], &byte, 1) < 0 && errno == EINTR) {
    }
  }
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
  for (int* fd : {&listen_fd_, &stop_pipe_[0], &stop_pipe_[1]}) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
  }
}

// One of the server's threads: takes a connection from the listening socket, serves it, and
// takes the next, until Stop().
void Server::ServeConnections() {
  for (;;) {
    pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents != 0) return;
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd >= 0) {
      Serve(fd);
    } else if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED) {
      // Out of file descriptors or memory: the connection stays queued, so wait before trying
      // again instead of spinning.
      WaitFor(stop_pipe_[0], POLLIN, stop_pipe_[0], Clock::now() + std::chrono::milliseconds(100));
    }
  }
}

void Server::Serve(int fd) {
  bool head_request = false;
  const Response response = Answer(fd, Clock::now() + options_.request_timeout, &head_request);
  if (response.status != 0) {
    WriteAll(fd, stop_pipe_[0], Clock::now() + options_.response_timeout,
             SerializeResponse(response, head_request));
  }
  shutdown(fd, SHUT_WR);
  std::string dropped;
  const auto linger_until = Clock::now() + kLinger;
  while (dropped.size() < kLingerBytes) {
    const size_t before = dropped.size();
    if (ReadSome(fd, stop_pipe_[0], linger_until, kLingerBytes, &dropped) != Wait::kReady ||
        dropped.size() == before) {
      break;
    }
  }
  close(fd);
}

// Reads one request from `fd` and answers it; status 0 when there is no one to answer (the
// client sent nothing, or the server stops).
Response Server::Answer(int fd, Clock::time_point deadline, bool* head_request) {
  Exchange exchange{fd, stop_pipe_[0], deadline};
  if (std::optional<Response> refusal = exchange.ReadHead(options_.max_header_bytes)) {
    return *refusal;
  }
  RequestHead head = ParseRequestHead(exchange.Head());
  if (head.error_status != 0) return Response::Text(head.error_status, head.error);
  Request& request = head.request;
  *head_request = request.method == "HEAD";
  std::string allow;
  const Route* route = FindRoute(request, &allow);
  if (route == nullptr && allow.empty()) return Response::Text(404, "no such path");
  if (route == nullptr) {
    Response response = Response::Text(405, "this path takes " + allow);
    response.headers.emplace_back("Allow", allow);
    return response;
  }
  if (head.content_length > route->max_body_bytes) {
    return Response::Text(
        413, "the body is larger than " + std::to_string(route->max_body_bytes) + " bytes");
  }
  if (std::optional<Response> refusal =
          exchange.ReadBody(head.content_length, head.expect_continue, &request.body)) {
    return *refusal;
  }
  return Dispatch(*route, request);
}

const Server::Route* Server::FindRoute(const Request& request, std::string* allow) const {
  const Route* found = nullptr;
  for (const Route& route : routes_) {
    if (route.path != request.path) continue;
    *allow += (allow->empty() ? "" : ", ") + route.method + (route.method == "GET" ? ", HEAD" : "");
    if (route.method == request.method || (route.method == "GET" && request.method == "HEAD")) {
      found = &route;
    }
  }
  return found;
}

Response Server::Dispatch(const Route& route, const Request& request) {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    LogError("http handler failed", {{"path", request.path}, {"error", e.what()}});
  } catch (...) {
    LogError("http handler failed", {{"path", request.path}});
  }
  return Response::Text(500, "internal error");
}

}  // namespace mtasts::http
