// The `_mta-sts` TXT record (RFC 8461 §3.1): "v=STSv1; id=<1-32 alphanumerics>".
// Pure functions over value types; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"
#include "policy/issue.h"
#include "policy/txt_record.h"

namespace mtasts::policy {

struct StsRecord {
  std::string id;
  // Fields other than v and id, first occurrence of each name, in order.
  std::vector<std::pair<std::string, std::string>> extensions;

  friend bool operator==(const StsRecord&, const StsRecord&) = default;
};

// Selects the STS record from the RRset at _mta-sts.<domain> (see SelectTxtRecord).
Parsed<std::string> SelectStsRecord(const TxtRrset& rrset);

// Parses one record. Errors: those of SplitTxtRecord, plus missing_id, bad_id (the first id is not
// 1-32 alphanumerics) and syntax (a bad extension value). Warnings: duplicate_id,
// duplicate_field.
Parsed<StsRecord> ParseStsRecord(std::string_view record);

// Select, then parse: what a sender concludes from the RRset. Issues of both steps, in order.
Parsed<StsRecord> ReadStsRecord(const TxtRrset& rrset);

// "v=STSv1; id=<id>", or InvalidArgument if `id` is not 1-32 alphanumerics.
StatusOr<std::string> RenderStsRecord(std::string_view id);

}  // namespace mtasts::policy
