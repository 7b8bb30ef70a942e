#include "probe/address_range.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

namespace mtasts::probe {
namespace {

struct Range {
  std::array<uint8_t, 16> prefix;  // the first bytes matter, up to `bits`
  int bits;
  std::string_view name;
};

// IANA IPv4 Special-Purpose Address Registry, multicast and the reserved class E.
constexpr Range kIpv4[] = {
    {{0}, 8, "\"this network\" 0.0.0.0/8"},
    {{10}, 8, "private 10.0.0.0/8"},
    {{100, 64}, 10, "shared address space (CGNAT) 100.64.0.0/10"},
    {{127}, 8, "loopback 127.0.0.0/8"},
    {{169, 254}, 16, "link-local 169.254.0.0/16 (cloud metadata lives here)"},
    {{172, 16}, 12, "private 172.16.0.0/12"},
    {{192, 0, 0}, 24, "IETF protocol assignments 192.0.0.0/24"},
    {{192, 0, 2}, 24, "documentation 192.0.2.0/24"},
    {{192, 88, 99}, 24, "6to4 relay anycast 192.88.99.0/24"},
    {{192, 168}, 16, "private 192.168.0.0/16"},
    {{198, 18}, 15, "benchmarking 198.18.0.0/15"},
    {{198, 51, 100}, 24, "documentation 198.51.100.0/24"},
    {{203, 0, 113}, 24, "documentation 203.0.113.0/24"},
    {{224}, 4, "multicast 224.0.0.0/4"},
    {{240}, 4, "reserved 240.0.0.0/4"},
};

// IANA IPv6 Special-Purpose Address Registry, multicast, and what lies outside global unicast.
// The prefixes that embed an IPv4 address (::ffff:0:0/96, 64:ff9b::/96, 2002::/16) are judged
// by that address instead, before this table.
constexpr Range kIpv6[] = {
    {{}, 128, "unspecified ::/128"},
    {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, "loopback ::1/128"},
    {{0x00, 0x64, 0xff, 0x9b, 0x00, 0x01}, 48, "local-use NAT64 64:ff9b:1::/48"},
    {{0x01, 0x00}, 64, "discard-only 100::/64"},
    {{0x20, 0x01, 0x0d, 0xb8}, 32, "documentation 2001:db8::/32"},
    {{0x20, 0x01, 0x00, 0x00}, 23, "IETF protocol assignments 2001::/23"},
    {{0x3f, 0xff}, 20, "documentation 3fff::/20"},
    {{0x5f, 0x00}, 16, "segment routing 5f00::/16"},
    {{0xfc}, 7, "unique local fc00::/7"},
    {{0xfe, 0x80}, 10, "link-local fe80::/10"},
    {{0xfe, 0xc0}, 10, "site-local fec0::/10"},
    {{0xff}, 8, "multicast ff00::/8"},
};

bool InPrefix(std::span<const uint8_t> address, const Range& range) {
  for (int bit = 0; bit < range.bits; ++bit) {
    const int mask = 0x80 >> (bit % 8);
    if ((address[bit / 8] & mask) != (range.prefix[bit / 8] & mask)) return false;
  }
  return true;
}

std::string RangeOf(std::span<const uint8_t> address, std::span<const Range> table) {
  for (const Range& range : table) {
    if (InPrefix(address, range)) return std::string(range.name);
  }
  return "";
}

std::string Ipv6Range(const std::array<uint8_t, 16>& a) {
  constexpr std::array<uint8_t, 12> kMapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  constexpr std::array<uint8_t, 12> kNat64 = {0x00, 0x64, 0xff, 0x9b};
  const std::span<const uint8_t> bytes(a);
  if (std::equal(kMapped.begin(), kMapped.end(), a.begin()) ||
      std::equal(kNat64.begin(), kNat64.end(), a.begin())) {
    return RangeOf(bytes.subspan(12, 4), kIpv4);
  }
  if (a[0] == 0x20 && a[1] == 0x02) return RangeOf(bytes.subspan(2, 4), kIpv4);  // 6to4
  if (std::string named = RangeOf(bytes, kIpv6); !named.empty()) return named;
  // Only 2000::/3 is allocated as global unicast.
  return (a[0] & 0xe0) == 0x20 ? "" : "reserved (outside global unicast 2000::/3)";
}

}  // namespace

std::string SpecialPurposeRange(std::string_view address) {
  const std::string text(address);
  std::array<uint8_t, 16> bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
    return RangeOf(std::span<const uint8_t>(bytes).first(4), kIpv4);
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1) return Ipv6Range(bytes);
  return "not a numeric IP address";
}

std::string ReportedPrivateRange(PrivateAddresses mode, std::string_view address) {
  return mode == PrivateAddresses::kAllow ? "" : SpecialPurposeRange(address);
}

}  // namespace mtasts::probe
