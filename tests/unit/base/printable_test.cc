#include "base/printable.h"

#include <gtest/gtest.h>

#include <string>

#include "base/strings.h"

namespace mtasts {
namespace {

TEST(PrintableTest, EscapesWhatCouldActOnATerminal) {
  struct Case {
    std::string in, want;
  } cases[] = {
      {"", ""},
      {"v=STSv1; id=20261128T000000Z", "v=STSv1; id=20261128T000000Z"},
      {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
      {"a\\b \"q\"", "a\\b \"q\""},  // kept: the result is for reading, not for decoding
      // C0 controls: ESC, BEL, newline, carriage return, tab, NUL, and DEL.
      {"\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"},
      {"ding\a", "ding\\x07"},
      {"one\ntwo\r\tthree", "one\\x0atwo\\x0d\\x09three"},
      {std::string("nul\0end", 7), "nul\\x00end"},
      {"del\x7f", "del\\x7f"},
      // Bytes that are not UTF-8: the hostile TXT record, a lone continuation, a cut sequence.
      {"id=\xff\xfe", "id=\\xff\\xfe"},
      {"\x80", "\\x80"},
      {"cut\xe2\x82", "cut\\xe2\\x82"},
      {"\xc0\xaf", "\\xc0\\xaf"},  // overlong "/"
      // Raw C1 CSI is not UTF-8; encoded as UTF-8 it is a C1 control, shown as its two bytes.
      {"\x9b[31m", "\\x9b[31m"},
      {"\xc2\x9b[31m", "\\xc2\\x9b[31m"},
      // Format characters that reorder or split lines.
      // The test needs the very characters the check warns about.
      // NOLINTNEXTLINE(misc-misleading-bidirectional)
      {"\xe2\x80\xaegnp.exe", "\\xe2\\x80\\xaegnp.exe"},                 // RIGHT-TO-LEFT OVERRIDE
      {"\xe2\x81\xa6x\xe2\x81\xa9", "\\xe2\\x81\\xa6x\\xe2\\x81\\xa9"},  // LRI, PDI
      {"a\xe2\x80\xa8z", "a\\xe2\\x80\\xa8z"},                           // LINE SEPARATOR
      {"\xe2\x80\x8f", "\\xe2\\x80\\x8f"},                               // RLM
      {"\xd8\x9c", "\\xd8\\x9c"},                                        // ARABIC LETTER MARK
      {"\xe2\x80\x8b", "\xe2\x80\x8b"},  // ZERO WIDTH SPACE: invisible, but harmless
  };
  for (const Case& c : cases) EXPECT_EQ(Printable(c.in), c.want) << c.want;
}

TEST(PrintableTest, ResultIsUtf8WithoutControlsAndStable) {
  std::string every_byte;
  for (int b = 0; b < 256; ++b) every_byte += static_cast<char>(b);
  for (const std::string& in : {every_byte, std::string("\xf0\x9f\x98\x80\xff\x1b")}) {
    const std::string out = Printable(in);
    EXPECT_TRUE(IsValidUtf8(out)) << out;
    for (unsigned char c : out) EXPECT_TRUE(c >= 0x20 && c != 0x7f) << out;
    EXPECT_EQ(Printable(out), out);
  }
}

}  // namespace
}  // namespace mtasts
