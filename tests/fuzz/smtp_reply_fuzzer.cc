// Any bytes as SMTP reply lines: assembly errs or completes within its line bound, and the EHLO
// keywords of whatever it assembled can be read.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probe/smtp_reply.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mtasts::probe;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  SmtpReplyAssembler assembler;
  while (!input.empty() && !assembler.complete()) {
    size_t nl = input.find('\n');
    if (!assembler.Add(input.substr(0, nl)).ok()) return 0;
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
  }
  if (assembler.reply().lines.size() > SmtpReplyAssembler::kMaxLines) __builtin_trap();
  (void)EhloKeywords(assembler.reply());
  return 0;
}
