// TcpConnection: a non-blocking TCP connection to one numeric address, every call bounded by a
// deadline (connect included). Owns its socket.
//
// Thread-safety: one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "probe/byte_stream.h"

namespace mtasts::probe {

class TcpConnection final : public ByteStream {
 public:
  // `address` is a numeric IPv4 or IPv6 address. kInvalidArgument for a non-numeric address,
  // kDeadlineExceeded on timeout, kUnavailable when refused or unreachable.
  static StatusOr<std::unique_ptr<TcpConnection>> Connect(std::string_view address, uint16_t port,
                                                          Deadline deadline);
  ~TcpConnection() override;
  TcpConnection(const TcpConnection&) = delete;
  TcpConnection& operator=(const TcpConnection&) = delete;

  StatusOr<size_t> Read(char* buffer, size_t capacity, Deadline deadline) override;
  Status Write(std::string_view bytes, Deadline deadline) override;

  int fd() const { return fd_; }

  // Waits until the socket is readable (POLLIN) or writable (POLLOUT).
  Status WaitFor(short events, Deadline deadline) const;

 private:
  explicit TcpConnection(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace mtasts::probe
