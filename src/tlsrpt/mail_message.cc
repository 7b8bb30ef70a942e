#include "tlsrpt/mail_message.h"

#include <algorithm>
#include <map>
#include <optional>

#include "base/strings.h"

namespace mtasts::tlsrpt {
namespace {

constexpr int kMaxDepth = 8;     // multipart/report inside a forward inside a digest is 3
constexpr int kMaxParts = 1000;  // in the whole message

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// The next line of text (without its LF or CRLF), advancing past it.
std::string_view NextLine(std::string_view& text) {
  const size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  if (line.ends_with('\r')) line.remove_suffix(1);
  return line;
}

struct Entity {
  std::map<std::string, std::string> headers;  // lower-case name -> unfolded value (first wins)
  std::string_view body;
};

// Splits an entity into its header fields and body; nullopt when a line before the blank line
// is neither a field nor a continuation.
std::optional<Entity> ParseEntity(std::string_view text) {
  Entity entity;
  std::string* last = nullptr;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    if (line.empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (last == nullptr) return std::nullopt;
      last->append(" ").append(Trim(line));
      continue;
    }
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    auto [it, added] = entity.headers.try_emplace(AsciiLowercase(Trim(line.substr(0, colon))),
                                                  Trim(line.substr(colon + 1)));
    last = added ? &it->second : nullptr;  // a repeated field's continuation is dropped too
  }
  entity.body = text;
  return entity;
}

struct HeaderValue {
  std::string value;                          // lower case, e.g. "multipart/report"
  std::map<std::string, std::string> params;  // lower-case name -> value, unquoted
};

// "type/subtype; name=value; name=\"quoted; value\"" (RFC 2045 §5.1).
HeaderValue ParseHeaderValue(std::string_view text) {
  HeaderValue out;
  size_t semi = text.find(';');
  out.value = AsciiLowercase(Trim(text.substr(0, semi)));
  while (semi != std::string_view::npos) {
    text.remove_prefix(semi + 1);
    const size_t eq = text.find('=');
    if (eq == std::string_view::npos) break;
    const std::string name = AsciiLowercase(Trim(text.substr(0, eq)));
    text.remove_prefix(eq + 1);
    text = Trim(text);
    std::string value;
    if (!text.empty() && text.front() == '"') {
      size_t i = 1;
      for (; i < text.size() && text[i] != '"'; ++i) {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        value += text[i];
      }
      text.remove_prefix(std::min(i + 1, text.size()));
      semi = text.find(';');
    } else {
      semi = text.find(';');
      value = std::string(Trim(text.substr(0, semi)));
    }
    out.params.try_emplace(name, std::move(value));
  }
  return out;
}

std::string Header(const Entity& e, const std::string& name) {
  const auto it = e.headers.find(name);
  return it == e.headers.end() ? "" : it->second;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

StatusOr<std::string> DecodeBase64(std::string_view text) {
  static constexpr std::string_view kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve(text.size() / 4 * 3);
  unsigned bits = 0;
  int count = 0;
  for (const char c : text) {
    if (c == '=') break;
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') continue;
    const size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return InvalidArgumentError("not base64");
    bits = (bits << 6) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> count) & 0xff);
    }
  }
  return out;
}

std::string DecodeQuotedPrintable(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '=') {
      out += text[i];
    } else if (i + 2 < text.size() && HexDigit(text[i + 1]) >= 0 && HexDigit(text[i + 2]) >= 0) {
      out += static_cast<char>(HexDigit(text[i + 1]) * 16 + HexDigit(text[i + 2]));
      i += 2;
    } else {  // a soft line break: "=" at the end of a line
      while (i + 1 < text.size() && (text[i + 1] == '\r' || text[i + 1] == ' ')) ++i;
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
  }
  return out;
}

StatusOr<std::string> Decode(const Entity& e) {
  const std::string encoding = AsciiLowercase(Header(e, "content-transfer-encoding"));
  if (encoding == "base64") return DecodeBase64(e.body);
  if (encoding == "quoted-printable") return DecodeQuotedPrintable(e.body);
  if (encoding.empty() || encoding == "7bit" || encoding == "8bit" || encoding == "binary") {
    return std::string(e.body);
  }
  return InvalidArgumentError("unknown Content-Transfer-Encoding \"" + encoding + "\"");
}

