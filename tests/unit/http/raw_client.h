// RawClient: a plain HTTP client on loopback for tests, so a test can send exactly the bytes it
// means, slowly or not at all, and read exactly what the server sends. Not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace mtasts::http {

class RawClient {
 public:
  // Connects to host:port (a numeric IPv4 or IPv6 address); see connected().
  explicit RawClient(int port, const std::string& host = "127.0.0.1");
  ~RawClient();
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  // Sends all of `bytes`; false if the connection takes less.
  bool Send(std::string_view bytes);
  // True when a byte (or the end of the stream) arrives within `wait`.
  bool ReadableWithin(std::chrono::milliseconds wait);
  // Everything the server sends until it closes, or until `limit` has passed.
  std::string ReadAll(std::chrono::milliseconds limit = std::chrono::milliseconds(5000));
  // Exactly `n` bytes, or fewer if the server closes first (or sends nothing for 5 s).
  std::string Read(size_t n);

 private:
  int fd_ = -1;
  bool connected_ = false;
};

// Sends `request` on a new connection to 127.0.0.1:port and returns the whole response.
std::string Exchange(int port, std::string_view request);

// What follows the head of `response`.
std::string Body(const std::string& response);

}  // namespace mtasts::http
