#include "base/args.h"

#include "base/did_you_mean.h"

namespace mtasts {

bool ParsedArgs::Has(std::string_view name) const {
  for (const auto& [option, value] : options) {
    if (option == name) return true;
  }
  return false;
}

std::string ParsedArgs::Value(std::string_view name, std::string fallback) const {
  for (const auto& [option, value] : options) {
    if (option == name) fallback = value;
  }
  return fallback;
}

std::vector<std::string> ParsedArgs::Values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [option, value] : options) {
    if (option == name) values.push_back(value);
  }
  return values;
}

StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                               std::span<const OptionSpec> specs) {
  ParsedArgs parsed;
  std::vector<std::string_view> names;
  for (const OptionSpec& spec : specs) names.push_back(spec.name);
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--") {
      parsed.positional.insert(parsed.positional.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (arg == "-h" || arg == "--help") {
      parsed.help = true;
      continue;
    }
    if (arg.size() < 2 || arg[0] != '-') {
      parsed.positional.push_back(arg);
      continue;
    }
    const std::size_t equals = arg.find('=');
    const std::string name = arg.substr(0, equals);
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& candidate : specs) {
      if (candidate.name == name) spec = &candidate;
    }
    if (spec == nullptr) {
      const auto suggestion = ClosestName(name, names);
      return InvalidArgumentError(
          "unknown option " + name +
          (suggestion ? "; did you mean " + std::string(*suggestion) + "?" : "; see --help"));
    }
    if (!spec->takes_value) {
      if (equals != std::string::npos && spec->optional_value) {
        parsed.options.emplace_back(name, arg.substr(equals + 1));
        continue;
      }
      if (equals != std::string::npos) return InvalidArgumentError(name + " takes no value");
      parsed.options.emplace_back(name, "");
    } else if (equals != std::string::npos) {
      parsed.options.emplace_back(name, arg.substr(equals + 1));
    } else if (i + 1 < args.size()) {
      parsed.options.emplace_back(name, args[++i]);
    } else {
      return InvalidArgumentError(name + " needs a value; see --help");
    }
  }
  return parsed;
}

}  // namespace mtasts
