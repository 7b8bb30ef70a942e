#include "tlsrpt/gunzip.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <climits>

namespace mtasts::tlsrpt {
namespace {

// zlib's stream, always ended, whatever path leaves the function.
class Inflater {
 public:
  Inflater() = default;
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;
  ~Inflater() {
    if (started_) inflateEnd(&stream_);
  }

  bool Start() {
    started_ = inflateInit2(&stream_, 15 + 16) == Z_OK;  // 15-bit window, gzip header only
    return started_;
  }
  z_stream& stream() { return stream_; }

 private:
  z_stream stream_{};
  bool started_ = false;
};

}  // namespace

bool LooksGzipped(std::string_view data) {
  return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f &&
         static_cast<unsigned char>(data[1]) == 0x8b;
}

StatusOr<std::string> Gunzip(std::string_view data, std::size_t max_output) {
  if (!LooksGzipped(data)) return InvalidArgumentError("not gzip data (no gzip magic bytes)");
  if (data.size() > UINT_MAX) return ResourceExhaustedError("compressed data too large");
  Inflater inflater;
  if (!inflater.Start()) return InternalError("zlib could not start");
  z_stream& z = inflater.stream();
  // zlib takes a non-const pointer but does not write through next_in.
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  std::array<char, std::size_t{64} << 10> chunk{};
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(chunk.data());
    z.avail_out = static_cast<uInt>(chunk.size());
    const int rc = inflate(&z, Z_NO_FLUSH);
    const std::size_t produced = chunk.size() - z.avail_out;
    if (out.size() + produced > max_output) {
      return ResourceExhaustedError("inflates to more than " + std::to_string(max_output) +
                                    " bytes; refused before inflating the rest");
    }
    out.append(chunk.data(), produced);
    if (rc == Z_STREAM_END) {
      if (z.avail_in == 0) return out;
      // Another member follows (gzip allows concatenation); anything else is garbage.
      const std::string_view rest(reinterpret_cast<const char*>(z.next_in), z.avail_in);
      if (!LooksGzipped(rest)) {
        return InvalidArgumentError(std::to_string(z.avail_in) +
                                    " bytes after the end of the gzip data");
      }
      if (inflateReset(&z) != Z_OK) return InternalError("zlib could not restart");
      continue;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0) {
      return InvalidArgumentError("truncated gzip data (it ends before its last block)");
    }
    if (rc != Z_OK) {
      return InvalidArgumentError(std::string("corrupt gzip data: ") +
                                  (z.msg != nullptr ? z.msg : "inflate failed"));
    }
  }
}

}  // namespace mtasts::tlsrpt
