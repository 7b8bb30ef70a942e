// mtasts-conformance: runs vector files ("mta-sts-vectors/1") against the policy and TLS-RPT
// parsers. Prints PASS/FAIL per case and "N passed, M failed"; exits 0 only if every case of
// every file passed, 1 if a case failed, 2 on usage errors or unreadable files.
#include <iostream>
#include <string>

#include "case_check.h"
#include "vector_file.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " VECTORS.json [MORE.json ...]\n"
              << "Checks every case of each mta-sts-vectors/1 file.\n";
    return 2;
  }
  int passed = 0, failed = 0;
  bool file_error = false;
  for (int i = 1; i < argc; ++i) {
    auto cases = mtasts::conformance::LoadVectorFile(argv[i]);
    if (!cases.ok()) {
      std::cout << "ERROR " << cases.status().message() << "\n";
      file_error = true;
      continue;
    }
    for (const auto& c : *cases) {
      std::string why = mtasts::conformance::CheckCase(c);
      if (why.empty()) {
        std::cout << "PASS " << c.name << "\n";
        ++passed;
      } else {
        std::cout << "FAIL " << c.name << ": " << why << "\n";
        ++failed;
      }
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  if (file_error) return 2;
  return failed == 0 ? 0 : 1;
}
