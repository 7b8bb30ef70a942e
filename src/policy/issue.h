// Issue and Parsed<T>: what the RFC 8461/8460 parsers return instead of throwing.
//
// A parser collects every problem it finds, each with a stable machine code (e.g. "bad_mx"), the
// 1-based line it was found on (0 when the input has no lines, such as a TXT record) and a message
// that says what is wrong and how to fix it. Errors make the input unusable for a compliant
// sender; warnings flag what is legal but risky. Value types; thread-compatible.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/severity.h"
#include "base/status.h"

namespace mtasts::policy {

struct Issue {
  int line = 0;
  Severity severity = Severity::kError;
  std::string code;
  std::string message;

  friend bool operator==(const Issue&, const Issue&) = default;
};

// The codes that callers act on, not only show: named once, used both by the parser that emits
// them and by whoever reads them (validate's analysis, the fetcher), so neither can drift.
namespace issue_code {
inline constexpr char kNoRecord[] = "no_record";
inline constexpr char kMultipleRecords[] = "multiple_records";
inline constexpr char kLookalikeRecord[] = "lookalike_record";
inline constexpr char kMaxAgeZero[] = "max_age_zero";
inline constexpr char kMaxAgeShort[] = "max_age_short";
inline constexpr char kHttpStatus[] = "http_status";
inline constexpr char kRedirected[] = "redirected";
inline constexpr char kContentType[] = "content_type";
}  // namespace issue_code

// "line 3: error bad_mx: ..." (the line part only when line > 0).
std::string FormatIssue(const Issue& issue);

template <typename T>
struct Parsed {
  std::optional<T> value;  // set if and only if no issue is an error
  std::vector<Issue> issues;

  bool ok() const { return value.has_value(); }
  // The first error as an InvalidArgument status ("code: message"), or OK.
  Status status() const {
    for (const Issue& i : issues) {
      if (i.severity == Severity::kError) return InvalidArgumentError(FormatIssue(i));
    }
    return OkStatus();
  }
};

// Collects issues while a parser runs; the parser decides on the value at the end.
class IssueList {
 public:
  void Error(int line, std::string code, std::string message) {
    issues_.push_back({line, Severity::kError, std::move(code), std::move(message)});
    ++errors_;
  }
  void Warning(int line, std::string code, std::string message) {
    issues_.push_back({line, Severity::kWarning, std::move(code), std::move(message)});
  }
  bool HasErrors() const { return errors_ > 0; }
  void Append(const std::vector<Issue>& more) {
    for (const Issue& i : more) {
      issues_.push_back(i);
      if (i.severity == Severity::kError) ++errors_;
    }
  }

  std::vector<Issue> TakeIssues() && { return std::move(issues_); }

  template <typename T>
  Parsed<T> Finish(T value) && {
    Parsed<T> out;
    if (errors_ == 0) out.value = std::move(value);
    out.issues = std::move(issues_);
    return out;
  }

 private:
  std::vector<Issue> issues_;
  int errors_ = 0;
};

}  // namespace mtasts::policy