bool IsReport(const std::string& media_type, const std::string& filename) {
  if (media_type == "application/tlsrpt+gzip" || media_type == "application/tlsrpt+json") {
    return true;
  }
  const std::string name = AsciiLowercase(filename);
  return name.ends_with(".json") || name.ends_with(".json.gz");
}

// The body parts of a multipart body: the text between "--boundary" lines, up to
// "--boundary--".
std::vector<std::string_view> SplitParts(std::string_view body, const std::string& boundary) {
  const std::string delimiter = "--" + boundary;
  std::vector<std::string_view> parts;
  std::optional<size_t> start;
  size_t at = 0;
  while (at < body.size()) {
    std::string_view rest = body.substr(at);
    const size_t line_start = at;
    const std::string_view line = NextLine(rest);
    at = body.size() - rest.size();
    if (!line.starts_with(delimiter)) continue;
    const std::string_view after = Trim(line.substr(delimiter.size()));
    if (!after.empty() && after != "--") continue;
    if (start) {
      // The line break before a delimiter belongs to the delimiter (RFC 2046 §5.1.1).
      std::string_view part = body.substr(*start, line_start - *start);
      if (part.ends_with('\n')) part.remove_suffix(1);
      if (part.ends_with('\r')) part.remove_suffix(1);
      parts.push_back(part);
    }
    if (after == "--") break;
    start = at;
  }
  return parts;
}

struct Walk {
  std::vector<Attachment> found;
  int parts = 0;
};

Status Visit(std::string_view text, int depth, const std::string& where, Walk& walk) {
  if (++walk.parts > kMaxParts) return InvalidArgumentError("more than 1000 MIME parts");
  if (depth > kMaxDepth) return InvalidArgumentError(where + ": MIME parts nested too deep");
  const std::optional<Entity> entity = ParseEntity(text);
  if (!entity) return InvalidArgumentError(where + ": not a MIME entity (a bad header line)");
  const HeaderValue type = ParseHeaderValue(Header(*entity, "content-type"));
  if (type.value.starts_with("multipart/")) {
    const auto boundary = type.params.find("boundary");
    if (boundary == type.params.end() || boundary->second.empty()) {
      return InvalidArgumentError(where + ": " + type.value + " without a boundary");
    }
    const std::vector<std::string_view> parts = SplitParts(entity->body, boundary->second);
    for (size_t i = 0; i < parts.size(); ++i) {
      RETURN_IF_ERROR(Visit(parts[i], depth + 1, where + "." + std::to_string(i + 1), walk));
    }
    return OkStatus();
  }
  if (type.value == "message/rfc822") {  // a report mail forwarded as an attachment
    return Visit(entity->body, depth + 1, where + ".1", walk);
  }
  const HeaderValue disposition = ParseHeaderValue(Header(*entity, "content-disposition"));
  std::string filename = disposition.params.contains("filename")
                             ? disposition.params.at("filename")
                             : (type.params.contains("name") ? type.params.at("name") : "");
  if (!IsReport(type.value, filename)) return OkStatus();
  StatusOr<std::string> bytes = Decode(*entity);
  if (!bytes.ok()) {
    return InvalidArgumentError(where + " (" + type.value + "): " + bytes.status().message());
  }
  walk.found.push_back({type.value, std::move(filename), *std::move(bytes)});
  return OkStatus();
}

}  // namespace

StatusOr<std::vector<Attachment>> ReportsInMessage(std::string_view message) {
  const std::optional<Entity> top = ParseEntity(message);
  if (!top || top->headers.empty()) {
    return InvalidArgumentError(
        "not a mail message (no header fields before the first blank "
        "line)");
  }
  Walk walk;
  RETURN_IF_ERROR(Visit(message, 0, "part 1", walk));
  if (walk.found.empty()) {
    return NotFoundError(
        "no TLS report in the message (looked for parts of type "
        "application/tlsrpt+gzip or application/tlsrpt+json, or named *.json "
        "or *.json.gz)");
  }
  return std::move(walk.found);
}

}  // namespace mtasts::tlsrpt
