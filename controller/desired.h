// What the operator wants to exist for one MtaStsPolicy: the objects it server-side applies, built
// from the spec alone. Each is the partial object of the fields the operator owns, so applying it
// never takes a field another manager set. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "k8s/client.h"
#include "spec/mta_sts_policy.h"

namespace mtasts::controller {

// The policy the objects belong to (from its metadata): owner references, names, annotations.
struct Owner {
  std::string namespace_;
  std::string name;
  std::string uid;

  static Owner Of(const k8s::Object& policy);
  std::string Key() const { return namespace_ + "/" + name; }  // "namespace/name"
};

// How a TXT record is written as a DNSEndpoint target. external-dns passes the target to the
// provider, and providers disagree (external-dns issue #3979): rfc2136 writes it into zone-file
// text, where an unquoted ';' starts a comment and drops the rest of the record, so it needs the
// quotes in the target; providers that quote TXT values themselves need it bare.
enum class TxtQuoting { kQuoted, kBare };

// The settings of the operator that shape the objects, from its flags.
struct DesiredSettings {
  std::optional<spec::IssuerRef> default_issuer;  // --default-issuer, when spec has none
  std::vector<std::string> policy_host_targets;   // --policy-host-target: A/AAAA of mta-sts.<d>
  TxtQuoting txt_quoting = TxtQuoting::kQuoted;
  // The path the operator receives TLS reports at on every policy host (--report-path), when
  // it receives them (--report-bind-address); empty: it does not.
  std::string report_path;
};

// `record` ("v=STSv1; id=X") as a DNSEndpoint target.
std::string TxtTarget(const std::string& record, TxtQuoting quoting);
// The record a target stands for: the inverse of TxtTarget (quotes removed when present).
std::string TxtRecordOf(const std::string& target);

// The ConfigMap holding the policy file bytes, for the syncer of every replica.
k8s::Object DesiredConfigMap(const Owner& owner, const spec::MtaStsPolicySpec& spec,
                             const std::string& policy_bytes);

// The report URIs of the _smtp._tls record: spec.tlsRpt.rua and, with tlsRpt.ingest on an
// operator that receives reports, its own intake https://mta-sts.<domain><report path> (the
// policy host already has a certificate senders trust), once.
std::vector<std::string> PublishedRua(const spec::MtaStsPolicySpec& spec,
                                      const DesiredSettings& settings);

// The ConfigMap of the domain's TLS report window (tlsrpt::ReportWindow::ToJson), which every
// replica's intake adds to (report_store.h).
k8s::Object DesiredReportsConfigMap(const Owner& owner, std::string_view domain,
                                    const nlohmann::json& window);

// The issuer the Certificate asks: spec.certificate.issuerRef, else the default; none: no
// Certificate is requested (the user provides the Secret some other way).
std::optional<spec::IssuerRef> IssuerFor(const spec::MtaStsPolicySpec& spec,
                                         const DesiredSettings& settings);

// The cert-manager Certificate for mta-sts.<domain>; its secretTemplate labels the Secret so the
// syncer finds it by our labels alone.
k8s::Object DesiredCertificate(const Owner& owner, const spec::MtaStsPolicySpec& spec,
                               const spec::IssuerRef& issuer);

// The external-dns DNSEndpoint: `_mta-sts.<domain>` TXT carrying `sts_id` (no such record while
// nothing was ever announced), `_smtp._tls.<domain>` TXT when tlsRpt is set, and A/AAAA records of
// mta-sts.<domain> for the policy host targets. InvalidArgument if the TLS-RPT record cannot be
// rendered (a report URI the CRD let through but RFC 8460 does not allow).
StatusOr<k8s::Object> DesiredDnsEndpoint(const Owner& owner, const spec::MtaStsPolicySpec& spec,
                                         const std::optional<std::string>& sts_id,
                                         const DesiredSettings& settings);

// The id in the `_mta-sts` TXT target of an observed DNSEndpoint, if it has one that parses.
std::optional<std::string> AnnouncedId(const k8s::Object& dns_endpoint, std::string_view domain);

}  // namespace mtasts::controller
