#include "probe/tcp_connection.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace mtasts::probe {
namespace {

std::string Endpoint(std::string_view address, uint16_t port) {
  bool v6 = address.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(address) + "]" : std::string(address)) + ":" +
         std::to_string(port);
}

int RemainingMs(Deadline deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count(), 1 << 30));
}

}  // namespace

StatusOr<std::unique_ptr<TcpConnection>> TcpConnection::Connect(std::string_view address,
                                                                uint16_t port, Deadline deadline) {
  sockaddr_storage storage{};
  socklen_t length = 0;
  std::string text(address);
  auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, text.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    length = sizeof *v6;
  } else {
    return InvalidArgumentError("\"" + text + "\" is not a numeric IPv4 or IPv6 address");
  }
  int fd = socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return UnavailableError(std::string("socket: ") + std::strerror(errno));
  std::unique_ptr<TcpConnection> conn(new TcpConnection(fd));
  std::string where = Endpoint(address, port);
  if (connect(fd, reinterpret_cast<sockaddr*>(&storage), length) != 0) {
    if (errno != EINPROGRESS) {
      return UnavailableError("connect to " + where + ": " + std::strerror(errno));
    }
    Status ready = conn->WaitFor(POLLOUT, deadline);
    if (!ready.ok()) return ready.WithContext("connect to " + where);
    int error = 0;
    socklen_t size = sizeof error;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
    if (error != 0) return UnavailableError("connect to " + where + ": " + std::strerror(error));
  }
  return conn;
}

TcpConnection::~TcpConnection() { close(fd_); }

Status TcpConnection::WaitFor(short events, Deadline deadline) const {
  for (;;) {
    pollfd p{fd_, events, 0};
    int ready = poll(&p, 1, RemainingMs(deadline));
    if (ready > 0) return OkStatus();
    if (ready == 0) return DeadlineExceededError("timed out");
    if (errno != EINTR) return UnavailableError(std::string("poll: ") + std::strerror(errno));
  }
}

StatusOr<size_t> TcpConnection::Read(char* buffer, size_t capacity, Deadline deadline) {
  for (;;) {
    ssize_t n = recv(fd_, buffer, capacity, 0);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return UnavailableError(std::string("read: ") + std::strerror(errno));
    }
    RETURN_IF_ERROR(WaitFor(POLLIN, deadline));
  }
}

Status TcpConnection::Write(std::string_view bytes, Deadline deadline) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n >= 0) {
      bytes.remove_prefix(static_cast<size_t>(n));
      continue;
    }
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      return UnavailableError(std::string("write: ") + std::strerror(errno));
    }
    RETURN_IF_ERROR(WaitFor(POLLOUT, deadline));
  }
  return OkStatus();
}

}  // namespace mtasts::probe
