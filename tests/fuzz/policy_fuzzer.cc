// The policy file parser on arbitrary bodies, and the render round trip on every policy it
// accepts: render(parse(x)) parses back to the same policy (mx in canonical order) and renders
// to the same bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "policy/policy_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace mtasts::policy;
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  ParsedPolicy parsed = ParsePolicy(body);
  FUZZ_CHECK(parsed.ok() == parsed.status().ok());
  if (!parsed.ok()) return 0;

  auto rendered = RenderPolicy(*parsed.value);
  if (!rendered.ok()) return 0;  // e.g. an extension named like a standard field
  ParsedPolicy again = ParsePolicy(*rendered);
  FUZZ_CHECK(again.ok());
  Policy expected = *parsed.value;
  expected.mx = CanonicalMxList(expected.mx);
  FUZZ_CHECK(*again.value == expected);
  auto rendered_again = RenderPolicy(*again.value);
  FUZZ_CHECK(rendered_again.ok() && *rendered_again == *rendered);
  return 0;
}
