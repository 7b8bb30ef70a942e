// SMTP replies (RFC 5321 §4.2): multi-line assembly ("250-a", "250-b", "250 c"), reading one
// from a LineReader, and the EHLO keywords. The assembly is pure and unit-tested.
//
// Thread-compatible.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "probe/byte_stream.h"

namespace mtasts::probe {

struct SmtpReply {
  int code = 0;
  std::vector<std::string> lines;  // the text of each line, after "250-" / "250 "
  std::string Text() const;        // lines joined by "\n"
};

class SmtpReplyAssembler {
 public:
  // kInvalidArgument for a line that is not "ddd", "ddd text" or "ddd-text", or whose code
  // differs from the first line's; kOutOfRange past max_lines.
  Status Add(std::string_view line);
  bool complete() const { return complete_; }
  const SmtpReply& reply() const { return reply_; }

  static constexpr size_t kMaxLines = 128;

 private:
  SmtpReply reply_;
  bool complete_ = false;
};

// Reads one whole reply. Errors carry the reason (timeout, closed, malformed).
StatusOr<SmtpReply> ReadSmtpReply(LineReader& reader, Deadline deadline);

// The EHLO extension keywords, upper case: "250-PIPELINING" -> "PIPELINING",
// "250 STARTTLS" -> "STARTTLS". The first line (the greeting) is skipped.
std::vector<std::string> EhloKeywords(const SmtpReply& ehlo);

}  // namespace mtasts::probe
