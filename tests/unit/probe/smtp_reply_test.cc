#include "probe/smtp_reply.h"

#include <gtest/gtest.h>

#include <string>

namespace mtasts::probe {
namespace {

// A ByteStream that hands out a script in fixed-size pieces, then ends.
class ScriptedStream : public ByteStream {
 public:
  ScriptedStream(std::string script, size_t piece) : script_(std::move(script)), piece_(piece) {}
  StatusOr<size_t> Read(char* buffer, size_t capacity, Deadline) override {
    size_t n = std::min({capacity, piece_, script_.size() - at_});
    script_.copy(buffer, n, at_);
    at_ += n;
    return n;
  }
  Status Write(std::string_view, Deadline) override { return OkStatus(); }

 private:
  std::string script_;
  size_t piece_;
  size_t at_ = 0;
};

Deadline Soon() { return std::chrono::steady_clock::now() + std::chrono::seconds(5); }

TEST(SmtpReplyTest, MultiLineBannerAcrossReads) {
  for (size_t piece : {1u, 3u, 4096u}) {
    ScriptedStream stream("220-mx1.example.com ESMTP\r\n220-second line\r\n220 ready\r\n", piece);
    LineReader reader(stream, 512);
    auto reply = ReadSmtpReply(reader, Soon());
    ASSERT_TRUE(reply.ok()) << reply.status().ToString();
    EXPECT_EQ(reply->code, 220);
    EXPECT_EQ(reply->Text(), "mx1.example.com ESMTP\nsecond line\nready");
    EXPECT_EQ(reader.buffered(), 0u);
  }
}

TEST(SmtpReplyTest, EhloKeywords) {
  ScriptedStream stream(
      "250-mx1.example.com hello\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-starttls\r\n"
      "250 8BITMIME\r\n",
      4096);
  LineReader reader(stream, 512);
  auto reply = ReadSmtpReply(reader, Soon());
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(EhloKeywords(*reply),
            (std::vector<std::string>{"PIPELINING", "SIZE", "STARTTLS", "8BITMIME"}));
}

TEST(SmtpReplyTest, BytesAfterTheReplyStayBuffered) {
  // What a STARTTLS-injecting server sends: the 220 and more, in one write.
  ScriptedStream stream("220 go ahead\r\n250 injected\r\n", 4096);
  LineReader reader(stream, 512);
  auto reply = ReadSmtpReply(reader, Soon());
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->code, 220);
  EXPECT_EQ(reader.buffered(), std::string("250 injected\r\n").size());
}

TEST(SmtpReplyTest, BareCodeLineEndsTheReply) {
  SmtpReplyAssembler a;
  ASSERT_TRUE(a.Add("250").ok());
  EXPECT_TRUE(a.complete());
  EXPECT_EQ(a.reply().code, 250);
}

TEST(SmtpReplyTest, MalformedLinesAreErrors) {
  for (const char* line : {"", "hello", "25", "2500 x", "099 x", "650 x", "220x", "ab0 x"}) {
    SmtpReplyAssembler a;
    EXPECT_FALSE(a.Add(line).ok()) << '"' << line << '"';
  }
  SmtpReplyAssembler a;
  ASSERT_TRUE(a.Add("250-first").ok());
  EXPECT_FALSE(a.complete());
  EXPECT_FALSE(a.Add("251 second").ok());  // a code cannot change inside one reply
}

TEST(SmtpReplyTest, EndlessRepliesAreBounded) {
  SmtpReplyAssembler a;
  Status last;
  for (size_t i = 0; i <= SmtpReplyAssembler::kMaxLines && last.ok(); ++i) last = a.Add("250-x");
  EXPECT_EQ(last.code(), StatusCode::kOutOfRange);
}

TEST(SmtpReplyTest, OverlongLineAndEarlyCloseAreErrors) {
  ScriptedStream long_line("220 " + std::string(600, 'x') + "\r\n", 64);
  LineReader reader(long_line, 512);
  EXPECT_EQ(ReadSmtpReply(reader, Soon()).status().code(), StatusCode::kOutOfRange);
  ScriptedStream cut("220-first\r\n220 sec", 4096);
  LineReader cut_reader(cut, 512);
  EXPECT_EQ(ReadSmtpReply(cut_reader, Soon()).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace mtasts::probe
