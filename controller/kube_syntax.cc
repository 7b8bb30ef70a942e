#include "controller/kube_syntax.h"

#include <string>
#include <vector>

#include "base/printable.h"

namespace mtasts::controller {
namespace {

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }

// The selector's tokens: an operator or punctuation ("=", "==", "!=", "!", "<", ">", ",", "(",
// ")") or a word (a key, a value, "in", "notin"), as apimachinery's lexer splits them.
std::vector<std::string_view> Tokens(std::string_view text) {
  constexpr std::string_view kSpecial = "=!,()<>";
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == ' ' || text[i] == '\t') {
      ++i;
    } else if ((text[i] == '=' || text[i] == '!') && i + 1 < text.size() && text[i + 1] == '=') {
      tokens.push_back(text.substr(i, 2));
      i += 2;
    } else if (kSpecial.find(text[i]) != std::string_view::npos) {
      tokens.push_back(text.substr(i++, 1));
    } else {
      const size_t start = i;
      while (i < text.size() && text[i] != ' ' && text[i] != '\t' &&
             kSpecial.find(text[i]) == std::string_view::npos) {
        ++i;
      }
      tokens.push_back(text.substr(start, i - start));
    }
  }
  return tokens;
}

bool IsWord(std::string_view token) {
  return !token.empty() && std::string_view("=!,()<>").find(token[0]) == std::string_view::npos;
}

bool IsInteger(std::string_view text) {
  if (text.starts_with('-')) text.remove_prefix(1);
  if (text.empty() || text.size() > 18) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Reads one requirement from tokens[*at]; leaves *at on the "," after it or at the end.
Status ReadRequirement(const std::vector<std::string_view>& tokens, size_t* at) {
  auto next = [&]() -> std::string_view { return *at < tokens.size() ? tokens[*at] : ""; };
  auto bad = [](std::string_view what, std::string_view token) {
    return InvalidArgumentError(std::string(what) + " \"" + Printable(token) + "\"");
  };
  const bool negated = next() == "!";
  if (negated) ++*at;
  const std::string_view key = next();
  if (!IsWord(key)) return InvalidArgumentError("a label key is missing");
  if (!IsLabelKey(key)) return bad("not a label key:", key);
  ++*at;
  const std::string_view op = next();
  if (negated || op.empty() || op == ",") return OkStatus();
  ++*at;
  if (op == "in" || op == "notin") {
    if (next() != "(") return InvalidArgumentError("\"" + std::string(op) + "\" wants (v1,v2)");
    ++*at;
    int values = 0;
    for (bool more = true; more; ++*at) {
      if (IsWord(next())) {
        if (!IsLabelValue(next())) return bad("not a label value:", next());
        ++values;
        ++*at;
      }
      more = next() == ",";
      if (!more && next() != ")") return InvalidArgumentError("a set is not closed with \")\"");
    }
    if (values == 0) return InvalidArgumentError("an empty set after \"" + std::string(op) + "\"");
    return OkStatus();
  }
  if (op == "=" || op == "==" || op == "!=") {
    if (!IsWord(next())) return OkStatus();  // "key=" selects the empty value
    if (!IsLabelValue(next())) return bad("not a label value:", next());
    ++*at;
    return OkStatus();
  }
  if (op == "<" || op == ">") {
    if (!IsInteger(next())) return bad("\"<\" and \">\" want a whole number, not", next());
    ++*at;
    return OkStatus();
  }
  return bad("not an operator (=, ==, !=, in, notin, <, >):", op);
}

}  // namespace

bool IsDnsLabel(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '-') return false;
  }
  return name.front() != '-' && name.back() != '-';
}

bool IsDnsSubdomain(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  for (size_t start = 0;;) {
    const size_t dot = name.find('.', start);
    if (!IsDnsLabel(name.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsLabelValue(std::string_view value) {
  if (value.empty()) return true;
  if (value.size() > 63 || !IsAlnum(value.front()) || !IsAlnum(value.back())) return false;
  for (char c : value) {
    if (!IsAlnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

bool IsLabelKey(std::string_view key) {
  const size_t slash = key.find('/');
  if (slash != std::string_view::npos && !IsDnsSubdomain(key.substr(0, slash))) return false;
  const std::string_view name = slash == std::string_view::npos ? key : key.substr(slash + 1);
  return !name.empty() && IsLabelValue(name);
}

Status ValidateLabelSelector(std::string_view selector) {
  const std::vector<std::string_view> tokens = Tokens(selector);
  for (size_t at = 0; at < tokens.size();) {
    RETURN_IF_ERROR(ReadRequirement(tokens, &at));
    if (at == tokens.size()) break;
    if (tokens[at] != ",") {
      return InvalidArgumentError("\"" + Printable(tokens[at]) + "\" where \",\" was expected");
    }
    if (++at == tokens.size()) return InvalidArgumentError("nothing after the last \",\"");
  }
  return OkStatus();
}

}  // namespace mtasts::controller
