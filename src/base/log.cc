#include "base/log.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <mutex>

#include "base/printable.h"
#include "base/utc_time.h"

namespace mtasts {
namespace {

std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_write_mu;

constexpr std::string_view kLevelNames[] = {"debug", "info", "warning", "error"};

// Messages and fields often carry bytes from outside. After Printable there is no control
// character and no invalid UTF-8 left, so only the quote and the backslash need escaping.
void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  for (char c : Printable(s)) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

}  // namespace

void SetLogLevel(LogLevel level) { g_level = level; }

bool ParseLogLevel(std::string_view text, LogLevel* level) {
  for (size_t i = 0; i < std::size(kLevelNames); ++i) {
    if (text == kLevelNames[i]) {
      *level = static_cast<LogLevel>(i);
      return true;
    }
  }
  return false;
}

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (level < g_level.load()) return;
  std::string line = "{\"ts\":\"" +
                     FormatUtc(std::chrono::system_clock::now(), SecondFraction::kMillis) +
                     "\",\"level\":\"";
  line += kLevelNames[static_cast<int>(level)];
  line += "\",\"msg\":";
  AppendJsonString(line, message);
  for (const auto& [key, value] : fields) {
    line += ',';
    AppendJsonString(line, key);
    line += ':';
    AppendJsonString(line, value);
  }
  line += "}\n";
  std::lock_guard lock(g_write_mu);
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + off, line.size() - off);
    if (n <= 0) break;
    off += static_cast<size_t>(n);
  }
}

}  // namespace mtasts
