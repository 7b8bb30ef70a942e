// `mtasts check`: validates live MTA-STS and TLS-RPT of mail domains as a strict sender would.
// Exit status 0 (no error findings), 1 (an error finding), 2 (usage or internal error).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mtasts::cli {

// `args` are the arguments after "check".
int RunCheckCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace mtasts::cli
