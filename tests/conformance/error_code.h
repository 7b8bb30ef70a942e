// Whether the project rejected an invalid vector case for the reason the case names.
//
// A vector's expect.error (RFC digest, section 10) is a code of the vector format. Most are the
// parsers' own issue codes (policy/issue.h); error_code.cc lists the few named differently, and
// reads the code of a TLS-RPT report error from its message (that parser returns no code). A
// rejection for another reason, or one no code is known for, fails the case.
#pragma once

#include <string>

namespace mtasts::conformance {

// Why the project rejected a case: the first error's issue code (empty for a report) and its
// message.
struct Rejection {
  std::string code;
  std::string message;
};

// "" if `got` is the rejection the vector's `expected` code names, otherwise why not.
std::string CompareErrorCode(const std::string& kind, const std::string& expected,
                             const Rejection& got);

}  // namespace mtasts::conformance
