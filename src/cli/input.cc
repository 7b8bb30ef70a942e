#include "cli/input.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "spec/text_checks.h"

namespace mtasts::cli {
namespace {

std::string ReadAtMost(std::istream& in, std::size_t limit) {
  std::string text;
  char buffer[1 << 16];
  while (text.size() <= limit && in.read(buffer, sizeof buffer).gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
  }
  return text;
}

StatusOr<std::string> ReadFile(const std::string& path, std::size_t limit) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (status.type() == std::filesystem::file_type::not_found) {
    return NotFoundError(path + ": no such file");
  }
  if (status.type() == std::filesystem::file_type::directory) {
    return InvalidArgumentError(path + ": is a directory; pass a file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return PermissionDeniedError(path + ": cannot open: " + std::strerror(errno));
  std::string text = ReadAtMost(in, limit);
  if (in.bad()) return PermissionDeniedError(path + ": cannot read: " + std::strerror(errno));
  return text;
}

}  // namespace

StatusOr<Input> ReadTextInput(const std::string& path) {
  Input input;
  if (path == "-") {
    input.name = "<stdin>";
    input.text = ReadAtMost(std::cin, kMaxInputBytes);
  } else {
    input.name = path;
    ASSIGN_OR_RETURN(input.text, ReadFile(path, kMaxInputBytes));
  }
  if (input.text.size() > kMaxInputBytes) {
    return ResourceExhaustedError(input.name + ": larger than 1 MiB; an MtaStsPolicy or a " +
                                  "policy file is a few hundred bytes: is this the right file?");
  }
  spec::TextPosition where;
  if (input.text.empty()) return FailedPreconditionError(input.name + ": the file is empty");
  if (Status text = spec::CheckTextInput(input.text, kMaxInputBytes, &where); !text.ok()) {
    std::string place = input.name + ":" + std::to_string(where.line) + ":";
    if (where.column > 0) place += std::to_string(where.column) + ":";
    return FailedPreconditionError(place + " " + text.message());
  }
  return input;
}

StatusOr<Input> ReadBytesInput(const std::string& path, std::size_t limit) {
  Input input{path == "-" ? "<stdin>" : path, ""};
  if (path == "-") {
    input.text = ReadAtMost(std::cin, limit);
  } else {
    ASSIGN_OR_RETURN(input.text, ReadFile(path, limit));
  }
  if (input.text.size() > limit) {
    return ResourceExhaustedError(input.name + ": larger than " + std::to_string(limit >> 20) +
                                  " MiB");
  }
  if (input.text.empty()) return FailedPreconditionError(input.name + ": the file is empty");
  return input;
}

int ExitStatusFor(const Status& read_error) {
  switch (read_error.code()) {
    case StatusCode::kResourceExhausted:
    case StatusCode::kFailedPrecondition:
      return kExitProblems;
    default:
      return kExitUsage;
  }
}

}  // namespace mtasts::cli
