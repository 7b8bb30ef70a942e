#include "cli/render_command.h"

#include <optional>

#include "base/args.h"
#include "base/printable.h"
#include "base/utc_time.h"
#include "cli/command.h"
#include "cli/document.h"
#include "cli/input.h"
#include "policy/policy_id.h"
#include "policy/sts_record.h"
#include "policy/tlsrpt_record.h"
#include "spec/load.h"
#include "spec/serve.h"

namespace mtasts::cli {
namespace {

constexpr char kHelp[] = R"(Usage: mtasts render [options] FILE

Shows what an MtaStsPolicy publishes for its domain, computed offline exactly as the
operator computes it:
  - the policy file served at https://mta-sts.<domain>/.well-known/mta-sts.txt,
  - the _mta-sts TXT record with the policy id,
  - the _smtp._tls TXT record (when spec.tlsRpt is set).
Nothing is contacted. Problems in FILE are listed on standard error, as `mtasts lint` does.

Arguments:
  FILE            an MtaStsPolicy YAML file, or - for standard input

Options:
  --mode MODE     the rollout stage to show: none, testing or enforce (default: spec.mode,
                  the target). testing and none use spec.rollout.testingMaxAge as max_age.
  --mx HOST       an MX host to list when spec.mx is empty, as the operator would take it
                  from DNS (repeat for several hosts)
  --at TIME       when the id is made, as YYYY-MM-DDTHH:MM:SSZ (default: now). The id is
                  that time followed by a digest of the policy bytes.
  --only PART     print one part alone, exactly as published: policy (the bytes, CRLF line
                  endings), sts or tlsrpt (the TXT record text)
  -h, --help      show this help

Exit status:
  0  rendered
  1  FILE has errors, or --only tlsrpt without spec.tlsRpt
  2  usage error, or FILE cannot be read

Examples:
  mtasts render examples/example-com.yaml
  mtasts render --mode testing examples/example-com.yaml
  mtasts render --only policy examples/example-com.yaml > mta-sts.txt
  kubectl get mtastspolicy example-com -o yaml | mtasts render -
)";

constexpr OptionSpec kOptions[] = {
    {"--mode", true}, {"--mx", true}, {"--at", true}, {"--only", true}};

// An RFC 3339 time with its offset ("2026-11-28T21:00:00Z"); nullopt for anything else.
std::optional<Clock::TimePoint> ParseUtcTime(const std::string& text) {
  std::optional<DateTime> parsed = ParseDateTime(text);
  if (!parsed || !parsed->had_offset) return std::nullopt;
  return parsed->utc;
}

struct Rendered {
  std::string domain;
  std::string policy;  // CRLF bytes
  std::string sts;
  std::optional<std::string> tlsrpt;
};

int PrintRendered(const Rendered& r, const std::string& only, std::ostream& out,
                  std::ostream& err) {
  if (only == "policy") {
    out << r.policy;
  } else if (only == "sts") {
    out << r.sts << "\n";
  } else if (only == "tlsrpt" && r.tlsrpt) {
    out << *r.tlsrpt << "\n";
  } else if (only == "tlsrpt") {
    err << "mtasts render: spec.tlsRpt is not set, so no _smtp._tls record is published\n";
    return kExitProblems;
  }
  if (!only.empty()) return kExitOk;

  std::string shown = r.policy;
  std::erase(shown, '\r');
  out << "# Policy file: https://mta-sts." << r.domain << "/.well-known/mta-sts.txt"
      << " (served with CRLF line endings)\n"
      << shown << "\n# TXT record: _mta-sts." << r.domain << "\n"
      << r.sts << "\n\n# TXT record: _smtp._tls." << r.domain << "\n"
      << (r.tlsrpt ? *r.tlsrpt : "# (none: spec.tlsRpt is not set)") << "\n";
  return kExitOk;
}

// Usage mistakes in the options, before any file is read.
Status CheckRenderUsage(const ParsedArgs& args) {
  if (args.positional.size() != 1) {
    return InvalidArgumentError("expected one FILE (or - for standard input); see --help");
  }
  if (args.Has("--mode") && !policy::ModeFromName(args.Value("--mode"))) {
    return InvalidArgumentError("--mode must be none, testing or enforce");
  }
  if (args.Has("--at") && !ParseUtcTime(args.Value("--at"))) {
    return InvalidArgumentError("--at must be a UTC time like 2026-01-31T12:00:00Z");
  }
  const std::string only = args.Value("--only");
  if (args.Has("--only") && only != "policy" && only != "sts" && only != "tlsrpt") {
    return InvalidArgumentError("--only must be policy, sts or tlsrpt");
  }
  return OkStatus();
}

int Fail(std::ostream& err, const Status& status, int exit_status) {
  err << "mtasts render: " << Printable(status.message()) << "\n";
  return exit_status;
}

}  // namespace

int RunRenderCommand(const std::vector<std::string>& argv, std::ostream& out, std::ostream& err) {
  auto args = ParseArgs(argv, kOptions);
  if (!args.ok()) return Fail(err, args.status(), kExitUsage);
  if (args->help) {
    out << kHelp;
    return kExitOk;
  }
  if (Status usage = CheckRenderUsage(*args); !usage.ok()) return Fail(err, usage, kExitUsage);

  auto input = ReadTextInput(args->positional[0]);
  if (!input.ok()) return Fail(err, input.status(), ExitStatusFor(input.status()));
  if (DetectDocumentKind(input->text) != DocumentKind::kResource) {
    return Fail(err,
                InvalidArgumentError(input->name + ": this is a policy file, not an " +
                                     "MtaStsPolicy; `mtasts lint` checks policy files"),
                kExitProblems);
  }
  spec::LoadResult loaded = spec::LoadMtaStsPolicy(input->text);
  PrintDiagnostics(input->name, loaded.diagnostics, err);
  if (!loaded.policy) return kExitProblems;
  const spec::MtaStsPolicySpec& spec = loaded.policy->spec;

  const auto mode = policy::ModeFromName(args->Value("--mode")).value_or(spec.mode);
  auto served = spec::PolicyToServe(spec, mode, args->Values("--mx"));
  if (!served.ok()) return Fail(err, served.status(), kExitProblems);
  auto bytes = policy::RenderPolicy(*served);
  if (!bytes.ok()) return Fail(err, bytes.status(), kExitProblems);
  const auto at =
      args->Has("--at") ? *ParseUtcTime(args->Value("--at")) : std::chrono::system_clock::now();
  Rendered rendered{spec.domain, *bytes, "", std::nullopt};
  auto sts = policy::RenderStsRecord(policy::MakePolicyId(*bytes, at));
  if (!sts.ok()) return Fail(err, sts.status(), kExitProblems);
  rendered.sts = *sts;
  if (spec.tls_rpt) {
    auto tlsrpt = policy::RenderTlsRptRecord(spec.tls_rpt->rua);
    if (!tlsrpt.ok()) return Fail(err, tlsrpt.status(), kExitProblems);
    rendered.tlsrpt = *tlsrpt;
  }
  return PrintRendered(rendered, args->Value("--only"), out, err);
}

}  // namespace mtasts::cli
