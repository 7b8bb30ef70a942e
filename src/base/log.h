// Structured logging: one JSON object per line on stderr, e.g.
//   {"ts":"2026-11-28T20:40:00.123Z","level":"info","msg":"reconciled","domain":"example.com"}
// Thread-safe: each line is written with a single write under a lock.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace mtasts {

enum class LogLevel { kDebug = 0, kInfo, kWarning, kError };

using LogField = std::pair<std::string_view, std::string_view>;

void SetLogLevel(LogLevel level);
// Parses "debug", "info", "warning" or "error"; returns false on anything else.
bool ParseLogLevel(std::string_view text, LogLevel* level);

void Log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

inline void LogDebug(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kDebug, m, f);
}
inline void LogInfo(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kInfo, m, f);
}
inline void LogWarning(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kWarning, m, f);
}
inline void LogError(std::string_view m, std::initializer_list<LogField> f = {}) {
  Log(LogLevel::kError, m, f);
}

}  // namespace mtasts
