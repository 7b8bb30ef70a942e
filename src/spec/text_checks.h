// Checks that a byte string is text we are willing to parse, before any parser sees it.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/status.h"

namespace mtasts::spec {

// A place in a text, both 1-based; 0 when unknown.
struct TextPosition {
  int line = 0;
  int column = 0;
};

// Ok when `text` is at most `max_bytes` long, valid UTF-8, and
// free of control characters other than TAB, LF and CR. Otherwise InvalidArgument saying what
// was found ("invalid UTF-8; save the file as UTF-8"), and its place in `*where`.
Status CheckTextInput(std::string_view text, std::size_t max_bytes, TextPosition* where);

}  // namespace mtasts::spec
