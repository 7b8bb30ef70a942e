#include "cli/cli.h"

#include <exception>
#include <string_view>

#include "base/did_you_mean.h"
#include "base/printable.h"
#include "cli/command.h"

namespace mtasts::cli {
namespace {

constexpr char kVersion[] = "mtasts " MTASTS_VERSION "\n";

void PrintHelp(std::ostream& out) {
  out << "Usage: mtasts COMMAND [options] [args]\n\n"
         "MTA-STS (RFC 8461) and SMTP TLS Reporting (RFC 8460) for mail domains: the tool\n"
         "of the mta-sts-operator, for use without a cluster.\n\nCommands:\n";
  for (const Command& command : Commands()) {
    out << "  " << command.name << std::string(10 - command.name.size(), ' ') << command.summary
        << "\n";
  }
  out << "\nOptions:\n  -h, --help   show this help; `mtasts COMMAND --help` for a command\n"
         "  --version    print the version\n\n"
         "Exit status: 0 ok, 1 problems found, 2 usage or internal error.\n\n"
         "Examples:\n  mtasts lint examples/example-com.yaml\n"
         "  mtasts render examples/example-com.yaml\n";
}

const Command* FindCommand(std::string_view name) {
  for (const Command& command : Commands()) {
    if (command.name == name) return &command;
  }
  return nullptr;
}

int Dispatch(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty()) {
    PrintHelp(err);
    return kExitUsage;
  }
  const std::string& first = args[0];
  if (first == "-h" || first == "--help" || (first == "help" && args.size() == 1)) {
    PrintHelp(out);
    return kExitOk;
  }
  if (first == "--version" || first == "version") {
    out << kVersion;
    return kExitOk;
  }
  // "mtasts help render" is "mtasts render --help".
  const bool help = first == "help";
  const std::string& name = help ? args[1] : first;
  const Command* command = FindCommand(name);
  if (command == nullptr) {
    std::vector<std::string_view> names;
    for (const Command& c : Commands()) names.push_back(c.name);
    const auto suggestion = ClosestName(name, names);
    err << "mtasts: unknown command \"" << Printable(name) << "\""
        << (suggestion ? "; did you mean " + std::string(*suggestion) + "?" : "")
        << " (see mtasts --help)\n";
    return kExitUsage;
  }
  if (help) return command->run({"--help"}, out, err);
  return command->run(std::vector<std::string>(args.begin() + 1, args.end()), out, err);
}

}  // namespace

int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    return Dispatch(args, out, err);
  } catch (const std::exception& e) {
    err << "mtasts: internal error: " << e.what() << "\n";
  } catch (...) {
    err << "mtasts: internal error\n";
  }
  return kExitUsage;
}

}  // namespace mtasts::cli
