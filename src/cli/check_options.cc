#include "cli/check_options.h"

#include <charconv>
#include <string_view>

#include "base/args.h"
#include "policy/mx_pattern.h"

namespace mtasts::cli {

const char kCheckUsage[] = R"(Usage: mtasts check [options] DOMAIN...

Checks each mail domain's live MTA-STS the way a strict sending MTA does (RFC 8461), and its
TLS reporting record (RFC 8460): the _mta-sts and _smtp._tls TXT records, the policy at
https://mta-sts.DOMAIN/.well-known/mta-sts.txt, whether every MX host is covered by an mx
pattern, and STARTTLS, TLS version and certificate on every address of every MX host.
Each finding says what is wrong and how to fix it.

Options:
  --dns-server HOST[:PORT]  ask this DNS server (repeatable; default: /etc/resolv.conf).
                            Use the domain's authoritative servers to see changes at once.
  --ca-file FILE            trust only the CA certificates in FILE (PEM) instead of the
                            system trust store
  --https-port N            port of the policy host (default 443)
  --smtp-port N             port of the MX hosts (default 25)
  --timeout SECONDS         limit for each connection step and for each policy fetch
                            (default 30)
  --deadline SECONDS        limit for the whole check of one domain, every lookup,
                            fetch and probe included (default 60). Of a domain's MX
                            hosts the first 16 by priority are probed, and of each
                            host's addresses the first 8; what a limit cuts off is
                            named in a check-incomplete finding.
  --concurrency N           domains checked at the same time (default 16). Whatever N, each
                            destination address gets one SMTP connection at a time, and an
                            MX host shared by several domains is probed once per run.
  --allow-private-addresses[=true|false]
                            probe MX and policy-host addresses in loopback, private,
                            link-local, CGNAT, multicast and other special-purpose ranges
                            without the mx-address-private / policy-address-private
                            warning (they are probed either way; the operator refuses them
                            unless it is given the same flag)
  --json                    print one JSON object per domain (an array for several)
  -h, --help                print this help

Output: per domain, the verdict ("ready for mode: enforce" or not), then DNS, the policy
and each MX host with [pass], [warn] or [FAIL], and each finding under what it is about:
its code, what is wrong and how to fix it. --json gives the same as data.

Finding codes (RFC 8460 result types where one fits):
  errors (each blocks mode: enforce)
    check-incomplete         the deadline or a limit stopped the check; names what was
                             not checked
    dns-temporary-failure    a lookup failed (SERVFAIL, timeout): nothing can be concluded
    sts-txt-missing          no v=STSv1 record at _mta-sts.DOMAIN
    sts-txt-multiple         several v=STSv1 records (a warning for a v=STSv1 lookalike)
    sts-txt-invalid          the record does not parse (a warning when only lenient)
    sts-policy-fetch-error   no address, no HTTPS, not 200, a redirect, larger than 64 KiB
    sts-webpki-invalid       the policy host's certificate is untrusted, expired or misnamed
    sts-policy-invalid       not text/plain, or the body is invalid (a warning when senders
                             only disagree about it, e.g. a duplicate field)
    validation-failure       an MX host no mx pattern covers, or a failed SMTP/TLS session
                             (a timeout, or a server that answers commands sent in
                             plaintext with STARTTLS inside TLS: a STARTTLS injection)
    mx-unreachable           an MX host without address, or no SMTP service on it
    starttls-not-supported   the MX does not offer STARTTLS
    tls-version-too-old      the MX speaks nothing newer than TLS 1.1
    certificate-expired      outside its validity period
    certificate-not-trusted  does not chain to a trusted root
    certificate-host-mismatch  no SAN DNS name matches the MX host (no CN fallback)
    certificate-expiring     an MX certificate valid for less than 14 more days
  warnings
    mx-address-private       an MX address in a loopback, private, link-local, CGNAT,
                             multicast or other special-purpose range: public senders
                             cannot reach it (an error for the operator, which does not
                             probe it; silenced by --allow-private-addresses)
    policy-address-private   the same for the address of mta-sts.DOMAIN
    certificate-expiring     a certificate valid for less than 30 more days
    max-age-short            max_age under one day
    mx-pattern-unused        an mx pattern that matches no MX host
    tlsrpt-txt-missing, tlsrpt-txt-invalid   no usable _smtp._tls record: no reports
    mx-missing               no MX records: the domain itself is checked as its mail host
  info
    mx-null                  a null MX (RFC 7505): the domain accepts no mail

Exit status: 0 when no finding is an error, 1 when one is (the domain is not ready for
mode: enforce, or a sender would fail), 2 for a usage or internal error.

Examples:
  mtasts check example.com
  mtasts check --json --dns-server 192.0.2.53 example.com example.net
)";

