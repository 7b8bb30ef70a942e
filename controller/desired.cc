#include "controller/desired.h"

#include <algorithm>

#include "controller/names.h"
#include "controller/resources.h"
#include "policy/sts_record.h"
#include "policy/tlsrpt_record.h"

namespace mtasts::controller {
namespace {

using k8s::Object;

// Labels and annotations shared by every object of a policy; `content` adds mtasts.io/content.
Object Metadata(const Owner& owner, const std::string& name, const std::string& host,
                std::string_view content = "") {
  Object labels = {{std::string(kManagedByLabel), std::string(kManagedByValue)}};
  if (!content.empty()) labels[std::string(kContentLabel)] = std::string(content);
  return {
      {"name", name},
      {"namespace", owner.namespace_},
      {"labels", labels},
      {"annotations",
       {{std::string(kPolicyHostAnnotation), host},
        {std::string(kPolicyKeyAnnotation), owner.Key()}}},
      // Owned: a real cluster's garbage collector removes them with the policy.
      {"ownerReferences", Object::array({{{"apiVersion", MtaStsPolicies().ApiVersion()},
                                          {"kind", MtaStsPolicies().kind},
                                          {"name", owner.name},
                                          {"uid", owner.uid},
                                          {"controller", true},
                                          {"blockOwnerDeletion", true}}})},
  };
}

Object TxtEndpoint(const std::string& name, int64_t ttl, const std::string& record,
                   TxtQuoting quoting) {
  return {{"dnsName", name},
          {"recordType", "TXT"},
          {"recordTTL", ttl},
          {"targets", Object::array({TxtTarget(record, quoting)})}};
}

}  // namespace

Owner Owner::Of(const Object& policy) {
  const Object& metadata = policy.at("metadata");
  return {metadata.value("namespace", ""), metadata.value("name", ""), metadata.value("uid", "")};
}

std::string TxtTarget(const std::string& record, TxtQuoting quoting) {
  // The records the operator writes hold no '"' or '\' (policy ids are alphanumeric, report URIs
  // cannot hold either), so quoting needs no escapes.
  return quoting == TxtQuoting::kQuoted ? "\"" + record + "\"" : record;
}

std::string TxtRecordOf(const std::string& target) {
  if (target.size() >= 2 && target.front() == '"' && target.back() == '"') {
    return target.substr(1, target.size() - 2);
  }
  return target;
}

Object DesiredConfigMap(const Owner& owner, const spec::MtaStsPolicySpec& spec,
                        const std::string& policy_bytes) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata",
           Metadata(owner, ConfigMapName(owner.name), PolicyHost(spec.domain), kContentPolicy)},
          {"data", {{std::string(kPolicyFileKey), policy_bytes}}}};
}

Object DesiredReportsConfigMap(const Owner& owner, std::string_view domain,
                               const nlohmann::json& window) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata",
           Metadata(owner, ReportsConfigMapName(owner.name), PolicyHost(domain), kContentReports)},
          {"data",
           {{std::string(kReportWindowKey),
             window.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)}}}};
}

std::optional<spec::IssuerRef> IssuerFor(const spec::MtaStsPolicySpec& spec,
                                         const DesiredSettings& settings) {
  return spec.certificate_issuer ? spec.certificate_issuer : settings.default_issuer;
}

Object DesiredCertificate(const Owner& owner, const spec::MtaStsPolicySpec& spec,
                          const spec::IssuerRef& issuer) {
  const std::string host = PolicyHost(spec.domain);
  const Object secret_metadata = Metadata(owner, SecretName(owner.name), host, kContentCertificate);
  return {
      {"apiVersion", Certificates().ApiVersion()},
      {"kind", Certificates().kind},
      {"metadata", Metadata(owner, CertificateName(owner.name), host)},
      {"spec",
       {{"secretName", SecretName(owner.name)},
        {"dnsNames", Object::array({host})},
        {"issuerRef",
         {{"name", issuer.name},
          {"kind", issuer.kind.empty() ? "Issuer" : issuer.kind},
          {"group", issuer.group.empty() ? "cert-manager.io" : issuer.group}}},
        // ECDSA keys are small and fast to sign, and every sender supports them.
        {"privateKey", {{"algorithm", "ECDSA"}, {"size", 256}, {"rotationPolicy", "Always"}}},
        {"secretTemplate",
         {{"labels", secret_metadata.at("labels")},
          {"annotations", secret_metadata.at("annotations")}}}}},
  };
}

