// Runs one vector case through the project's parsers and compares the outcome with the case.
#pragma once

#include <string>

#include "vector_file.h"

namespace mtasts::conformance {

// "" if the case passes, otherwise why it fails ("expected valid, got invalid: line 3: ...",
// "mx: expected [...], got [...]"). For a valid case every field of `expect` is compared; for an
// invalid one `valid`, the reason (expect.error, see error_code.h) and, for mx_match, the fields
// it still defines.
std::string CheckCase(const VectorCase& c);

}  // namespace mtasts::conformance
