#include "base/host_port.h"

#include <arpa/inet.h>

#include <charconv>

namespace mtasts {
namespace {

Status Malformed(std::string_view why) {
  return InvalidArgumentError(std::string(why) +
                              "; write HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
}

}  // namespace

StatusOr<HostPort> ParseHostPort(std::string_view text) {
  const size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || text.ends_with(']')) return Malformed("has no port");
  std::string_view host = text.substr(0, colon);
  const std::string_view port = text.substr(colon + 1);
  if (host.starts_with('[') != host.ends_with(']') || (host.size() == 1 && host[0] == '[')) {
    return Malformed("has an unclosed bracket");
  }
  if (host.starts_with('[')) {
    host = host.substr(1, host.size() - 2);
    if (!IsIpv6Address(host)) return Malformed("has no IPv6 address between the brackets");
  } else if (host.find(':') != std::string_view::npos) {
    return Malformed("needs brackets around its IPv6 address");
  }
  HostPort out{std::string(host), 0};
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), out.port);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || out.port < 0 ||
      out.port > 65535) {
    return Malformed("has no port from 0 to 65535");
  }
  return out;
}

std::string FormatHostPort(std::string_view host, int port) {
  const bool v6 = host.find(':') != std::string_view::npos;
  return (v6 ? "[" + std::string(host) + "]" : std::string(host)) + ":" + std::to_string(port);
}

std::optional<std::string> CanonicalIpAddress(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) return std::nullopt;  // inet_pton would stop
  const std::string address(text);
  unsigned char bytes[16];
  char out[INET6_ADDRSTRLEN];
  for (int family : {AF_INET, AF_INET6}) {
    if (inet_pton(family, address.c_str(), bytes) == 1 &&
        inet_ntop(family, bytes, out, sizeof out) != nullptr) {
      return std::string(out);
    }
  }
  return std::nullopt;
}

bool IsIpAddress(std::string_view text) { return CanonicalIpAddress(text).has_value(); }

bool IsIpv6Address(std::string_view text) {
  return IsIpAddress(text) && text.find(':') != std::string_view::npos;
}

}  // namespace mtasts