namespace {

Status Usage(const std::string& what) {
  return InvalidArgumentError(what + " (see \"mtasts check --help\")");
}

StatusOr<int> ParseNumber(std::string_view flag, std::string_view text, int min, int max) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Usage(std::string(flag) + " wants a whole number from " + std::to_string(min) + " to " +
                 std::to_string(max) + ", not \"" + std::string(text) + "\"");
  }
  return value;
}

Status AddDomain(std::string_view arg, CheckCommandOptions& options) {
  std::string domain(arg);
  if (!domain.empty() && domain.back() == '.') domain.pop_back();
  if (domain.empty() || domain.starts_with("*") || !policy::ValidateMxPattern(domain).ok()) {
    return Usage("\"" + std::string(arg) +
                 "\" is not a domain name; give the mail domain itself, e.g. example.com");
  }
  options.domains.push_back(domain);
  return OkStatus();
}

constexpr OptionSpec kOptions[] = {
    {"--dns-server", true}, {"--ca-file", true}, {"--https-port", true},
    {"--smtp-port", true},  {"--timeout", true}, {"--concurrency", true},
    {"--deadline", true},   {"--json", false},   {"--allow-private-addresses", false, true},
};

// "--allow-private-addresses", "--allow-private-addresses=true" or "...=false".
StatusOr<bool> ParseSwitch(std::string_view flag, const std::string& value) {
  if (value.empty() || value == "true") return true;
  if (value == "false") return false;
  return Usage(std::string(flag) + " is given bare or as " + std::string(flag) +
               "=true|false, not \"" + value + "\"");
}

}  // namespace

StatusOr<CheckCommandOptions> ParseCheckOptions(const std::vector<std::string>& args) {
  ASSIGN_OR_RETURN(const ParsedArgs parsed, ParseArgs(args, kOptions));
  CheckCommandOptions options;
  options.help = parsed.help;
  options.json = parsed.Has("--json");
  options.ca_file = parsed.Value("--ca-file");
  if (parsed.Has("--allow-private-addresses")) {
    ASSIGN_OR_RETURN(
        options.allow_private_addresses,
        ParseSwitch("--allow-private-addresses", parsed.Value("--allow-private-addresses")));
  }
  for (const std::string& server : parsed.Values("--dns-server")) {
    if (server.empty()) return Usage("--dns-server needs HOST or HOST:PORT");
    options.dns_servers.push_back(server);
  }
  const struct {
    std::string_view flag;
    int* value;
    int max;
  } numbers[] = {{"--https-port", &options.https_port, 65535},
                 {"--smtp-port", &options.smtp_port, 65535},
                 {"--timeout", &options.timeout_seconds, 600},
                 {"--deadline", &options.deadline_seconds, 3600},
                 {"--concurrency", &options.concurrency, 1024}};
  for (const auto& n : numbers) {
    if (!parsed.Has(n.flag)) continue;
    ASSIGN_OR_RETURN(*n.value, ParseNumber(n.flag, parsed.Value(n.flag), 1, n.max));
  }
  for (const std::string& domain : parsed.positional) RETURN_IF_ERROR(AddDomain(domain, options));
  if (!options.help && options.domains.empty()) {
    return Usage("no domain given; name at least one mail domain, e.g. mtasts check example.com");
  }
  return options;
}

}  // namespace mtasts::cli
