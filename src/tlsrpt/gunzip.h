// Inflating a gzip-compressed report (RFC 8460 §5.3: application/tlsrpt+gzip) without trusting
// it: the output is capped, and inflating stops as soon as the cap is passed, so a gzip bomb
// costs at most the cap in memory and the time to produce it. Pure; thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/status.h"

namespace mtasts::tlsrpt {

// Decompressed reports are at most this large (a busy sender's daily report is a few hundred
// KiB; 10 MiB leaves room without letting one upload claim much memory).
inline constexpr std::size_t kMaxInflatedBytes = std::size_t{10} << 20;

// True when data starts with the gzip magic bytes.
bool LooksGzipped(std::string_view data);

// The bytes of one gzip member (further members concatenated after it are inflated too).
// Errors: ResourceExhausted when the output would pass max_output (nothing more is inflated);
// InvalidArgument when data is not gzip, is truncated or corrupt, or has bytes after the
// last member.
StatusOr<std::string> Gunzip(std::string_view data, std::size_t max_output = kMaxInflatedBytes);

}  // namespace mtasts::tlsrpt
