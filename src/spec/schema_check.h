// Checks a YAML tree against the MtaStsPolicy schema (spec/schema.h): unknown fields, types,
// required fields, enums, lengths, bounds, patterns, list sizes and duplicates. Every problem
// becomes a positioned Diagnostic; nothing stops at the first. Pure; thread-safe.
#pragma once

#include <vector>

#include "spec/diagnostic.h"
#include "spec/yaml_document.h"

namespace mtasts::spec {

void CheckAgainstSchema(const YamlNode& root, std::vector<Diagnostic>& diagnostics);

}  // namespace mtasts::spec
