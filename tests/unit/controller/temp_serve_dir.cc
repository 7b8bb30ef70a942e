#include "temp_serve_dir.h"

#include <grp.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace mtasts::controller::testing {

TempServeDir::TempServeDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "serve-dir-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  const struct group* nogroup = ::getgrnam("nogroup");
  group_ = nogroup != nullptr ? nogroup->gr_gid : 65534;
  if (::chown(path_.c_str(), -1, group_) != 0) throw std::runtime_error("chown failed");
}

TempServeDir::~TempServeDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace mtasts::controller::testing
