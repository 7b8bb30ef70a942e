// ParsePolicy: a strict reading of RFC 8461 §3.2 that reports every problem it finds.
#include <optional>
#include <string>

#include "policy/mx_pattern.h"
#include "policy/policy_file.h"
#include "policy/policy_lines.h"
#include "policy/policy_values.h"
#include "policy/syntax.h"

namespace mtasts::policy {
namespace {

constexpr std::string_view kStandardFields[] = {"version", "mode", "mx", "max_age"};

class PolicyParser {
 public:
  ParsedPolicy Run(std::string_view body);

 private:
  void ParseLine(const PolicyLine& line);
  bool SplitField(const PolicyLine& line, std::string_view* name, std::string_view* value);
  // True the first time `name` is seen; later occurrences are ignored (first wins, §3.2).
  bool FirstOccurrence(std::string_view name, int line);
  void ParseExtension(int line, std::string_view name, std::string_view value);
  void CheckCompleteness();

  IssueList issues_;
  Policy policy_;
  std::vector<std::pair<std::string, int>> seen_;  // field name -> line of first occurrence
  bool has_version_ = false, has_mode_ = false, has_max_age_ = false;
  int mx_lines_ = 0;  // valid or not
};

ParsedPolicy PolicyParser::Run(std::string_view body) {
  if (body.empty()) {
    issues_.Error(0, "empty", "the policy body is empty; serve version, mode, mx and max_age");
    return std::move(issues_).Finish(policy_);
  }
  if (body.size() > kMaxPolicyBytes) {
    issues_.Error(0, "too_large",
                  std::to_string(body.size()) + " bytes is more than senders read (" +
                      std::to_string(kMaxPolicyBytes) + "); use wildcards to shorten the mx list");
    return std::move(issues_).Finish(policy_);
  }
  if (!IsValidUtf8(body)) {
    issues_.Error(0, "not_utf8", "the body is not UTF-8; save the policy as ASCII text");
    return std::move(issues_).Finish(policy_);
  }
  std::vector<PolicyLine> lines = SplitPolicyLines(body);
  for (const PolicyLine& line : lines) ParseLine(line);
  CheckLineEndings(lines, &issues_);
  CheckCompleteness();
  return std::move(issues_).Finish(policy_);
}

void PolicyParser::ParseLine(const PolicyLine& line) {
  std::string_view name, value;
  if (!SplitField(line, &name, &value)) return;
  if (name == "mx") {
    ++mx_lines_;
    if (CheckMx(line.number, value, policy_.mx, &issues_)) policy_.mx.emplace_back(value);
    return;
  }
  if (name == "version" || name == "mode" || name == "max_age") {
    if (!FirstOccurrence(name, line.number)) return;
    if (name == "version") {
      has_version_ = true;
      return CheckVersion(line.number, value, &issues_);
    }
    if (name == "mode") {
      has_mode_ = true;
      policy_.mode = ReadMode(line.number, value, &issues_).value_or(policy_.mode);
      return;
    }
    has_max_age_ = true;
    policy_.max_age = ReadMaxAge(line.number, value, &issues_).value_or(0);
    return;
  }
  ParseExtension(line.number, name, value);
}

bool PolicyParser::SplitField(const PolicyLine& line, std::string_view* name,
                              std::string_view* value) {
  std::string_view text = line.text;
  auto bad = [&](const std::string& why) {
    issues_.Error(line.number, "bad_line", why);
    return false;
  };
  if (text.empty()) {
    return bad(
        "blank line; remove it (fields follow each other and only one line ending may "
        "follow the last field)");
  }
  if (text.find('\r') != std::string_view::npos) {
    return bad("carriage return without a line feed; end lines with LF or CRLF");
  }
  if (line.number == 1 && text.starts_with("\xEF\xBB\xBF")) {
    return bad("the body starts with a byte order mark; save it without a BOM");
  }
  size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    return bad(Quote(text) + " is not a field; write \"name: value\"");
  }
  *name = text.substr(0, colon);
  *value = TrimWsp(text.substr(colon + 1));
  if (!name->empty() && IsWsp(name->front())) {
    return bad("whitespace before the field name; start the line with the name");
  }
  if (!name->empty() && IsWsp(name->back())) {
    return bad("whitespace before \":\"; write \"" + std::string(TrimWsp(*name)) + ":\"");
  }
  if (!IsExtensionName(*name)) {
    return bad("field name " + Quote(*name) +
               " is not valid: 1-32 letters, digits, \"_\", \"-\" or \".\", starting with a "
               "letter or digit");
  }
  return true;
}

bool PolicyParser::FirstOccurrence(std::string_view name, int line) {
  for (const auto& [seen, first_line] : seen_) {
    if (seen == name) {
      issues_.Warning(line, "duplicate_field",
                      std::string(name) + " repeats line " + std::to_string(first_line) +
                          "; senders disagree on which one counts (the RFC says the first), so "
                          "remove this line");
      return false;
    }
  }
  seen_.emplace_back(name, line);
  return true;
}

void PolicyParser::ParseExtension(int line, std::string_view name, std::string_view value) {
  if (!FirstOccurrence(name, line)) return;
  if (!IsPolicyExtensionValue(value)) {
    issues_.Error(line, "bad_extension",
                  "field " + std::string(name) +
                      " needs a value of visible characters (spaces only between them, no tabs "
                      "or control characters)");
    return;
  }
  for (std::string_view standard : kStandardFields) {
    if (AsciiEqualsIgnoreCase(name, standard)) {
      issues_.Warning(line, "key_case",
                      Quote(name) + " is not " + std::string(standard) +
                          ": field names are case-sensitive, so senders ignore this line; write "
                          "\"" +
                          std::string(standard) + ":\"");
      policy_.extensions.emplace_back(name, value);
      return;
    }
  }
  issues_.Warning(line, "unknown_field",
                  "field " + Quote(name) + " is not part of RFC 8461; senders ignore it");
  policy_.extensions.emplace_back(name, value);
}

void PolicyParser::CheckCompleteness() {
  if (!has_version_) issues_.Error(0, "missing_version", "no version line; add \"version: STSv1\"");
  if (!has_mode_) {
    issues_.Error(0, "missing_mode", "no mode line; add \"mode: testing\" (or enforce, or none)");
  }
  if (!has_max_age_) {
    issues_.Error(0, "missing_max_age", "no max_age line; add e.g. \"max_age: 604800\"");
  }
  if (has_mode_ && policy_.mode != Mode::kNone && mx_lines_ == 0) {
    issues_.Error(0, "missing_mx",
                  "mode " + std::string(ModeName(policy_.mode)) +
                      " needs at least one mx line, e.g. \"mx: mail.example.com\"");
  }
}

}  // namespace

ParsedPolicy ParsePolicy(std::string_view body) { return PolicyParser().Run(body); }

}  // namespace mtasts::policy
