// JSON that is safe to print whatever bytes its strings hold. nlohmann::json::dump throws on a
// string that is not UTF-8, and strings here often hold bytes from outside. Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace mtasts {

// For reading (reports, logs): a copy with every string and key passed through Printable
// (printable.h), so the text holds no control character even after a JSON decoder has
// unescaped it.
nlohmann::json PrintableJson(const nlohmann::json& value);

// Never throws: strings are written as they are, except that bytes that are not UTF-8, which
// JSON cannot carry, become U+FFFD. For data sent on (Kubernetes objects) and as the last line
// of defence wherever JSON is written.
std::string DumpJson(const nlohmann::json& value, int indent = -1);

}  // namespace mtasts
