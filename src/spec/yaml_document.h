// YamlNode: one YAML document as a small tree of mappings, sequences and scalars, each node
// carrying its line and column, built from yaml-cpp's event stream.
//
// The reader is built for hostile input. It never throws; it refuses, with a positioned error:
//   - input over kMaxYamlBytes, invalid UTF-8, NUL or other control bytes;
//   - anchors, aliases and tags (no billion laughs: nothing is ever expanded);
//   - nesting deeper than kMaxYamlDepth, more than kMaxYamlNodes nodes;
//   - duplicate mapping keys, non-scalar keys, and more than one document.
// Pure functions over values; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "spec/text_checks.h"

namespace mtasts::spec {

inline constexpr std::size_t kMaxYamlBytes = 1 << 20;
inline constexpr int kMaxYamlDepth = 32;
inline constexpr std::size_t kMaxYamlNodes = 100000;

struct YamlEntry;

struct YamlNode {
  enum class Kind { kNull, kScalar, kMapping, kSequence };

  Kind kind = Kind::kNull;
  int line = 0;                    // 1-based; 0 when unknown
  int column = 0;                  // 1-based
  std::string scalar;              // kScalar only
  bool quoted = false;             // kScalar: written in quotes, so never a number, boolean or null
  std::vector<YamlEntry> entries;  // kMapping, in document order
  std::vector<YamlNode> items;     // kSequence

  // The value of `key` in a mapping, or nullptr.
  const YamlNode* Find(std::string_view key) const;
};

// One key and its value in a mapping; keys are always scalars.
struct YamlEntry {
  std::string key;
  int key_line = 0;
  int key_column = 0;
  YamlNode value;
};

// "mapping", "sequence", "string", "null" ... for messages.
std::string_view KindName(const YamlNode& node);

// How a scalar reads in YAML's core schema: "integer", "number", "boolean", "null" or "string"
// (quoted scalars are always strings).
std::string_view ScalarTypeName(const YamlNode& scalar);

// Parses exactly one document (an empty input is one null document). Errors are
// InvalidArgument saying what is wrong; `*where` (if given) receives its place.
StatusOr<YamlNode> ParseYamlDocument(std::string_view text, TextPosition* where = nullptr);

}  // namespace mtasts::spec
