// The command line of `mtasts check`, parsed into plain values; every mistake comes back as
// InvalidArgument saying what is wrong and how to write it. Pure; thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace mtasts::cli {

struct CheckCommandOptions {
  std::vector<std::string> domains;
  std::vector<std::string> dns_servers;  // "host[:port]", as c-ares takes them
  std::string ca_file;                   // empty: the system trust store
  int https_port = 443;
  int smtp_port = 25;
  int timeout_seconds = 30;
  int deadline_seconds = 60;  // for the whole check of one domain
  int concurrency = 16;
  bool json = false;
  bool allow_private_addresses = false;  // probe special-purpose addresses without a warning
  bool help = false;
};

StatusOr<CheckCommandOptions> ParseCheckOptions(const std::vector<std::string>& args);

extern const char kCheckUsage[];

}  // namespace mtasts::cli
