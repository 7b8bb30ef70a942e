// Reading the one text a command works on (a file, or "-" for standard input), with every way
// that can fail spelled out for the user. Blocking I/O; thread-compatible.
#pragma once

#include <cstddef>
#include <string>

#include "base/status.h"

namespace mtasts::cli {

// Policy files are at most 64 KiB and resources a few KiB; anything larger is refused unread.
inline constexpr std::size_t kMaxInputBytes = 1 << 20;

struct Input {
  std::string name;  // as the user wrote it; "<stdin>" for "-"
  std::string text;  // for ReadBytesInput, any bytes
};

// Reads at most kMaxInputBytes + 1 bytes, so an endless stream cannot hang us. Errors:
//   NotFound, PermissionDenied, InvalidArgument (a directory)  -> the file cannot be read;
//   ResourceExhausted                                          -> larger than kMaxInputBytes;
//   FailedPrecondition                                         -> empty, binary or not UTF-8.
// Every message starts with the input's name and says what to do.
StatusOr<Input> ReadTextInput(const std::string& path);

// Any bytes, at most limit of them (read limit + 1, so an endless stream cannot hang us), not
// empty. Errors as ReadTextInput's, without the text checks.
StatusOr<Input> ReadBytesInput(const std::string& path, std::size_t limit);

// kExitProblems when the content is at fault, kExitUsage when the file could not be read.
int ExitStatusFor(const Status& read_error);

}  // namespace mtasts::cli
