// The `mtasts` commands: one file per command, each registered by one line in commands.cc.
//
// A command gets the arguments after its name and two streams; it handles its own --help and
// returns the process exit status. Commands are stateless; Commands() is constant data.
#pragma once

#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mtasts::cli {

// Exit statuses shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;  // the input has errors (or warnings under --strict)
inline constexpr int kExitUsage = 2;     // bad command line, unreadable file, internal error

using CommandFn = int (*)(const std::vector<std::string>& args, std::ostream& out,
                          std::ostream& err);

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `mtasts --help`
  CommandFn run;
};

std::span<const Command> Commands();

}  // namespace mtasts::cli
