// HTTP/1.1 messages as the server sees them (RFC 9112): a request's head parsed strictly, since
// whatever reaches a handler came from the network, and a response written out whole. Pure;
// thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mtasts::http {

struct Request {
  std::string method;  // "GET"
  std::string path;    // "/metrics": the target up to "?", as sent (not percent-decoded)
  std::string query;   // after "?", as sent; "" when none
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;

  // The first value of the header `name` (lower case), or "" when there is none.
  std::string_view Header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra, e.g. {"Allow", "GET"}

  // A plain-text response: `text` and a newline.
  static Response Text(int status, std::string_view text);
};

// What the head of a request (request line and header fields, up to the empty line) says.
struct RequestHead {
  Request request;  // without the body
  size_t content_length = 0;
  bool expect_continue = false;  // the client waits for "100 Continue" before the body
  // Non-zero when the head is refused: the status to answer (400, 411, 505) and why, in one line.
  int error_status = 0;
  std::string error;
};

// Parses `head`: the bytes before the empty line that ends it (lines end in CRLF; a bare LF is
// accepted, as RFC 9112 §2.2 allows). A request that carries Transfer-Encoding is refused with
// 411 (the body must have a Content-Length: bodies here are small and bounded).
RequestHead ParseRequestHead(std::string_view head);

// "OK", "Not Found", ...; "Unknown" for a status this server never sends.
std::string_view ReasonPhrase(int status);

// The response as sent, with Content-Length and "Connection: close". Without the body for a
// HEAD request (Content-Length still that of the body). Extra headers whose name or value could
// end the line are left out, so a handler cannot split the response.
std::string SerializeResponse(const Response& response, bool head_request);

}  // namespace mtasts::http
