// The _smtp._tls TXT parser on arbitrary records and RRsets. Properties: selection then parsing
// agrees with parsing the selected text; accepted report URIs render to a record that parses
// back to the same URIs.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "policy/tlsrpt_record.h"
#include "txt_rrset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mtasts::policy;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Parsed<TlsRptRecord> record = ParseTlsRptRecord(input);
  if (record.ok()) {
    auto rendered = RenderTlsRptRecord(record.value->rua);
    if (rendered.ok()) {
      Parsed<TlsRptRecord> again = ParseTlsRptRecord(*rendered);
      FUZZ_CHECK(again.ok() && again.value->rua == record.value->rua);
    }
  }
  CheckSelectionAgrees<TlsRptRecord>(SplitIntoRrset(input), SelectTlsRptRecord, ParseTlsRptRecord,
                                     ReadTlsRptRecord);
  return 0;
}
