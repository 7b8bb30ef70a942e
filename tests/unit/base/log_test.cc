#include "base/log.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

namespace mtasts {
namespace {

// What `write_log` writes to file descriptor 2, where log lines go.
std::string CaptureStderr(const std::function<void()>& write_log) {
  std::FILE* file = std::tmpfile();
  const int saved = dup(STDERR_FILENO);
  dup2(fileno(file), STDERR_FILENO);
  write_log();
  dup2(saved, STDERR_FILENO);
  close(saved);
  std::rewind(file);
  std::string out;
  for (int c; (c = std::fgetc(file)) != EOF;) out += static_cast<char>(c);
  std::fclose(file);
  return out;
}

TEST(LogTest, BytesFromOutsideAreShownEscapedInValidJson) {
  const std::string line = CaptureStderr([] {
    LogWarning(
        "record \x1b[31mred",
        {{"record", "id=\xff\xfe\x1b]0;owned\a"}, {"quoted", "a\"b\\c"}, {"lines", "one\ntwo"}});
  });
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one line: " << line;
  for (char c : line.substr(0, line.size() - 1)) {
    EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "a raw control byte in " << line;
  }
  nlohmann::json fields;
  ASSERT_NO_THROW(fields = nlohmann::json::parse(line)) << line;
  EXPECT_EQ(fields["level"], "warning");
  EXPECT_EQ(fields["msg"], "record \\x1b[31mred");
  EXPECT_EQ(fields["record"], "id=\\xff\\xfe\\x1b]0;owned\\x07");
  EXPECT_EQ(fields["quoted"], "a\"b\\c");
  EXPECT_EQ(fields["lines"], "one\\x0atwo");
}

}  // namespace
}  // namespace mtasts
