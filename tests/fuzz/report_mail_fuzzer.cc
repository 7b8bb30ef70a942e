// A report mail as a mailbox saves it, on arbitrary bytes: the MIME walk, the transfer
// decoding, and each report found inflated and parsed. Property: no decoded attachment is
// larger than the message it came from (base64 and quoted-printable only shrink).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "tlsrpt/mail_message.h"
#include "tlsrpt/read.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mtasts::tlsrpt;
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  auto found = ReportsInMessage(message);
  if (!found.ok()) return 0;
  FUZZ_CHECK(!found->empty());
  for (const Attachment& a : *found) {
    FUZZ_CHECK(a.bytes.size() <= size);
    (void)ReadReport(a.bytes, ReportParseMode::kTolerant);
  }
  return 0;
}
