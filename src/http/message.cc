#include "http/message.h"

#include <charconv>

#include "base/strings.h"

namespace mtasts::http {
namespace {

// RFC 9110 §5.6.2 tchar: the characters of methods and header names.
bool IsToken(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

// A field value may hold visible characters, spaces, tabs and obs-text, but no other control.
bool IsFieldValue(std::string_view value) {
  for (char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if ((byte < 0x20 && c != '\t') || byte == 0x7f) return false;
  }
  return true;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

RequestHead Refuse(RequestHead head, int status, std::string why) {
  head.error_status = status;
  head.error = std::move(why);
  return head;
}

std::vector<std::string_view> Lines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    const size_t end = head.find('\n');
    std::string_view line = head.substr(0, end);
    if (line.ends_with('\r')) line.remove_suffix(1);
    lines.push_back(line);
    if (end == std::string_view::npos) break;
    head.remove_prefix(end + 1);
  }
  return lines;
}

// "METHOD /path?query HTTP/1.1".
RequestHead ReadRequestLine(std::string_view line) {
  RequestHead head;
  const size_t first = line.find(' ');
  const size_t second = line.find(' ', first == std::string_view::npos ? first : first + 1);
  if (second == std::string_view::npos || line.find(' ', second + 1) != std::string_view::npos) {
    return Refuse(std::move(head), 400, "the request line is not METHOD TARGET HTTP/1.1");
  }
  const std::string_view method = line.substr(0, first);
  const std::string_view target = line.substr(first + 1, second - first - 1);
  const std::string_view version = line.substr(second + 1);
  if (!IsToken(method)) return Refuse(std::move(head), 400, "the method is not a token");
  if (!target.starts_with('/') || !IsFieldValue(target)) {
    return Refuse(std::move(head), 400, "the target is not a path starting with /");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    return version.starts_with("HTTP/")
               ? Refuse(std::move(head), 505, "only HTTP/1.1 and HTTP/1.0 are served")
               : Refuse(std::move(head), 400, "the request line does not end in HTTP/1.1");
  }
  head.request.method = std::string(method);
  const size_t question = target.find('?');
  head.request.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos)
    head.request.query = std::string(target.substr(question + 1));
  return head;
}

// Reads Content-Length, Transfer-Encoding, Expect and Host into `head`.
RequestHead ReadFraming(RequestHead head, bool http11) {
  bool has_length = false;
  bool has_host = false;
  for (const auto& [name, value] : head.request.headers) {
    if (name == "transfer-encoding") {
      return Refuse(std::move(head), 411,
                    "send the body with Content-Length, not Transfer-Encoding");
    }
    if (name == "host") has_host = true;
    if (name == "expect") head.expect_continue = AsciiLowercase(value) == "100-continue";
    if (name != "content-length") continue;
    size_t length = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (value.empty() || ec != std::errc() || end != value.data() + value.size() ||
        (has_length && length != head.content_length)) {
      return Refuse(std::move(head), 400, "Content-Length is not one whole number");
    }
    has_length = true;
    head.content_length = length;
  }
  if (http11 && !has_host) return Refuse(std::move(head), 400, "an HTTP/1.1 request needs Host");
  return head;
}

}  // namespace

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return "";
}

Response Response::Text(int status, std::string_view text) {
  Response response;
  response.status = status;
  response.body = std::string(text) + "\n";
  return response;
}

RequestHead ParseRequestHead(std::string_view text) {
  const std::vector<std::string_view> lines = Lines(text);
  if (lines.empty()) return Refuse({}, 400, "the request is empty");
  RequestHead head = ReadRequestLine(lines[0]);
  if (head.error_status != 0) return head;
  for (size_t i = 1; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    const size_t colon = line.find(':');
    // A line that starts with a space continues the previous one (obs-fold): refused, as
    // RFC 9112 §5.2 allows, rather than read one way here and another by a proxy.
    if (colon == std::string_view::npos || !IsToken(line.substr(0, colon))) {
      return Refuse(std::move(head), 400, "a header line is not NAME: VALUE");
    }
    const std::string_view value = TrimSpaces(line.substr(colon + 1));
    if (!IsFieldValue(value)) {
      return Refuse(std::move(head), 400, "a header value holds a control character");
    }
    head.request.headers.emplace_back(AsciiLowercase(line.substr(0, colon)), value);
  }
  return ReadFraming(std::move(head), lines[0].ends_with("HTTP/1.1"));
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 100:
      return "Continue";
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    case 505:
      return "HTTP Version Not Supported";
    default:
      return "Unknown";
  }
}

std::string SerializeResponse(const Response& response, bool head_request) {
  std::string out = "HTTP/1.1 " + std::to_string(response.status) + " " +
                    std::string(ReasonPhrase(response.status)) + "\r\n";
  // A 204 carries no content, so no Content-Type or Content-Length either (RFC 9110 §8.6).
  const bool has_content = response.status != 204;
  if (has_content) {
    const bool clean = IsFieldValue(response.content_type) && !response.content_type.empty();
    out += "Content-Type: " + (clean ? response.content_type : "application/octet-stream") + "\r\n";
    out += "Content-Length: " + std::to_string(response.body.size()) + "\r\n";
  }
  for (const auto& [name, value] : response.headers) {
    if (IsToken(name) && IsFieldValue(value)) out += name + ": " + value + "\r\n";
  }
  out += "Connection: close\r\n\r\n";
  if (has_content && !head_request) out += response.body;
  return out;
}

}  // namespace mtasts::http
