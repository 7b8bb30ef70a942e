// The `_smtp._tls` TXT record (RFC 8460 §3): "v=TLSRPTv1; rua=<uri>[,<uri>...]".
// Only mailto: and https: report URIs are usable; "," "!" and ";" inside a URI must be
// percent-encoded. Pure functions over value types; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "policy/issue.h"
#include "policy/txt_record.h"

namespace mtasts::policy {

struct TlsRptRecord {
  std::vector<std::string> rua;  // in order, across repeated rua fields
  // Fields other than v and rua, first occurrence of each name, in order.
  std::vector<std::pair<std::string, std::string>> extensions;

  friend bool operator==(const TlsRptRecord&, const TlsRptRecord&) = default;
};

Parsed<std::string> SelectTlsRptRecord(const TxtRrset& rrset);

// Errors: those of SplitTxtRecord, plus missing_rua, bad_rua, unsupported_scheme, syntax.
// Warnings: repeated_rua, duplicate_field.
Parsed<TlsRptRecord> ParseTlsRptRecord(std::string_view record);

Parsed<TlsRptRecord> ReadTlsRptRecord(const TxtRrset& rrset);

// "v=TLSRPTv1; rua=<uri>,<uri>", or InvalidArgument naming the bad URI.
StatusOr<std::string> RenderTlsRptRecord(const std::vector<std::string>& rua);

// OK if `uri` is a usable report URI (mailto: with an address, or https:// with a host).
Status ValidateReportUri(std::string_view uri);

}  // namespace mtasts::policy
