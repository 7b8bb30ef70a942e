#include "spec/text_checks.h"

#include <cstdio>
#include <string>

#include "base/strings.h"
#include "policy/syntax.h"

namespace mtasts::spec {
namespace {

std::string Hex(unsigned char byte) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "0x%02x", byte);
  return buffer;
}

Status ErrorAt(int line, int column, TextPosition* where, const std::string& what) {
  if (where != nullptr) *where = {line, column};
  return InvalidArgumentError(what);
}

}  // namespace

Status CheckTextInput(std::string_view text, std::size_t max_bytes, TextPosition* where) {
  if (text.size() > max_bytes) {
    return ErrorAt(0, 0, where,
                   "input is " + std::to_string(text.size()) + " bytes; the limit is " +
                       std::to_string(max_bytes));
  }
  int line_number = 1;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
        return ErrorAt(line_number, static_cast<int>(i) + 1, where,
                       "control character " + Hex(c) + "; is this a binary file?");
      }
    }
    if (!IsValidUtf8(line)) {
      return ErrorAt(line_number, 0, where, "invalid UTF-8; save the file as UTF-8");
    }
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
    ++line_number;
  }
  return OkStatus();
}

}  // namespace mtasts::spec
