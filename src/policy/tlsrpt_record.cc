#include "policy/tlsrpt_record.h"

#include <optional>

#include "policy/syntax.h"

namespace mtasts::policy {
namespace {

constexpr std::string_view kVersion = "v=TLSRPTv1";

bool IsHex(char c) { return IsDigit(c) || (AsciiLower(c) >= 'a' && AsciiLower(c) <= 'f'); }

// RFC 3986 characters, minus "," "!" ";" which RFC 8460 §3 requires percent-encoded.
bool IsRuaUriChar(char c) {
  static constexpr std::string_view kOther = "-._~:/?#[]@$&'()*+=%";
  return IsAlnum(c) || kOther.find(c) != std::string_view::npos;
}

// The problem with a report URI as {code, message}, or nothing if it is usable.
std::optional<Issue> ReportUriProblem(std::string_view uri) {
  auto bad = [&](const char* code, std::string why) {
    return Issue{0, Severity::kError, code, "rua URI " + Quote(uri) + " " + why};
  };
  if (uri.empty()) return bad("bad_rua", "is empty; e.g. rua=mailto:tlsrpt@example.com");
  for (size_t i = 0; i < uri.size(); ++i) {
    if (!IsRuaUriChar(uri[i])) {
      return bad("bad_rua", "contains " + Quote(uri.substr(i, 1)) +
                                "; percent-encode it (\",\" is %2C, \"!\" is %21, \";\" is %3B)");
    }
    if (uri[i] == '%' && (i + 2 >= uri.size() || !IsHex(uri[i + 1]) || !IsHex(uri[i + 2]))) {
      return bad("bad_rua", "has a \"%\" not followed by two hex digits");
    }
  }
  size_t colon = uri.find(':');
  if (colon == std::string_view::npos || colon == 0 || !IsAlpha(uri[0])) {
    return bad("bad_rua", "has no scheme; use mailto: or https:");
  }
  std::string scheme = AsciiLowercase(uri.substr(0, colon));
  std::string_view rest = uri.substr(colon + 1);
  if (scheme == "mailto") {
    size_t at = rest.find('@');
    if (at == 0 || at == std::string_view::npos || at + 1 == rest.size()) {
      return bad("bad_rua", "needs an address, e.g. mailto:tlsrpt@example.com");
    }
    return std::nullopt;
  }
  if (scheme == "https") {
    if (!rest.starts_with("//") || rest.size() == 2 || rest[2] == '/') {
      return bad("bad_rua", "needs a host, e.g. https://tlsrpt.example.com/v1");
    }
    return std::nullopt;
  }
  return bad(
      "unsupported_scheme",
      "uses scheme " + scheme + ", which reporters do not deliver to; use mailto: or https:");
}

void AddRua(std::string_view value, TlsRptRecord* out, IssueList* issues) {
  while (true) {
    size_t comma = value.find(',');
    std::string_view uri = TrimWsp(value.substr(0, comma));
    if (std::optional<Issue> problem = ReportUriProblem(uri)) {
      issues->Error(0, problem->code, problem->message);
    } else {
      out->rua.emplace_back(uri);
    }
    if (comma == std::string_view::npos) return;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace

Parsed<std::string> SelectTlsRptRecord(const TxtRrset& rrset) {
  return SelectTxtRecord(rrset, kVersion);
}

Parsed<TlsRptRecord> ParseTlsRptRecord(std::string_view record) {
  IssueList issues;
  TlsRptRecord out;
  Parsed<std::vector<TxtField>> fields = SplitTxtRecord(record, kVersion);
  issues.Append(fields.issues);
  if (!fields.ok()) return std::move(issues).Finish(std::move(out));
  int rua_fields = 0;
  for (const TxtField& field : *fields.value) {
    if (field.name != "rua") {
      AddTxtExtension(field, &out.extensions, &issues);
      continue;
    }
    if (++rua_fields == 2) {
      issues.Warning(0, "repeated_rua",
                     "rua appears more than once; RFC 8460 does not say how senders combine "
                     "them, so list every URI in one rua, separated by \",\"");
    }
    AddRua(field.value, &out, &issues);
  }
  if (rua_fields == 0) {
    issues.Error(0, "missing_rua", "no rua field; add e.g. \"rua=mailto:tlsrpt@example.com\"");
  }
  return std::move(issues).Finish(std::move(out));
}

Parsed<TlsRptRecord> ReadTlsRptRecord(const TxtRrset& rrset) {
  return ParseSelected<TlsRptRecord>(SelectTlsRptRecord(rrset), ParseTlsRptRecord);
}

Status ValidateReportUri(std::string_view uri) {
  if (std::optional<Issue> problem = ReportUriProblem(uri)) {
    return InvalidArgumentError(problem->message);
  }
  return OkStatus();
}

StatusOr<std::string> RenderTlsRptRecord(const std::vector<std::string>& rua) {
  if (rua.empty()) return InvalidArgumentError("a TLS-RPT record needs at least one rua URI");
  std::string out = "v=TLSRPTv1; rua=";
  for (size_t i = 0; i < rua.size(); ++i) {
    RETURN_IF_ERROR(ValidateReportUri(rua[i]));
    if (i > 0) out += ',';
    out += rua[i];
  }
  return out;
}

}  // namespace mtasts::policy
