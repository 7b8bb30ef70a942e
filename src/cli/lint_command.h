// `mtasts lint FILE...`: checks MtaStsPolicy resources and MTA-STS policy files offline and
// lists every problem with its line.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mtasts::cli {

int RunLintCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace mtasts::cli
