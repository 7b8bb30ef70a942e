#include "probe/address_range.h"

#include <gtest/gtest.h>

namespace mtasts::probe {
namespace {

struct RangeCase {
  const char* address;
  const char* range;  // "" for an address public senders can reach
};

const RangeCase kCases[] = {
    // IPv4: public.
    {"8.8.8.8", ""},
    {"192.0.3.1", ""},    // just past documentation 192.0.2.0/24
    {"100.128.0.1", ""},  // just past CGNAT 100.64.0.0/10
    {"172.32.0.1", ""},   // just past private 172.16.0.0/12
    {"198.20.0.1", ""},   // just past benchmarking 198.18.0.0/15
    {"223.255.255.255", ""},
    // IPv4: special purpose.
    {"0.0.0.0", "\"this network\" 0.0.0.0/8"},
    {"10.1.2.3", "private 10.0.0.0/8"},
    {"100.64.0.1", "shared address space (CGNAT) 100.64.0.0/10"},
    {"100.127.255.255", "shared address space (CGNAT) 100.64.0.0/10"},
    {"127.0.0.1", "loopback 127.0.0.0/8"},
    {"127.25.0.25", "loopback 127.0.0.0/8"},
    {"169.254.169.254", "link-local 169.254.0.0/16 (cloud metadata lives here)"},
    {"172.16.0.1", "private 172.16.0.0/12"},
    {"172.31.255.255", "private 172.16.0.0/12"},
    {"192.0.0.8", "IETF protocol assignments 192.0.0.0/24"},
    {"192.0.2.1", "documentation 192.0.2.0/24"},
    {"192.88.99.1", "6to4 relay anycast 192.88.99.0/24"},
    {"192.168.1.1", "private 192.168.0.0/16"},
    {"198.19.255.1", "benchmarking 198.18.0.0/15"},
    {"198.51.100.7", "documentation 198.51.100.0/24"},
    {"203.0.113.9", "documentation 203.0.113.0/24"},
    {"224.0.0.1", "multicast 224.0.0.0/4"},
    {"239.255.255.250", "multicast 224.0.0.0/4"},
    {"240.0.0.1", "reserved 240.0.0.0/4"},
    {"255.255.255.255", "reserved 240.0.0.0/4"},
    // IPv6: public.
    {"2a00:1450:4001:80b::200e", ""},
    {"2001:4860:4860::8888", ""},
    {"2002:808:808::1", ""},  // 6to4 of 8.8.8.8
    // IPv6: special purpose.
    {"::", "unspecified ::/128"},
    {"::1", "loopback ::1/128"},
    {"fe80::1", "link-local fe80::/10"},
    {"febf:ffff::1", "link-local fe80::/10"},
    {"fec0::1", "site-local fec0::/10"},
    {"fc00::1", "unique local fc00::/7"},
    {"fd12:3456::1", "unique local fc00::/7"},
    {"ff02::1", "multicast ff00::/8"},
    {"2001:db8::25", "documentation 2001:db8::/32"},
    {"3fff::1", "documentation 3fff::/20"},
    {"2001::1", "IETF protocol assignments 2001::/23"},
    {"100::1", "discard-only 100::/64"},
    {"64:ff9b:1::1", "local-use NAT64 64:ff9b:1::/48"},
    {"5f00::1", "segment routing 5f00::/16"},
    {"4000::1", "reserved (outside global unicast 2000::/3)"},
    {"::2", "reserved (outside global unicast 2000::/3)"},
    // Addresses that carry an IPv4 address are judged by it.
    {"::ffff:127.0.0.1", "loopback 127.0.0.0/8"},
    {"::ffff:169.254.169.254", "link-local 169.254.0.0/16 (cloud metadata lives here)"},
    {"::ffff:8.8.8.8", ""},
    {"64:ff9b::10.0.0.1", "private 10.0.0.0/8"},
    {"64:ff9b::8.8.8.8", ""},
    {"2002:7f00:1::1", "loopback 127.0.0.0/8"},  // 6to4 of 127.0.0.1
    // Not an address at all.
    {"mx.example.com", "not a numeric IP address"},
    {"", "not a numeric IP address"},
    {"127.1", "not a numeric IP address"},
};

TEST(AddressRangeTest, NamesEverySpecialPurposeRange) {
  for (const RangeCase& c : kCases) {
    EXPECT_EQ(SpecialPurposeRange(c.address), c.range) << c.address;
  }
}

TEST(AddressRangeTest, AllowReportsNothing) {
  EXPECT_EQ(ReportedPrivateRange(PrivateAddresses::kAllow, "127.0.0.1"), "");
  EXPECT_EQ(ReportedPrivateRange(PrivateAddresses::kProbeAndWarn, "127.0.0.1"),
            "loopback 127.0.0.0/8");
  EXPECT_EQ(ReportedPrivateRange(PrivateAddresses::kRefuse, "::1"), "loopback ::1/128");
  EXPECT_EQ(ReportedPrivateRange(PrivateAddresses::kRefuse, "8.8.8.8"), "");
}

}  // namespace
}  // namespace mtasts::probe