std::vector<std::string> PublishedRua(const spec::MtaStsPolicySpec& spec,
                                      const DesiredSettings& settings) {
  if (!spec.tls_rpt) return {};
  std::vector<std::string> rua = spec.tls_rpt->rua;
  if (spec.tls_rpt->ingest && !settings.report_path.empty()) {
    const std::string intake = "https://" + PolicyHost(spec.domain) + settings.report_path;
    if (std::ranges::find(rua, intake) == rua.end()) rua.push_back(intake);
  }
  return rua;
}

StatusOr<Object> DesiredDnsEndpoint(const Owner& owner, const spec::MtaStsPolicySpec& spec,
                                    const std::optional<std::string>& sts_id,
                                    const DesiredSettings& settings) {
  const std::string host = PolicyHost(spec.domain);
  const int64_t ttl = spec.dns.ttl;
  Object endpoints = Object::array();
  if (sts_id) {
    StatusOr<std::string> record = policy::RenderStsRecord(*sts_id);
    if (!record.ok()) return record.status();
    endpoints.push_back(TxtEndpoint("_mta-sts." + spec.domain, ttl, *record, settings.txt_quoting));
  }
  if (spec.tls_rpt) {
    StatusOr<std::string> record = policy::RenderTlsRptRecord(PublishedRua(spec, settings));
    if (!record.ok()) return record.status();
    endpoints.push_back(
        TxtEndpoint("_smtp._tls." + spec.domain, ttl, *record, settings.txt_quoting));
  }
  Object v4 = Object::array(), v6 = Object::array();
  for (const std::string& target : settings.policy_host_targets) {
    (target.find(':') == std::string::npos ? v4 : v6).push_back(target);
  }
  for (auto [type, targets] : {std::pair{"A", &v4}, std::pair{"AAAA", &v6}}) {
    if (targets->empty()) continue;
    endpoints.push_back(
        {{"dnsName", host}, {"recordType", type}, {"recordTTL", ttl}, {"targets", *targets}});
  }
  return Object{{"apiVersion", DnsEndpoints().ApiVersion()},
                {"kind", DnsEndpoints().kind},
                {"metadata", Metadata(owner, DnsEndpointName(owner.name), host)},
                {"spec", {{"endpoints", endpoints}}}};
}

std::optional<std::string> AnnouncedId(const Object& dns_endpoint, std::string_view domain) {
  const std::string name = "_mta-sts." + std::string(domain);
  const Object* endpoints = nullptr;
  if (auto spec = dns_endpoint.find("spec"); spec != dns_endpoint.end() && spec->is_object()) {
    if (auto e = spec->find("endpoints"); e != spec->end() && e->is_array()) endpoints = &*e;
  }
  if (endpoints == nullptr) return std::nullopt;
  for (const Object& endpoint : *endpoints) {
    if (!endpoint.is_object() || endpoint.value("dnsName", "") != name ||
        endpoint.value("recordType", "") != "TXT") {
      continue;
    }
    const auto targets = endpoint.find("targets");
    if (targets == endpoint.end() || !targets->is_array() || targets->size() != 1 ||
        !targets->front().is_string()) {
      return std::nullopt;
    }
    policy::Parsed<policy::StsRecord> parsed =
        policy::ParseStsRecord(TxtRecordOf(targets->front().get<std::string>()));
    if (parsed.ok()) return parsed.value->id;
  }
  return std::nullopt;
}

}  // namespace mtasts::controller
