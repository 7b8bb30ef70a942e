#include "tlsrpt/field_reader.h"

#include <arpa/inet.h>

#include <limits>

#include "base/utc_time.h"

namespace mtasts::tlsrpt {

using json = nlohmann::json;

std::string JsonTypeName(const json& value) {
  if (value.is_number_float()) return "a fraction";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "an array";
  if (value.is_object()) return "an object";
  if (value.is_boolean()) return "a boolean";
  return "null";
}

std::string JsonPath(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

StatusOr<const json*> FieldReader::Member(const json& object, const std::string& path,
                                          std::string_view key, Need need) {
  auto it = object.find(key);
  if (it != object.end()) return &*it;
  std::string where = JsonPath(path, key);
  if (need == Need::kRequired || (need == Need::kExpected && !tolerant_)) {
    return InvalidArgumentError(where + ": missing (a required field)");
  }
  if (need == Need::kExpected) warnings_->push_back(where + ": missing");
  return static_cast<const json*>(nullptr);
}

StatusOr<const json*> FieldReader::Typed(const json& object, const std::string& path,
                                         std::string_view key, Need need, json::value_t type) {
  ASSIGN_OR_RETURN(const json* value, Member(object, path, key, need));
  if (value != nullptr && value->type() != type) {
    return InvalidArgumentError(JsonPath(path, key) + ": must be " + JsonTypeName(json(type)) +
                                ", got " + JsonTypeName(*value));
  }
  return value;
}

Status FieldReader::ReadString(const json& object, const std::string& path, std::string_view key,
                               Need need, std::string* out) {
  ASSIGN_OR_RETURN(const json* value, Typed(object, path, key, need, json::value_t::string));
  if (value != nullptr) *out = value->get<std::string>();
  return OkStatus();
}

Status FieldReader::ReadStringList(const json& object, const std::string& path,
                                   std::string_view key, LoneString lone,
                                   std::vector<std::string>* out) {
  ASSIGN_OR_RETURN(const json* value, Member(object, path, key, Need::kOptional));
  if (value == nullptr) return OkStatus();
  if (value->is_string()) {
    std::string what = JsonPath(path, key) + ": a string, read as a one-element array";
    if (lone == LoneString::kAccept) {
      warnings_->push_back(std::move(what));
    } else {
      RETURN_IF_ERROR(Deviation(std::move(what)));
    }
    out->push_back(value->get<std::string>());
    return OkStatus();
  }
  if (!value->is_array()) {
    return InvalidArgumentError(JsonPath(path, key) + ": must be an array of strings, got " +
                                JsonTypeName(*value));
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const json& element = (*value)[i];
    if (!element.is_string()) {
      return InvalidArgumentError(JsonPath(path, key) + "[" + std::to_string(i) +
                                  "]: must be a string, got " + JsonTypeName(element));
    }
    out->push_back(element.get<std::string>());
  }
  return OkStatus();
}

Status FieldReader::ReadCount(const json& object, const std::string& path, std::string_view key,
                              int64_t* out) {
  ASSIGN_OR_RETURN(const json* value, Member(object, path, key, Need::kRequired));
  if (!value->is_number_unsigned() ||
      value->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    std::string got = value->is_number_integer() ? "a negative number" : JsonTypeName(*value);
    return InvalidArgumentError(JsonPath(path, key) + ": must be a non-negative integer, got " +
                                got);
  }
  *out = static_cast<int64_t>(value->get<uint64_t>());
  return OkStatus();
}

Status FieldReader::ReadIp(const json& object, const std::string& path, std::string_view key,
                           std::string* out) {
  RETURN_IF_ERROR(ReadString(object, path, key, Need::kOptional, out));
  if (object.find(key) == object.end()) return OkStatus();
  unsigned char buf[16];
  if (inet_pton(AF_INET, out->c_str(), buf) == 1 || inet_pton(AF_INET6, out->c_str(), buf) == 1) {
    return OkStatus();
  }
  return Deviation(JsonPath(path, key) + ": \"" + *out + "\" is not an IPv4 or IPv6 address");
}

Status FieldReader::ReadDateTime(const json& object, const std::string& path, std::string_view key,
                                 std::chrono::sys_seconds* out) {
  std::string text;
  ASSIGN_OR_RETURN(const json* value, Member(object, path, key, Need::kExpected));
  if (value == nullptr) return OkStatus();
  RETURN_IF_ERROR(ReadString(object, path, key, Need::kRequired, &text));
  std::optional<DateTime> parsed = ParseDateTime(text);
  if (!parsed) {
    return InvalidArgumentError(JsonPath(path, key) + ": \"" + text +
                                "\" is not an RFC 3339 date-time like 2024-08-02T00:00:00Z");
  }
  *out = parsed->utc;
  if (parsed->had_offset) return OkStatus();
  return Deviation(JsonPath(path, key) + ": \"" + text + "\" has no UTC offset; read as UTC");
}

Status FieldReader::Deviation(std::string what) {
  if (!tolerant_) return InvalidArgumentError(std::move(what));
  warnings_->push_back(std::move(what));
  return OkStatus();
}

}  // namespace mtasts::tlsrpt
