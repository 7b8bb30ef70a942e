#include "tlsrpt/read.h"

#include <string>

#include "tlsrpt/gunzip.h"

namespace mtasts::tlsrpt {

StatusOr<ParsedReport> ReadReport(std::string_view bytes, ReportParseMode mode) {
  std::string inflated;
  if (LooksGzipped(bytes)) {
    StatusOr<std::string> json = Gunzip(bytes);
    if (!json.ok()) {
      return Status(json.status().code(), "gzip: " + std::string(json.status().message()));
    }
    inflated = *std::move(json);
    bytes = inflated;
  }
  return ParseReport(bytes, mode);
}

}  // namespace mtasts::tlsrpt
