#include "controller/serve_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <initializer_list>
#include <system_error>

#include "base/printable.h"
#include "controller/tls_pair.h"

namespace mtasts::controller {
namespace {

constexpr std::string_view kHostPrefix = "mta-sts.";
// The longest host nginx's map admits: a DNS name's 253 characters.
constexpr size_t kMaxHost = 253;
constexpr std::string_view kWww = "www";
constexpr std::string_view kCerts = "certs";
constexpr std::string_view kPolicyFile = "mta-sts.txt";
constexpr std::string_view kCertificateSuffix = ".pem";
// Temporary files are ".<name>.tmp.XXXXXX" beside the file they replace: hidden from the hosts
// nginx's map admits (which start with "mta-sts."), and recognised after a crash.
constexpr std::string_view kTempMarker = ".tmp.";

// The parts joined with "/".
std::string JoinPath(std::initializer_list<std::string_view> parts) {
  std::string path;
  for (std::string_view part : parts) {
    if (!path.empty()) path += '/';
    path += part;
  }
  return path;
}

Status ErrorCodeStatus(std::string_view what, const std::string& path,
                       const std::error_code& error) {
  std::string message(what);
  message.append(" ").append(path).append(": ").append(error.message());
  return UnavailableError(std::move(message));
}

Status Errno(std::string_view what, const std::string& path) {
  return ErrorCodeStatus(what, path, std::error_code(errno, std::generic_category()));
}

bool IsTempName(std::string_view name) {
  return name.starts_with('.') && name.find(kTempMarker) != std::string_view::npos;
}

// Closes a file descriptor when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Status SyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.fd < 0 || ::fsync(fd.fd) != 0) return Errno("cannot sync the directory", dir);
  return OkStatus();
}

// The names in `dir`; an absent directory has none.
StatusOr<std::vector<std::string>> Entries(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code error;
  std::filesystem::directory_iterator it(dir, error);
  for (; !error && it != std::filesystem::directory_iterator(); it.increment(error)) {
    names.push_back(it->path().filename().string());
  }
  if (error && error != std::errc::no_such_file_or_directory) {
    return ErrorCodeStatus("cannot list", dir, error);
  }
  return names;
}

bool IsDirectory(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// True when `path` is a regular file holding exactly `bytes`.
bool Holds(const std::string& path, std::string_view bytes) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  struct stat st {};
  if (fd.fd < 0 || ::fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      static_cast<size_t>(st.st_size) != bytes.size()) {
    return false;
  }
  std::string held(bytes.size(), '\0');
  size_t done = 0;
  while (done < held.size()) {
    ssize_t n = ::read(fd.fd, held.data() + done, held.size() - done);
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return held == bytes;
}

// Creates `path` with `mode` (whatever the umask) and `group` (-1: the default) when absent.
Status MakeDirectory(const std::string& path, mode_t mode, gid_t group) {
  if (::mkdir(path.c_str(), mode) != 0) {
    if (errno == EEXIST && IsDirectory(path)) return OkStatus();
    return Errno("cannot create the directory", path);
  }
  if ((group != static_cast<gid_t>(-1) && ::chown(path.c_str(), -1, group) != 0) ||
      ::chmod(path.c_str(), mode) != 0) {
    return Errno("cannot set the owner and mode of", path);
  }
  return OkStatus();
}

// Removes the temporary files a crash left in `dir`.
Status RemoveTempFiles(const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, Entries(dir));
  for (const std::string& name : names) {
    std::string path = JoinPath({dir, name});
    if (IsTempName(name) && ::unlink(path.c_str()) != 0 && errno != ENOENT) {
      return Errno("cannot remove the leftover temporary file", path);
    }
  }
  return OkStatus();
}

}  // namespace

Status CheckPolicyHost(std::string_view host) {
  bool admitted =
      host.size() > kHostPrefix.size() && host.size() <= kMaxHost &&
      host.starts_with(kHostPrefix) &&
      host.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string_view::npos;
  if (admitted) {
    char first = host[kHostPrefix.size()];
    admitted = first != '.' && first != '-' && host.find("..") == std::string_view::npos;
  }
  if (admitted) return OkStatus();
  // A hostile annotation can be long: what is shown of it stays readable.
  std::string shown = host.size() <= kMaxHost + 3 ? Printable(host)
                                                  : Printable(host.substr(0, 64)) + "... (" +
                                                        std::to_string(host.size()) + " bytes)";
  return InvalidArgumentError(
      "\"" + shown +
      "\" is not a policy host the server can serve: it must be "
      "\"mta-sts.\" followed by a lower-case domain name "
      "([a-z0-9.-], starting with a letter or digit, no \"..\") of at most " +
      std::to_string(kMaxHost) + " characters in all");
}

