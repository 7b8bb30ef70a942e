// `mtasts render FILE`: what an MtaStsPolicy publishes (policy file, _mta-sts TXT, _smtp._tls
// TXT), computed offline exactly as the operator computes it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace mtasts::cli {

int RunRenderCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace mtasts::cli
