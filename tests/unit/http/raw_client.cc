#include "unit/http/raw_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>

namespace mtasts::http {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

RawClient::RawClient(int port, const std::string& host) {
  sockaddr_storage address{};
  socklen_t length = 0;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof *v4;
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof *v6;
  }
  fd_ = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  connected_ = fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&address), length) == 0;
}

RawClient::~RawClient() {
  if (fd_ >= 0) close(fd_);
}

bool RawClient::Send(std::string_view bytes) {
  return send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

bool RawClient::ReadableWithin(milliseconds wait) {
  pollfd fd{fd_, POLLIN, 0};
  return poll(&fd, 1, static_cast<int>(std::max<milliseconds::rep>(wait.count(), 0))) == 1;
}

std::string RawClient::ReadAll(milliseconds limit) {
  std::string out;
  const auto deadline = steady_clock::now() + limit;
  while (ReadableWithin(std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now()))) {
    char chunk[4096];
    const ssize_t n = recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) break;
    out.append(chunk, static_cast<size_t>(n));
  }
  return out;
}

std::string RawClient::Read(size_t n) {
  std::string out;
  while (out.size() < n && ReadableWithin(milliseconds(5000))) {
    char chunk[4096];
    const ssize_t got = recv(fd_, chunk, std::min(sizeof chunk, n - out.size()), 0);
    if (got <= 0) break;
    out.append(chunk, static_cast<size_t>(got));
  }
  return out;
}

std::string Exchange(int port, std::string_view request) {
  RawClient client(port);
  client.Send(request);
  return client.ReadAll();
}

std::string Body(const std::string& response) {
  const size_t at = response.find("\r\n\r\n");
  return at == std::string::npos ? "" : response.substr(at + 4);
}

}  // namespace mtasts::http
