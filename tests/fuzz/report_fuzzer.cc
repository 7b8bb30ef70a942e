// The TLS report parser on arbitrary JSON, in both modes. Property: whatever strict mode
// accepts, tolerant mode accepts too, as the same report.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "tlsrpt/report.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mtasts::tlsrpt;
  const std::string_view json(reinterpret_cast<const char*>(data), size);
  auto strict = ParseReport(json, ReportParseMode::kStrict);
  auto tolerant = ParseReport(json, ReportParseMode::kTolerant);
  if (strict.ok()) {
    FUZZ_CHECK(tolerant.ok());
    FUZZ_CHECK(tolerant->report.report_id == strict->report.report_id);
    FUZZ_CHECK(tolerant->report.policies.size() == strict->report.policies.size());
  }
  return 0;
}
