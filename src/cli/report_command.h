// `mtasts report FILE...`: reads SMTP TLS reports as they are saved from mail (JSON, gzip, or
// the whole message) and sums them per policy domain; with --post, forwards each to an intake.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mtasts::cli {

int RunReportCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace mtasts::cli
