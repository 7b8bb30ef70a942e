// mta-sts-operator: wiring only. Every decision lives in a file of its own beside this one.
#include <iostream>
#include <string_view>

int main(int argc, char** argv) {
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::cout << "mta-sts-operator " << MTASTS_VERSION << "\n";
    return 0;
  }
  std::cerr << "mta-sts-operator: not wired yet\n";
  return 2;
}
