// ByteStream: a connected byte stream with a deadline on every call (plain TCP or TLS), and
// LineReader, which reads CRLF-terminated lines from one with a bounded line length. The SMTP and
// HTTP clients are written against these, so the plaintext and TLS halves of a session share
// their code.
//
// Thread-safety: one thread at a time per stream or reader.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace mtasts::probe {

using Deadline = std::chrono::steady_clock::time_point;

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // Reads up to `capacity` bytes; returns 0 at end of stream. kDeadlineExceeded on timeout,
  // kUnavailable when the connection fails.
  virtual StatusOr<size_t> Read(char* buffer, size_t capacity, Deadline deadline) = 0;
  virtual Status Write(std::string_view bytes, Deadline deadline) = 0;
};

class LineReader {
 public:
  LineReader(ByteStream& stream, size_t max_line) : stream_(&stream), max_line_(max_line) {}

  // The next line without its CRLF (a bare LF is accepted too). kOutOfRange when a line is
  // longer than max_line; kUnavailable when the stream ends before a line ends.
  StatusOr<std::string> ReadLine(Deadline deadline);
  // Bytes received but not yet returned as lines.
  size_t buffered() const { return buffer_.size() - consumed_; }
  // Switches to another stream (after a TLS handshake), keeping nothing buffered.
  void Reset(ByteStream& stream);

 private:
  ByteStream* stream_;
  size_t max_line_;
  std::string buffer_;
  size_t consumed_ = 0;
};

}  // namespace mtasts::probe
