// DictionaryCodec: compresses short texts against one dictionary text (raw deflate with a preset
// dictionary). An informer's objects are near copies of each other: the same keys, labels and
// structure, differing in names, uids, times and a few values; compressed against one of them,
// a 2 KiB policy keeps a few hundred bytes. Thread-safe: immutable after construction.
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace mtasts::k8s {

class DictionaryCodec {
 public:
  // Deflate reaches back 32 KiB: of a longer dictionary only the end counts.
  explicit DictionaryCodec(std::string dictionary);

  std::string Compress(std::string_view text) const;
  // kInternal when `packed` did not come from Compress() of this dictionary.
  StatusOr<std::string> Decompress(std::string_view packed) const;

 private:
  std::string dictionary_;
};

}  // namespace mtasts::k8s
