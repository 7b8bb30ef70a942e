// Network addresses as flags and listeners write them: "HOST:PORT", "[IPv6]:PORT" and ":PORT"
// (every local address). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"

namespace mtasts {

struct HostPort {
  std::string host;  // without brackets; empty: every local address
  int port = 0;
};

// Splits "HOST:PORT"; the port is 0 to 65535 in digits. An IPv6 host is written in brackets, as
// in URLs ("[::1]:443"), because its own colons would hide the port. The host is otherwise not
// checked: see IsIpAddress. InvalidArgument says what is wrong ("has no port") and how to
// write it; the caller names the text and where it came from.
StatusOr<HostPort> ParseHostPort(std::string_view text);

// "host:port", with brackets around an IPv6 host.
std::string FormatHostPort(std::string_view host, int port);

// A numeric IPv4 ("192.0.2.1") or IPv6 ("2001:db8::1") address, without brackets or zone.
bool IsIpAddress(std::string_view text);
bool IsIpv6Address(std::string_view text);

// The address as inet_ntop writes it ("2001:DB8:0::1" -> "2001:db8::1"), so equal addresses
// compare equal as text; nullopt if `text` is not a numeric address.
std::optional<std::string> CanonicalIpAddress(std::string_view text);

}  // namespace mtasts
