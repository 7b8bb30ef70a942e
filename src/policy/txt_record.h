// The TXT machinery shared by `_mta-sts` (RFC 8461 §3.1) and `_smtp._tls` (RFC 8460 §3) records:
// choosing the one record from an RRset and splitting it into fields.
//
// Selection follows the sender's algorithm: join each RR's character-strings without spaces; if
// the RRset holds exactly one RR the grammar decides; otherwise keep only records that begin with
// the literal "<version>;" and require exactly one. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/issue.h"

namespace mtasts::policy {

// One TXT RR is a list of character-strings; an RRset is a list of RRs.
using TxtRr = std::vector<std::string>;
using TxtRrset = std::vector<TxtRr>;

// Joins each RR's strings and selects the record that begins with `version_field` (e.g.
// "v=STSv1"). Errors: no_record, multiple_records. Warnings: lookalike_record (a record that
// starts with the version but not "<version>;", which prefix-matching senders count as a second
// record).
Parsed<std::string> SelectTxtRecord(const TxtRrset& rrset, std::string_view version_field);

struct TxtField {
  std::string_view name;
  std::string_view value;  // without surrounding WSP
};

// Splits `record` per `version 1*(delim field) [delim]`, delim = *WSP ";" *WSP. The record must
// begin with `version_field`. Field names must be ext-names and contain "="; values are returned
// raw (callers check them, since rua allows WSP around commas). Errors: not_version_first,
// not_ascii, syntax, trailing_whitespace. Warnings: wsp_before_first_semicolon.
Parsed<std::vector<TxtField>> SplitTxtRecord(std::string_view record,
                                             std::string_view version_field);

// Adds an extension field to `extensions` unless its name was already seen (first wins; warns
// duplicate_field) and checks its value against the TXT ext-value grammar (error syntax).
void AddTxtExtension(const TxtField& field,
                     std::vector<std::pair<std::string, std::string>>* extensions,
                     IssueList* issues);

// Parses the selected record with `parse` (a function std::string_view -> Parsed<T>); the
// selection's issues come first. What a sender concludes from the whole RRset.
template <typename T, typename ParseFn>
Parsed<T> ParseSelected(Parsed<std::string> selected, ParseFn parse) {
  if (!selected.ok()) {
    Parsed<T> failed;
    failed.issues = std::move(selected.issues);
    return failed;
  }
  Parsed<T> parsed = parse(*selected.value);
  parsed.issues.insert(parsed.issues.begin(), selected.issues.begin(), selected.issues.end());
  return parsed;
}

}  // namespace mtasts::policy
