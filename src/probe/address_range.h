// Special-purpose addresses: the ranges of the IANA IPv4 and IPv6 Special-Purpose Address
// Registries (RFC 6890 and its updates) plus multicast and the reserved space, which public
// senders cannot reach or must not be sent mail at. A prober that connected to them on a
// domain's say-so would scan its own network (loopback, the cloud metadata address, pod and
// node networks) for whoever controls that domain's DNS, so the probes consult this first.
// Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mtasts::probe {

// The range `address` falls in, named for a reader ("loopback 127.0.0.0/8"), or "" for an
// address public senders can reach. IPv4-mapped (::ffff:0:0/96) and NAT64 (64:ff9b::/96)
// addresses are judged by the IPv4 address they carry. Text that is not a numeric address is
// "not a numeric IP address".
std::string SpecialPurposeRange(std::string_view address);

// What a probe does with an address in a special-purpose range.
enum class PrivateAddresses {
  kRefuse,        // no connection; the caller reports it as an error (the operator's default)
  kProbeAndWarn,  // connect, and report it as a warning (`mtasts check`, run by a person)
  kAllow,         // connect like any other and report nothing (tests on loopback)
};

// The range to report for `address` under `mode`: "" when it is public or the mode allows it.
std::string ReportedPrivateRange(PrivateAddresses mode, std::string_view address);

}  // namespace mtasts::probe
