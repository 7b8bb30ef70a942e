#include "base/json_text.h"

#include "base/printable.h"

namespace mtasts {

nlohmann::json PrintableJson(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return Printable(value.get_ref<const std::string&>());
    case nlohmann::json::value_t::array: {
      nlohmann::json out = nlohmann::json::array();
      for (const nlohmann::json& item : value) out.push_back(PrintableJson(item));
      return out;
    }
    case nlohmann::json::value_t::object: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& [key, item] : value.items()) out[Printable(key)] = PrintableJson(item);
      return out;
    }
    default:
      return value;
  }
}

std::string DumpJson(const nlohmann::json& value, int indent) {
  return value.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace mtasts
