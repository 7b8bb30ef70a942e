// The _mta-sts TXT parser on arbitrary records and RRsets. Properties: selection then parsing
// agrees with parsing the selected text; an accepted id renders to a record that parses back.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "policy/sts_record.h"
#include "txt_rrset.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mtasts::policy;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  Parsed<StsRecord> record = ParseStsRecord(input);
  if (record.ok()) {
    auto rendered = RenderStsRecord(record.value->id);
    FUZZ_CHECK(rendered.ok());
    Parsed<StsRecord> again = ParseStsRecord(*rendered);
    FUZZ_CHECK(again.ok() && again.value->id == record.value->id);
  }
  CheckSelectionAgrees<StsRecord>(SplitIntoRrset(input), SelectStsRecord, ParseStsRecord,
                                  ReadStsRecord);
  return 0;
}
