// The `mtasts` front door: picks the command, answers --help and --version, and turns anything
// unexpected into a one-line error and exit status 2. Thread-compatible.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mtasts::cli {

// `args` are argv[1..]. Never throws.
int RunCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace mtasts::cli
