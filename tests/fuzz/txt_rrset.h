// Fuzz inputs for the TXT parsers: the whole input is one record's text, and also an RRset
// (RRs separated by '\n', the character-strings of an RR by '\x1f'); and the property shared
// by both record types.
#pragma once

#include <string_view>

#include "fuzz_check.h"
#include "policy/issue.h"
#include "policy/txt_record.h"

inline mtasts::policy::TxtRrset SplitIntoRrset(std::string_view input) {
  mtasts::policy::TxtRrset rrset;
  while (true) {
    const std::size_t end = input.find('\n');
    std::string_view rr = input.substr(0, end);
    mtasts::policy::TxtRr strings;
    while (true) {
      const std::size_t cut = rr.find('\x1f');
      strings.emplace_back(rr.substr(0, cut));
      if (cut == std::string_view::npos) break;
      rr.remove_prefix(cut + 1);
    }
    rrset.push_back(std::move(strings));
    if (end == std::string_view::npos) return rrset;
    input.remove_prefix(end + 1);
  }
}

// Selecting from the RRset and then parsing agrees with reading the RRset in one step.
template <typename Record>
void CheckSelectionAgrees(
    const mtasts::policy::TxtRrset& rrset,
    mtasts::policy::Parsed<std::string> (*select)(const mtasts::policy::TxtRrset&),
    mtasts::policy::Parsed<Record> (*parse)(std::string_view),
    mtasts::policy::Parsed<Record> (*read)(const mtasts::policy::TxtRrset&)) {
  mtasts::policy::Parsed<std::string> selected = select(rrset);
  mtasts::policy::Parsed<Record> in_one_step = read(rrset);
  if (!selected.ok()) {
    FUZZ_CHECK(!in_one_step.ok());
    return;
  }
  mtasts::policy::Parsed<Record> direct = parse(*selected.value);
  FUZZ_CHECK(direct.ok() == in_one_step.ok());
  if (direct.ok()) FUZZ_CHECK(*direct.value == *in_one_step.value);
}
