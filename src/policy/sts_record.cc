#include "policy/sts_record.h"

#include "policy/syntax.h"

namespace mtasts::policy {

namespace {
constexpr std::string_view kVersion = "v=STSv1";
}  // namespace

Parsed<std::string> SelectStsRecord(const TxtRrset& rrset) {
  return SelectTxtRecord(rrset, kVersion);
}

Parsed<StsRecord> ParseStsRecord(std::string_view record) {
  IssueList issues;
  StsRecord out;
  Parsed<std::vector<TxtField>> fields = SplitTxtRecord(record, kVersion);
  issues.Append(fields.issues);
  if (!fields.ok()) return std::move(issues).Finish(std::move(out));
  bool has_id = false;
  for (const TxtField& field : *fields.value) {
    if (field.name != "id") {
      AddTxtExtension(field, &out.extensions, &issues);
    } else if (has_id) {
      issues.Warning(0, "duplicate_id",
                     "id appears twice; senders disagree on which counts (the RFC reading is "
                     "the first), so keep one");
    } else {
      has_id = true;
      out.id = field.value;
      if (!IsPolicyIdSyntax(field.value)) {
        issues.Error(0, "bad_id",
                     "id " + Quote(field.value) +
                         " is not 1-32 letters and digits (no \"-\", \".\", \":\" or \"_\"); "
                         "e.g. id=20240501T120000Z");
      }
    }
  }
  if (!has_id)
    issues.Error(0, "missing_id", "no id field; write \"v=STSv1; id=<1-32 letters/digits>\"");
  return std::move(issues).Finish(std::move(out));
}

Parsed<StsRecord> ReadStsRecord(const TxtRrset& rrset) {
  return ParseSelected<StsRecord>(SelectStsRecord(rrset), ParseStsRecord);
}

StatusOr<std::string> RenderStsRecord(std::string_view id) {
  if (!IsPolicyIdSyntax(id)) {
    return InvalidArgumentError("policy id " + Quote(id) + " is not 1-32 letters and digits");
  }
  return "v=STSv1; id=" + std::string(id);
}

}  // namespace mtasts::policy
