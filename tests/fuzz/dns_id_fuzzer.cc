// Any pattern and host (split at the first NUL): matching never crashes, and a pattern without
// '*' matches exactly the names equal to it ignoring case and one trailing dot.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "base/strings.h"
#include "probe/certificate.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t split = input.find('\0');
  if (split == std::string_view::npos) return 0;
  std::string_view pattern = input.substr(0, split);
  std::string_view host = input.substr(split + 1);
  bool match = mtasts::probe::DnsIdMatches(pattern, host);
  if (match && pattern.find('*') == std::string_view::npos &&
      mtasts::CanonicalDomain(pattern) != mtasts::CanonicalDomain(host)) {
    __builtin_trap();
  }
  return 0;
}
