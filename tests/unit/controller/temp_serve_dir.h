// A serve directory for one test: a fresh temporary folder in the group nginx's workers run in
// (nogroup), removed with all it holds when the test ends. Not thread-safe.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>

namespace mtasts::controller::testing {

class TempServeDir {
 public:
  TempServeDir();
  ~TempServeDir();
  TempServeDir(const TempServeDir&) = delete;
  TempServeDir& operator=(const TempServeDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  gid_t group() const { return group_; }

 private:
  std::filesystem::path path_;
  gid_t group_;
};

// The bytes of a file; "" when it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace mtasts::controller::testing
