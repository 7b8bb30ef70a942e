// ServeDir: the files the policy server serves, laid out as
// charts/mta-sts-operator/files/nginx.conf reads them, under the directory that is also nginx's
// prefix:
//   www/<host>/mta-sts.txt   the policy file, mode 0644
//   certs/<host>.pem         the certificate chain, then its private key (tls_pair.h); mode 0640
//                            and the group of the serve directory, so that nginx's workers (in
//                            that group) can read the key and other users cannot
// ServeDir creates and owns www/ and certs/ only: nothing else in the directory (nginx.conf,
// listen.conf, logs/, tmp/, anything) is ever read, written or removed. Inside its two folders it
// touches only the names of hosts that nginx's map admits and its own temporary files.
//
// A write is a temporary file in the same folder, fsync, a rename over the old file, then fsync of
// the folder: nginx, which opens the file at every request or handshake, sees the old bytes or the
// new ones, never a mix, and a crash before the rename leaves the old file served (the temporary
// file it leaves is removed by the next Open). Bytes equal to what the file holds are not written
// again, so a resync that changes nothing touches nothing.
//
// Thread-safe: a ServeDir holds nothing but its paths. Calls may overlap; two writes of the same
// file at once leave one of them whole (the syncer makes the calls for one kind of file one at
// a time, so that its record of what is on disk stays true).
#pragma once

#include <sys/types.h>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/status.h"

namespace mtasts::controller {

// The two files a policy host has.
enum class ServedFile { kPolicy, kCertificate };

// OK when nginx's map admits `host` as a policy host ("mta-sts." then [a-z0-9][a-z0-9.-]{0,244})
// and it holds no "..": then it is one path component, and only the SNI equal to it selects its
// files. Otherwise kInvalidArgument naming the host (escaped) and the rule.
Status CheckPolicyHost(std::string_view host);

struct ServeDirOptions {
  // What "now" is when a certificate is judged expired (WriteCertificate).
  const Clock* clock = &RealClock::Get();
  // Called with the temporary file's path after it is written and synced, just before the rename.
  // Only tests set it, to stand for a crash at the worst moment.
  std::function<void(const std::string& temp_path)> before_rename;
};

class ServeDir {
 public:
  // Opens `root`, which must be an existing directory: creates www/ (0755) and certs/ (0750, the
  // group of `root`) when they are absent, and removes the temporary files a crash left there.
  static StatusOr<ServeDir> Open(const std::string& root, ServeDirOptions options = {});

  // Each of these returns true when it changed what is on disk, false when there was nothing to
  // do (the same bytes are there already, or the file is absent already).
  StatusOr<bool> WritePolicy(std::string_view host, std::string_view policy) const;
  // The pair is checked and combined by CombineTlsPair first (an expired one is refused too);
  // when it is refused (kInvalidArgument with the reason), the file that was there stays as it was.
  StatusOr<bool> WriteCertificate(std::string_view host, std::string_view chain_pem,
                                  std::string_view key_pem) const;
  // Removes the host's file; for a policy also its folder, once nothing else is in it.
  StatusOr<bool> Remove(ServedFile file, std::string_view host) const;

  // The hosts that have a file of this kind on disk (for a policy: a folder under www/), sorted.
  StatusOr<std::vector<std::string>> Hosts(ServedFile file) const;

  // root/www/<host>/mta-sts.txt or root/certs/<host>.pem.
  std::string PathOf(ServedFile file, std::string_view host) const;

 private:
  ServeDir(std::string root, gid_t group, ServeDirOptions options)
      : root_(std::move(root)), group_(group), options_(std::move(options)) {}

  // Writes `bytes` to dir/name unless it holds them already (see the header comment).
  StatusOr<bool> Replace(const std::string& dir, const std::string& name, std::string_view bytes,
                         mode_t mode) const;

  std::string root_;
  gid_t group_;  // of root_: given to what nginx's workers must read
  ServeDirOptions options_;
};

}  // namespace mtasts::controller
