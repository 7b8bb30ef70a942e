#include "policy/txt_record.h"

#include <string>

#include "base/strings.h"
#include "policy/syntax.h"

namespace mtasts::policy {
Parsed<std::string> SelectTxtRecord(const TxtRrset& rrset, std::string_view version_field) {
  IssueList issues;
  const std::string literal = std::string(version_field) + ";";
  std::string chosen;
  if (rrset.size() == 1) {
    // A lone record is judged by the grammar, which allows WSP before the first ";".
    chosen = JoinTxtStrings(rrset[0]);
    if (!chosen.starts_with(version_field)) {
      issues.Error(0, issue_code::kNoRecord,
                   "the only TXT record does not begin with \"" + literal + "\": " + Quote(chosen));
    }
    return std::move(issues).Finish(std::move(chosen));
  }
  int candidates = 0, lookalikes = 0;
  for (const TxtRr& rr : rrset) {
    std::string record = JoinTxtStrings(rr);
    if (record.starts_with(literal)) {
      ++candidates;
      chosen = std::move(record);
    } else if (record.starts_with(version_field)) {
      ++lookalikes;
      issues.Warning(0, issue_code::kLookalikeRecord,
                     Quote(record) + " begins with \"" + std::string(version_field) +
                         "\" but not \"" + literal +
                         "\": strict senders skip it, prefix-matching senders count it as a "
                         "second record and give up; delete it");
    }
  }
  if (candidates == 0) {
    issues.Error(0, issue_code::kNoRecord,
                 "no TXT record at this name begins with \"" + literal + "\"; publish exactly one");
  } else if (candidates > 1) {
    issues.Error(0, issue_code::kMultipleRecords,
                 std::to_string(candidates) + " TXT records begin with \"" + literal +
                     "\", so senders use none; keep exactly one (replace, never add, on change)");
  }
  return std::move(issues).Finish(std::move(chosen));
}

Parsed<std::vector<TxtField>> SplitTxtRecord(std::string_view record,
                                             std::string_view version_field) {
  IssueList issues;
  std::vector<TxtField> fields;
  auto fail = [&](const char* code, std::string message) {
    issues.Error(0, code, std::move(message));
    return std::move(issues).Finish(std::vector<TxtField>{});
  };
  if (HasNonAscii(record)) {
    return fail("not_ascii",
                "the record is not ASCII: " + Quote(record) + "; publish it in plain US-ASCII");
  }
  if (!record.starts_with(version_field)) {
    return fail("not_version_first",
                "the record must begin with exactly \"" + std::string(version_field) +
                    "\" (case-sensitive, nothing before it); got " + Quote(record));
  }
  size_t pos = version_field.size();
  while (true) {
    size_t delim = pos;
    while (delim < record.size() && IsWsp(record[delim])) ++delim;
    if (delim == record.size()) {
      if (delim > pos) {
        return fail("trailing_whitespace",
                    "whitespace after the last field; remove it (or end with \";\")");
      }
      break;
    }
    if (record[delim] != ';') {
      return fail("syntax", "\"" + std::string(version_field) +
                                "\" must be followed by \";\"; got " + Quote(record));
    }
    if (delim > pos && fields.empty()) {
      issues.Warning(0, "wsp_before_first_semicolon",
                     "whitespace before the first \";\": a lone record is valid, but next to "
                     "another TXT record strict senders skip it; write \"" +
                         std::string(version_field) + "; \"");
    }
    size_t start = delim + 1;
    while (start < record.size() && IsWsp(record[start])) ++start;
    if (start == record.size()) break;  // the one optional trailing delimiter
    size_t end = record.find(';', start);
    if (end == std::string_view::npos) end = record.size();
    std::string_view raw = record.substr(start, end - start);
    size_t eq = raw.find('=');
    if (raw.empty() || eq == std::string_view::npos) {
      return fail("syntax", "field " + Quote(raw) + " is not \"name=value\"");
    }
    std::string_view name = raw.substr(0, eq);
    if (!IsExtensionName(name)) {
      return fail("syntax", "field name " + Quote(name) +
                                " is not valid: 1-32 letters, digits, \"_\", \"-\" or \".\"");
    }
    std::string_view value = raw.substr(eq + 1);
    if (end == record.size() && TrimTrailingWsp(value).size() != value.size()) {
      return fail("trailing_whitespace",
                  "whitespace after the last field; remove it (or end with \";\")");
    }
    fields.push_back({name, TrimTrailingWsp(value)});
    pos = end;
  }
  return std::move(issues).Finish(std::move(fields));
}

void AddTxtExtension(const TxtField& field,
                     std::vector<std::pair<std::string, std::string>>* extensions,
                     IssueList* issues) {
  for (const auto& [name, value] : *extensions) {
    if (name == field.name) {
      issues->Warning(0, "duplicate_field",
                      std::string(field.name) + " appears twice; senders keep the first");
      return;
    }
  }
  if (!IsTxtExtensionValue(field.value)) {
    issues->Error(0, "syntax",
                  "field " + std::string(field.name) + " has value " + Quote(field.value) +
                      "; values are visible ASCII without spaces, \";\" or \"=\"");
    return;
  }
  extensions->emplace_back(field.name, field.value);
}

}  // namespace mtasts::policy
