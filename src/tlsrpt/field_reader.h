// FieldReader: typed access to the members of a JSON object, for the report parser. Every error
// names the JSON path ("policies[0].summary.total-failure-session-count: ..."); deviations that
// real senders produce are errors in strict mode and warnings in tolerant mode. Internal to
// mtasts::tlsrpt; not thread-safe (it appends to the caller's warning list).
#pragma once

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace mtasts::tlsrpt {

enum class Need {
  kRequired,  // missing is an error in both modes
  kExpected,  // missing is an error in strict mode, a warning in tolerant mode
  kOptional,
};

// "a string", "an array", "a negative number" ... for messages.
std::string JsonTypeName(const nlohmann::json& value);
// "path.key", or "key" at the top level.
std::string JsonPath(const std::string& path, std::string_view key);

class FieldReader {
 public:
  using json = nlohmann::json;

  FieldReader(bool tolerant, std::vector<std::string>* warnings)
      : tolerant_(tolerant), warnings_(warnings) {}

  // The member, nullptr if it is absent and that is allowed, or an error.
  StatusOr<const json*> Member(const json& object, const std::string& path, std::string_view key,
                               Need need);
  // Member() that must also have `type` when present.
  StatusOr<const json*> Typed(const json& object, const std::string& path, std::string_view key,
                              Need need, json::value_t type);
  Status ReadString(const json& object, const std::string& path, std::string_view key, Need need,
                    std::string* out);
  // What a lone string where an array of strings belongs means: accepted with a warning in both
  // modes (kAccept), or a Deviation (kDeviation).
  enum class LoneString { kAccept, kDeviation };
  // An optional array of strings; a lone string is read as a one-element array.
  Status ReadStringList(const json& object, const std::string& path, std::string_view key,
                        LoneString lone, std::vector<std::string>* out);
  // A required non-negative integer.
  Status ReadCount(const json& object, const std::string& path, std::string_view key, int64_t* out);
  // An optional IPv4 or IPv6 address string.
  Status ReadIp(const json& object, const std::string& path, std::string_view key,
                std::string* out);
  // An RFC 3339 date-time (kExpected).
  Status ReadDateTime(const json& object, const std::string& path, std::string_view key,
                      std::chrono::sys_seconds* out);
  // A deviation real senders produce: an error in strict mode, a warning in tolerant mode.
  Status Deviation(std::string what);
  void Warn(std::string what) { warnings_->push_back(std::move(what)); }

 private:
  bool tolerant_;
  std::vector<std::string>* warnings_;
};

}  // namespace mtasts::tlsrpt
