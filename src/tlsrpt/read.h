// One report as a sender delivers it (RFC 8460 §5.3): gzip-compressed JSON
// (application/tlsrpt+gzip) or JSON (application/tlsrpt+json). Pure; thread-safe.
#pragma once

#include <string_view>

#include "base/status.h"
#include "tlsrpt/report.h"

namespace mtasts::tlsrpt {

// Inflates bytes when they are gzip (capped at kMaxInflatedBytes, gunzip.h), then parses the
// JSON in mode. Errors as Gunzip's and ParseReport's, the message saying which step failed.
StatusOr<ParsedReport> ReadReport(std::string_view bytes, ReportParseMode mode);

}  // namespace mtasts::tlsrpt
