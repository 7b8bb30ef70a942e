#include "cli/report_poster.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace mtasts::cli {
namespace {

using ::testing::HasSubstr;

TEST(ParsePostUrlTest, ReadsWhatTheIntakeIsAt) {
  struct Row {
    const char* url;
    bool https;
    const char* host;
    int port;
    const char* target;
  };
  const Row rows[] = {
      {"https://mta-sts.example.com/tlsrpt", true, "mta-sts.example.com", 443, "/tlsrpt"},
      {"HTTP://127.0.0.1:8080/tlsrpt?from=sieve", false, "127.0.0.1", 8080, "/tlsrpt?from=sieve"},
      {"https://[2001:db8::1]/r", true, "2001:db8::1", 443, "/r"},
      {"https://[2001:db8::1]:8443", true, "2001:db8::1", 8443, "/"},
      {"http://intake.example?x", false, "intake.example", 80, "/?x"},
  };
  for (const Row& row : rows) {
    StatusOr<PostUrl> url = ParsePostUrl(row.url);
    ASSERT_TRUE(url.ok()) << row.url << ": " << url.status().message();
    EXPECT_EQ(url->https, row.https) << row.url;
    EXPECT_EQ(url->host, row.host) << row.url;
    EXPECT_EQ(url->port, row.port) << row.url;
    EXPECT_EQ(url->target, row.target) << row.url;
  }
}

TEST(ParsePostUrlTest, RefusesWhatCannotBePostedTo) {
  const std::pair<const char*, const char*> rows[] = {
      {"mailto:tlsrpt@example.com", "must start with https:// or http://"},
      {"https://user:pw@example.com/", "user info"},
      {"https://example.com/#top", "fragment"},
      {"https:///tlsrpt", "no host name"},
      {"https://ex ample.com/", "no host name"},
      {"https://example.com:99999/", "port"},
      {"https://example.com:0/", "port 0"},
      {"https://example.com/a b", "space or a control character"},
  };
  for (const auto& [text, message] : rows) {
    StatusOr<PostUrl> url = ParsePostUrl(text);
    EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument) << text;
    EXPECT_THAT(url.status().message(), HasSubstr(message)) << text;
  }
}

}  // namespace
}  // namespace mtasts::cli
