// Compressing test input the way senders compress reports (one gzip member), for the tests of
// what reads them. Aborts the test on a zlib failure.
#pragma once

#include <string>

namespace mtasts::tlsrpt::testing {

std::string Gzip(const std::string& data);

}  // namespace mtasts::tlsrpt::testing
