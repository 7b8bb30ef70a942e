#include "cli/check_command.h"
#include "cli/command.h"
#include "cli/lint_command.h"
#include "cli/render_command.h"
#include "cli/report_command.h"

namespace mtasts::cli {
namespace {

// To add a command: write <name>_command.{h,cc} with a CommandFn and list it here.
const Command kCommands[] = {
    {"render", "show the policy file and DNS records an MtaStsPolicy publishes", RunRenderCommand},
    {"lint", "check an MtaStsPolicy or a policy file offline, every problem with its line",
     RunLintCommand},
    {"check", "validate domains' live MTA-STS and TLS-RPT as a strict sender does",
     RunCheckCommand},
    {"report", "sum SMTP TLS reports saved from mail (JSON, gzip or the message) per domain",
     RunReportCommand},
};

}  // namespace

std::span<const Command> Commands() { return kCommands; }

}  // namespace mtasts::cli
