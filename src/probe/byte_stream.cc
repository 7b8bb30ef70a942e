#include "probe/byte_stream.h"

namespace mtasts::probe {

StatusOr<std::string> LineReader::ReadLine(Deadline deadline) {
  for (;;) {
    size_t end = buffer_.find('\n', consumed_);
    if (end != std::string::npos) {
      size_t length = end - consumed_;
      if (length > 0 && buffer_[end - 1] == '\r') --length;
      std::string line = buffer_.substr(consumed_, length);
      consumed_ = end + 1;
      if (line.size() > max_line_) break;
      return line;
    }
    if (buffer_.size() - consumed_ > max_line_) break;
    buffer_.erase(0, consumed_);
    consumed_ = 0;
    char chunk[4096];
    ASSIGN_OR_RETURN(size_t n, stream_->Read(chunk, sizeof chunk, deadline));
    if (n == 0) return UnavailableError("the peer closed the connection in the middle of a line");
    buffer_.append(chunk, n);
  }
  return OutOfRangeError("a line is longer than " + std::to_string(max_line_) + " bytes");
}

void LineReader::Reset(ByteStream& stream) {
  stream_ = &stream;
  buffer_.clear();
  consumed_ = 0;
}

}  // namespace mtasts::probe
