#include "probe/http_response.h"

#include <algorithm>
#include <cctype>

namespace mtasts::probe {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool IsTokenChar(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::vector<std::string_view> Lines(std::string_view head) {
  std::vector<std::string_view> lines;
  while (!head.empty()) {
    size_t nl = head.find('\n');
    std::string_view line = head.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) lines.push_back(line);
    head = nl == std::string_view::npos ? std::string_view() : head.substr(nl + 1);
  }
  return lines;
}

}  // namespace

bool ParseHttpSize(std::string_view digits, int base, size_t* out) {
  if (digits.empty() || digits.size() > 15) return false;  // 15 hex digits cannot overflow
  size_t value = 0;
  for (char c : digits) {
    auto u = static_cast<unsigned char>(c);
    int d = std::isdigit(u)                  ? c - '0'
            : base == 16 && std::isxdigit(u) ? std::tolower(u) - 'a' + 10
                                             : -1;
    if (d < 0) return false;
    value = value * static_cast<size_t>(base) + static_cast<size_t>(d);
  }
  *out = value;
  return true;
}

std::optional<std::string> HttpResponse::Header(std::string_view name) const {
  std::string wanted = Lower(name);
  for (const auto& [key, value] : headers) {
    if (Lower(key) == wanted) return value;
  }
  return std::nullopt;
}

std::string MediaType(std::string_view content_type) {
  return Lower(Trim(content_type.substr(0, content_type.find(';'))));
}

Status HttpResponseParser::ParseHead(std::string_view head) {
  std::vector<std::string_view> lines = Lines(head);
  if (lines.empty()) return InvalidArgumentError("the response has no status line");
  std::string_view status = lines[0];
  bool shaped = status.size() >= 12 && status.substr(0, 7) == "HTTP/1." &&
                std::isdigit(static_cast<unsigned char>(status[7])) && status[8] == ' ' &&
                std::all_of(status.begin() + 9, status.begin() + 12,
                            [](unsigned char c) { return std::isdigit(c); }) &&
                (status.size() == 12 || status[12] == ' ');
  if (!shaped) {
    return InvalidArgumentError("not an HTTP/1.x status line: \"" +
                                std::string(status.substr(0, 80)) + "\"");
  }
  response_ = HttpResponse{};
  response_.status = std::stoi(std::string(status.substr(9, 3)));
  response_.reason = std::string(Trim(status.substr(std::min<size_t>(status.size(), 13))));
  for (size_t i = 1; i < lines.size(); ++i) {
    std::string_view line = lines[i];
    size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    if (colon == std::string_view::npos || name.empty() ||
        !std::all_of(name.begin(), name.end(), IsTokenChar)) {
      return InvalidArgumentError("malformed header line: \"" + std::string(line.substr(0, 80)) +
                                  "\"");
    }
    response_.headers.emplace_back(std::string(name), std::string(Trim(line.substr(colon + 1))));
  }
  return OkStatus();
}

Status HttpResponseParser::StartBody() {
  int status = response_.status;
  if (status >= 100 && status < 200 && status != 101) {
    state_ = State::kHead;  // an interim response: the real one follows
    return OkStatus();
  }
  if (status == 101) return InvalidArgumentError("the server switched protocols (101)");
  if (status == 204 || status == 304) {
    state_ = State::kDone;
    return OkStatus();
  }
  if (std::optional<std::string> coding = response_.Header("Transfer-Encoding")) {
    if (Lower(*coding) != "chunked") {
      return InvalidArgumentError("unsupported Transfer-Encoding \"" + *coding + "\"");
    }
    state_ = State::kChunkSize;
    return OkStatus();
  }
  std::optional<size_t> length;
  for (const auto& [key, value] : response_.headers) {
    if (Lower(key) != "content-length") continue;
    size_t parsed = 0;
    if (!ParseHttpSize(value, 10, &parsed) || (length && *length != parsed)) {
      return InvalidArgumentError("invalid Content-Length \"" + value + "\"");
    }
    length = parsed;
  }
  if (!length) {
    state_ = State::kToClose;
    return OkStatus();
  }
  if (*length > max_body_) {
    return ResourceExhaustedError("the body is " + std::to_string(*length) +
                                  " bytes, more than the limit of " + std::to_string(max_body_));
  }
  remaining_ = *length;
  state_ = remaining_ == 0 ? State::kDone : State::kFixedBody;
  return OkStatus();
}

Status HttpResponseParser::AppendBody(std::string_view bytes) {
  if (response_.body.size() + bytes.size() > max_body_) {
    return ResourceExhaustedError("the body is more than the limit of " +
                                  std::to_string(max_body_) + " bytes");
  }
  response_.body.append(bytes);
  return OkStatus();
}

}  // namespace mtasts::probe
