// mtasts: the command-line tool. Wiring only; see cli/cli.h.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  const int status = mtasts::cli::RunCli(args, std::cout, std::cerr);
  std::cout.flush();
  return std::cout.good() ? status : 2;
}
