// A small command-line parser for the `mtasts` commands and the operator: long options
// ("--mode testing" or "--mode=testing"), flags, "-h"/"--help", "--" to end options, and "-" as a
// positional (standard input). Pure; thread-safe.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace mtasts {

struct OptionSpec {
  std::string_view name;  // "--mode"
  bool takes_value = false;
  // A flag that may also be written "--name=value" (e.g. "--allow-private-addresses=false");
  // given bare, its value is "".
  bool optional_value = false;
};

struct ParsedArgs {
  bool help = false;
  std::vector<std::string> positional;
  std::vector<std::pair<std::string, std::string>> options;  // in order; flags have ""

  bool Has(std::string_view name) const;
  // The last value given for `name`, or `fallback`.
  std::string Value(std::string_view name, std::string fallback = "") const;
  std::vector<std::string> Values(std::string_view name) const;
};

// InvalidArgument for an unknown option (with a did-you-mean) or a missing value.
StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                               std::span<const OptionSpec> specs);

}  // namespace mtasts