StatusOr<ServeDir> ServeDir::Open(const std::string& root, ServeDirOptions options) {
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0) return Errno("cannot open the serve directory", root);
  if (!S_ISDIR(st.st_mode)) {
    return FailedPreconditionError("the serve directory " + root + " is not a directory");
  }
  ServeDir dir(root, st.st_gid, std::move(options));
  RETURN_IF_ERROR(MakeDirectory(JoinPath({root, kWww}), 0755, -1));
  RETURN_IF_ERROR(MakeDirectory(JoinPath({root, kCerts}), 0750, st.st_gid));
  RETURN_IF_ERROR(RemoveTempFiles(JoinPath({root, kCerts})));
  ASSIGN_OR_RETURN(std::vector<std::string> hosts, dir.Hosts(ServedFile::kPolicy));
  for (const std::string& host : hosts) {
    RETURN_IF_ERROR(RemoveTempFiles(JoinPath({root, kWww, host})));
  }
  return dir;
}

std::string ServeDir::PathOf(ServedFile file, std::string_view host) const {
  if (file == ServedFile::kPolicy) {
    return JoinPath({root_, kWww, host, kPolicyFile});
  }
  return JoinPath({root_, kCerts, std::string(host).append(kCertificateSuffix)});
}

StatusOr<bool> ServeDir::WritePolicy(std::string_view host, std::string_view policy) const {
  RETURN_IF_ERROR(CheckPolicyHost(host));
  std::string dir = JoinPath({root_, kWww, host});
  RETURN_IF_ERROR(MakeDirectory(dir, 0755, -1));
  return Replace(dir, std::string(kPolicyFile), policy, 0644);
}

StatusOr<bool> ServeDir::WriteCertificate(std::string_view host, std::string_view chain_pem,
                                          std::string_view key_pem) const {
  RETURN_IF_ERROR(CheckPolicyHost(host));
  ASSIGN_OR_RETURN(std::string pem, CombineTlsPair(chain_pem, key_pem, options_.clock->Now()));
  return Replace(JoinPath({root_, kCerts}), std::string(host).append(kCertificateSuffix), pem,
                 0640);
}

StatusOr<bool> ServeDir::Replace(const std::string& dir, const std::string& name,
                                 std::string_view bytes, mode_t mode) const {
  const std::string path = JoinPath({dir, name});
  if (Holds(path, bytes)) return false;
  std::string temp = JoinPath({dir, "." + name}).append(kTempMarker).append("XXXXXX");
  Fd fd(::mkstemp(temp.data()));
  if (fd.fd < 0) return Errno("cannot create a temporary file in", dir);
  auto fail = [&](std::string_view what) {
    Status status = Errno(what, temp);
    ::unlink(temp.c_str());
    return status;
  };
  for (size_t done = 0; done < bytes.size();) {
    ssize_t n = ::write(fd.fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("cannot write");
    done += static_cast<size_t>(n);
  }
  // The key is for nginx's workers alone: they read it through the serve directory's group.
  bool group_only = (mode & S_IROTH) == 0;
  if (group_only && ::fchown(fd.fd, -1, group_) != 0) {
    return fail(std::string("cannot give the serve directory's group ")
                    .append(std::to_string(group_))
                    .append(" to"));
  }
  if (::fchmod(fd.fd, mode) != 0) return fail("cannot set the mode of");
  if (::fsync(fd.fd) != 0) return fail("cannot sync");
  if (options_.before_rename) options_.before_rename(temp);
  if (::rename(temp.c_str(), path.c_str()) != 0) return fail("cannot rename into place");
  RETURN_IF_ERROR(SyncDirectory(dir));
  return true;
}

StatusOr<bool> ServeDir::Remove(ServedFile file, std::string_view host) const {
  RETURN_IF_ERROR(CheckPolicyHost(host));
  const std::string path = PathOf(file, host);
  bool removed = ::unlink(path.c_str()) == 0;
  if (!removed && errno != ENOENT) return Errno("cannot remove", path);
  std::string parent = path.substr(0, path.rfind('/'));
  if (file == ServedFile::kPolicy) {
    // The host's folder goes too, unless something that is not ours is left in it.
    if (::rmdir(parent.c_str()) == 0) {
      removed = true;
      parent = JoinPath({root_, kWww});
    } else if (errno != ENOENT && errno != ENOTEMPTY && errno != EEXIST) {
      return Errno("cannot remove the directory", parent);
    }
  }
  if (removed) RETURN_IF_ERROR(SyncDirectory(parent));
  return removed;
}

StatusOr<std::vector<std::string>> ServeDir::Hosts(ServedFile file) const {
  const bool policy = file == ServedFile::kPolicy;
  const std::string dir = JoinPath({root_, policy ? kWww : kCerts});
  ASSIGN_OR_RETURN(std::vector<std::string> names, Entries(dir));
  std::vector<std::string> hosts;
  for (std::string& name : names) {
    if (!policy) {
      if (!name.ends_with(kCertificateSuffix)) continue;
      name.resize(name.size() - kCertificateSuffix.size());
    }
    if (!CheckPolicyHost(name).ok()) continue;
    if (policy && !IsDirectory(JoinPath({dir, name}))) continue;
    hosts.push_back(std::move(name));
  }
  std::sort(hosts.begin(), hosts.end());
  return hosts;
}

}  // namespace mtasts::controller
