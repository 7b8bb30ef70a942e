#include "k8s/dictionary_codec.h"

#include <zlib.h>

#include <cstdint>

namespace mtasts::k8s {
namespace {

// Raw deflate (no zlib header or checksum: the bytes never leave the process), the full 32 KiB
// window, and level 6: a store compresses each object once and reads it many times.
constexpr int kWindowBits = -15;
constexpr int kLevel = 6;
constexpr int kMemLevel = 8;
// The text's length goes first, so a reader allocates once.
constexpr size_t kLengthBytes = 4;

uInt ZSize(size_t n) { return static_cast<uInt>(n); }

const Bytef* ZBytes(std::string_view s) { return reinterpret_cast<const Bytef*>(s.data()); }

}  // namespace

DictionaryCodec::DictionaryCodec(std::string dictionary) : dictionary_(std::move(dictionary)) {
  constexpr size_t kWindow = size_t{1} << 15;
  if (dictionary_.size() > kWindow) dictionary_.erase(0, dictionary_.size() - kWindow);
}

std::string DictionaryCodec::Compress(std::string_view text) const {
  // Texts are objects of at most a few MiB (the API server's limit is 3 MiB).
  const auto length = static_cast<uint32_t>(text.size());
  std::string packed(kLengthBytes, '\0');
  for (size_t i = 0; i < kLengthBytes; ++i) packed[i] = static_cast<char>(length >> (8 * i));
  z_stream z{};
  deflateInit2(&z, kLevel, Z_DEFLATED, kWindowBits, kMemLevel, Z_DEFAULT_STRATEGY);
  deflateSetDictionary(&z, ZBytes(dictionary_), ZSize(dictionary_.size()));
  packed.resize(kLengthBytes + deflateBound(&z, text.size()));
  z.next_in = const_cast<Bytef*>(ZBytes(text));
  z.avail_in = ZSize(text.size());
  z.next_out = reinterpret_cast<Bytef*>(packed.data() + kLengthBytes);
  z.avail_out = ZSize(packed.size() - kLengthBytes);
  deflate(&z, Z_FINISH);  // the output fits: deflateBound
  packed.resize(kLengthBytes + z.total_out);
  deflateEnd(&z);
  packed.shrink_to_fit();
  return packed;
}

StatusOr<std::string> DictionaryCodec::Decompress(std::string_view packed) const {
  if (packed.size() < kLengthBytes) return InternalError("compressed text: too short");
  uint32_t length = 0;
  for (size_t i = 0; i < kLengthBytes; ++i) {
    length |= static_cast<uint32_t>(static_cast<unsigned char>(packed[i])) << (8 * i);
  }
  std::string text(length, '\0');
  z_stream z{};
  inflateInit2(&z, kWindowBits);
  inflateSetDictionary(&z, ZBytes(dictionary_), ZSize(dictionary_.size()));
  z.next_in = const_cast<Bytef*>(ZBytes(packed.substr(kLengthBytes)));
  z.avail_in = ZSize(packed.size() - kLengthBytes);
  z.next_out = reinterpret_cast<Bytef*>(text.data());
  z.avail_out = ZSize(text.size());
  const int result = inflate(&z, Z_FINISH);
  const bool whole = result == Z_STREAM_END && z.total_out == length;
  inflateEnd(&z);
  if (!whole) return InternalError("compressed text: corrupt or of another dictionary");
  return text;
}

}  // namespace mtasts::k8s
