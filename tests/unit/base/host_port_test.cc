#include "base/host_port.h"

#include <gtest/gtest.h>

namespace mtasts {
namespace {

TEST(HostPortTest, SplitsHostAndPort) {
  const struct {
    std::string_view text;
    std::string host;
    int port;
  } rows[] = {{"127.0.0.1:8080", "127.0.0.1", 8080},
              {":8080", "", 8080},
              {"[::1]:0", "::1", 0},
              {"[2001:db8::1]:65535", "2001:db8::1", 65535},
              {"example.com:443", "example.com", 443}};
  for (const auto& row : rows) {
    const StatusOr<HostPort> parsed = ParseHostPort(row.text);
    ASSERT_TRUE(parsed.ok()) << row.text << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->host, row.host) << row.text;
    EXPECT_EQ(parsed->port, row.port) << row.text;
    EXPECT_EQ(FormatHostPort(parsed->host, parsed->port), row.text);
  }
}

TEST(HostPortTest, SaysWhatIsWrong) {
  const struct {
    std::string_view text;
    std::string_view says;
  } rows[] = {{"8080", "has no port"},
              {"[::1]", "has no port"},
              {"::1:80", "needs brackets around its IPv6 address"},
              {"[::1:80", "has an unclosed bracket"},
              {"::1]:80", "has an unclosed bracket"},
              {"[:80", "has an unclosed bracket"},
              {"[]:80", "has no IPv6 address between the brackets"},
              {"[127.0.0.1]:80", "has no IPv6 address between the brackets"},
              {"host:", "has no port from 0 to 65535"},
              {"host:65536", "has no port from 0 to 65535"},
              {"host:-1", "has no port from 0 to 65535"},
              {"host:+1", "has no port from 0 to 65535"},
              {"host:8o", "has no port from 0 to 65535"}};
  for (const auto& row : rows) {
    const StatusOr<HostPort> parsed = ParseHostPort(row.text);
    ASSERT_FALSE(parsed.ok()) << row.text;
    EXPECT_EQ(parsed.status().message(),
              std::string(row.says) + "; write HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080");
  }
}

TEST(HostPortTest, CanonicalAddressesCompareEqual) {
  EXPECT_EQ(CanonicalIpAddress("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(CanonicalIpAddress("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(CanonicalIpAddress("::ffff:192.0.2.1"), "::ffff:192.0.2.1");
  using std::string_view_literals::operator""sv;
  for (std::string_view bad : {""sv, "192.0.2"sv, "192.0.2.256"sv, "example.com"sv, "[::1]"sv,
                               "fe80::1%eth0"sv, "192.0.2.1\0x"sv}) {
    EXPECT_EQ(CanonicalIpAddress(bad), std::nullopt) << bad;
    EXPECT_FALSE(IsIpAddress(bad)) << bad;
  }
  EXPECT_TRUE(IsIpv6Address("::1"));
  EXPECT_FALSE(IsIpv6Address("127.0.0.1"));
}

}  // namespace
}  // namespace mtasts
