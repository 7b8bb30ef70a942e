// The body half of HttpResponseParser: Feed's state machine over the received bytes.
#include <algorithm>

#include "probe/http_response.h"

namespace mtasts::probe {
namespace {

constexpr size_t kMaxChunkLine = 1024;  // a size in hex and any extensions

// Position just past the blank line that ends the head, or npos. Tolerates bare LF line ends.
size_t HeadEnd(const std::string& bytes) {
  size_t start = 0;
  for (size_t nl; (nl = bytes.find('\n', start)) != std::string::npos; start = nl + 1) {
    size_t length = nl - start;
    if (length == 0 || (length == 1 && bytes[start] == '\r')) return nl + 1;
  }
  return std::string::npos;
}

}  // namespace

Status HttpResponseParser::Feed(std::string_view bytes) {
  if (state_ == State::kDone) return OkStatus();
  pending_.append(bytes);
  return Step();
}

Status HttpResponseParser::Step() {
  for (;;) {
    switch (state_) {
      case State::kHead: {
        size_t end = HeadEnd(pending_);
        if (end == std::string::npos) {
          if (pending_.size() > max_head_) {
            return ResourceExhaustedError("the response head is longer than " +
                                          std::to_string(max_head_) + " bytes");
          }
          return OkStatus();
        }
        if (end > max_head_) {  // the same verdict whether the head came in one piece or many
          return ResourceExhaustedError("the response head is longer than " +
                                        std::to_string(max_head_) + " bytes");
        }
        std::string head = pending_.substr(0, end);
        pending_.erase(0, end);
        RETURN_IF_ERROR(ParseHead(head));
        RETURN_IF_ERROR(StartBody());
        break;
      }
      case State::kFixedBody:
      case State::kChunkData: {
        size_t take = std::min(remaining_, pending_.size());
        RETURN_IF_ERROR(AppendBody(std::string_view(pending_).substr(0, take)));
        pending_.erase(0, take);
        remaining_ -= take;
        if (remaining_ > 0) return OkStatus();
        state_ = state_ == State::kFixedBody ? State::kDone : State::kChunkDataEnd;
        break;
      }
      case State::kChunkSize: {
        size_t nl = pending_.find("\r\n");
        if (std::min(nl, pending_.size()) > kMaxChunkLine) {
          return InvalidArgumentError("chunk-size line too long");
        }
        if (nl == std::string::npos) return OkStatus();
        std::string_view line = std::string_view(pending_).substr(0, nl);
        size_t size = 0;
        if (!ParseHttpSize(line.substr(0, line.find(';')), 16, &size)) {
          return InvalidArgumentError("invalid chunk size \"" + std::string(line.substr(0, 40)) +
                                      "\"");
        }
        if (size > max_body_ - std::min(max_body_, response_.body.size())) {
          return ResourceExhaustedError("the chunked body is more than the limit of " +
                                        std::to_string(max_body_) + " bytes");
        }
        pending_.erase(0, nl + 2);
        remaining_ = size;
        state_ = size == 0 ? State::kTrailer : State::kChunkData;
        break;
      }
      case State::kChunkDataEnd:
        if (pending_.size() < 2) return OkStatus();
        if (pending_.compare(0, 2, "\r\n") != 0) {
          return InvalidArgumentError("chunk data is not followed by CRLF");
        }
        pending_.erase(0, 2);
        state_ = State::kChunkSize;
        break;
      case State::kTrailer: {
        size_t nl = pending_.find("\r\n");
        if (std::min(nl, pending_.size()) > max_head_)
          return InvalidArgumentError("trailer too long");
        if (nl == std::string::npos) return OkStatus();
        pending_.erase(0, nl + 2);
        if (nl == 0) state_ = State::kDone;  // the empty line ends the trailer section
        break;
      }
      case State::kToClose:
        RETURN_IF_ERROR(AppendBody(pending_));
        pending_.clear();
        return OkStatus();
      case State::kDone:
        pending_.clear();
        return OkStatus();
    }
  }
}

Status HttpResponseParser::Close() {
  switch (state_) {
    case State::kToClose:
      state_ = State::kDone;
      return OkStatus();
    case State::kDone:
      return OkStatus();
    case State::kHead:
      return InvalidArgumentError(pending_.empty()
                                      ? "the server closed the connection without a response"
                                      : "the server closed the connection in the middle of the "
                                        "response head");
    default:
      return InvalidArgumentError("the server closed the connection before the end of the body");
  }
}

}  // namespace mtasts::probe
