// HttpResponseParser: an incremental parser for one HTTP/1.1 response to a GET sent with
// Connection: close. Status line, headers, then a body delimited by Content-Length, by chunked
// transfer coding (RFC 9112 §7.1), or by the close of the connection. The body is capped: one byte
// over the cap is an error, never a silent truncation. Pure (bytes in, verdict out), so it is
// unit-tested and fuzzed without a network.
//
// Thread-compatible.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace mtasts::probe {

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // names as sent, values trimmed
  std::string body;

  // The first header of that name (case-insensitive), if any.
  std::optional<std::string> Header(std::string_view name) const;
};

// "text/plain" for "Text/Plain; charset=utf-8": the media type, lower case, no parameters.
std::string MediaType(std::string_view content_type);

// A Content-Length (base 10) or chunk size (base 16): digits only, no sign, at most 15 of them.
bool ParseHttpSize(std::string_view digits, int base, size_t* out);

class HttpResponseParser {
 public:
  explicit HttpResponseParser(size_t max_body, size_t max_head = 32 * 1024)
      : max_body_(max_body), max_head_(max_head) {}

  // Consumes received bytes. kInvalidArgument for a malformed response, kResourceExhausted when
  // the body (or the head) outgrows its cap. Bytes after a complete response are ignored.
  Status Feed(std::string_view bytes);
  // The connection has closed: completes a close-delimited body; kInvalidArgument if the
  // response is cut short.
  Status Close();

  bool complete() const { return state_ == State::kDone; }
  bool head_complete() const { return state_ != State::kHead; }
  const HttpResponse& response() const { return response_; }

 private:
  enum class State {
    kHead,
    kFixedBody,  // Content-Length bytes to go
    kChunkSize,
    kChunkData,
    kChunkDataEnd,  // the CRLF after a chunk
    kTrailer,
    kToClose,  // body ends when the connection does
    kDone,
  };
  Status ParseHead(std::string_view head);
  Status StartBody();
  Status AppendBody(std::string_view bytes);
  Status Step();  // consumes pending_ until more bytes are needed

  size_t max_body_;
  size_t max_head_;
  State state_ = State::kHead;
  std::string pending_;   // received, not yet consumed
  size_t remaining_ = 0;  // of the Content-Length or of the current chunk
  HttpResponse response_;
};

}  // namespace mtasts::probe
