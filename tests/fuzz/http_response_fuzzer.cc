// Any bytes as an HTTP response, fed in pieces whose sizes come from the input: the parser
// errs or completes, never holds more body than its cap, and gives the same verdict however the
// bytes are split.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "probe/http_response.h"

namespace {

constexpr size_t kCap = 1024;

struct Outcome {
  mtasts::Status status;
  bool complete = false;
  std::string body;
};

Outcome Parse(std::string_view wire, size_t piece) {
  mtasts::probe::HttpResponseParser parser(kCap, 2048);
  Outcome out;
  for (size_t at = 0; at < wire.size() && out.status.ok(); at += piece) {
    out.status = parser.Feed(wire.substr(at, piece));
  }
  if (out.status.ok() && !parser.complete()) out.status = parser.Close();
  out.complete = parser.complete();
  out.body = parser.response().body;
  if (out.body.size() > kCap) __builtin_trap();
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  size_t piece = data[0] % 16 + 1;
  std::string_view wire(reinterpret_cast<const char*>(data + 1), size - 1);
  Outcome whole = Parse(wire, wire.size() + 1);
  Outcome pieces = Parse(wire, piece);
  if (whole.status.ok() != pieces.status.ok() || whole.complete != pieces.complete) {
    __builtin_trap();
  }
  if (whole.complete && whole.body != pieces.body) __builtin_trap();
  return 0;
}
