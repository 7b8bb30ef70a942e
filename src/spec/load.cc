#include "spec/load.h"

#include <string>
#include <utility>

#include "policy/mx_pattern.h"
#include "policy/syntax.h"
#include "spec/duration.h"
#include "spec/percent.h"
#include "spec/schema.h"
#include "spec/schema_check.h"
#include "spec/yaml_document.h"

namespace mtasts::spec {
namespace {

// Reads a schema-checked document by field path, falling back on the schema's defaults.
class Fields {
 public:
  explicit Fields(const YamlNode& root) : root_(root) {}

  // The node at `path` ("spec.rollout.testingPeriod"), or nullptr when absent or null.
  const YamlNode* Node(std::string_view path) const {
    const YamlNode* node = &root_;
    while (node != nullptr && !path.empty()) {
      const std::size_t dot = path.find('.');
      node = node->Find(path.substr(0, dot));
      path = dot == std::string_view::npos ? "" : path.substr(dot + 1);
    }
    return node != nullptr && node->kind != YamlNode::Kind::kNull ? node : nullptr;
  }
  bool Has(std::string_view path) const { return Node(path) != nullptr; }

  std::string String(std::string_view path) const {
    const YamlNode* node = Node(path);
    return node ? node->scalar : std::string(FindRule(path)->default_value);
  }
  std::int64_t Integer(std::string_view path) const { return std::stoll(String(path)); }
  bool Boolean(std::string_view path) const {
    const std::string text = String(path);
    return text == "true" || text == "True" || text == "TRUE";
  }
  std::chrono::seconds Duration(std::string_view path) const {
    return ParseDuration(String(path)).value_or(std::chrono::seconds(0));
  }
  std::vector<std::string> Strings(std::string_view path) const {
    std::vector<std::string> out;
    if (const YamlNode* list = Node(path)) {
      for (const YamlNode& item : list->items) out.push_back(item.scalar);
    }
    return out;
  }

 private:
  const YamlNode& root_;
};

MtaStsPolicySpec BuildSpec(const Fields& f) {
  MtaStsPolicySpec spec;
  spec.domain = f.String("spec.domain");
  spec.mode = policy::ModeFromName(f.String("spec.mode")).value_or(policy::Mode::kTesting);
  spec.mx = f.Strings("spec.mx");
  spec.max_age = f.Integer("spec.maxAge");
  spec.rollout.testing_period = f.Duration("spec.rollout.testingPeriod");
  spec.rollout.testing_max_age = f.Integer("spec.rollout.testingMaxAge");
  spec.rollout.auto_promote = f.Boolean("spec.rollout.autoPromote");
  spec.rollout.on_mx_drift = f.String("spec.rollout.onMxDrift") == "Alert" ? MxDriftAction::kAlert
                                                                           : MxDriftAction::kDemote;
  spec.rollout.min_cert_validity = f.Duration("spec.rollout.minCertValidity");
  spec.rollout.max_failure_rate = ParsePercent(f.String("spec.rollout.maxFailureRate")).value_or(0);
  spec.rollout.min_reported_sessions = f.Integer("spec.rollout.minReportedSessions");
  if (f.Has("spec.tlsRpt")) {
    spec.tls_rpt = TlsRpt{f.Strings("spec.tlsRpt.rua"), f.Boolean("spec.tlsRpt.ingest")};
  }
  if (f.Has("spec.certificate")) {
    spec.certificate_issuer = IssuerRef{f.String("spec.certificate.issuerRef.name"),
                                        f.String("spec.certificate.issuerRef.kind"),
                                        f.String("spec.certificate.issuerRef.group")};
  }
  spec.dns = {f.String("spec.dns.provider"), f.Integer("spec.dns.ttl")};
  spec.removal = f.String("spec.removal") == "Immediate" ? RemovalStrategy::kImmediate
                                                         : RemovalStrategy::kGraceful;
  return spec;
}

void CheckTypeMeta(const YamlNode& root, std::vector<Diagnostic>& out) {
  for (const auto& [field, want] : {std::pair{"apiVersion", kApiVersion}, {"kind", kKind}}) {
    const YamlNode* node = root.Find(field);
    if (node == nullptr || node->kind == YamlNode::Kind::kNull) {
      out.push_back(
          {Severity::kError, field, root.line, root.column,
           "required field is missing; write " + std::string(field) + ": " + std::string(want)});
    } else if (node->kind != YamlNode::Kind::kScalar || node->scalar != want) {
      out.push_back({Severity::kError, field, node->line, node->column,
                     "must be " + std::string(want) + ", got " +
                         policy::Quote(node->kind == YamlNode::Kind::kScalar ? node->scalar
                                                                             : "a collection")});
    }
  }
}

// metadata is not checked against the schema (it belongs to Kubernetes): read it defensively.
std::string MetadataString(const Fields& f, std::string_view path) {
  const YamlNode* node = f.Node(path);
  return node != nullptr && node->kind == YamlNode::Kind::kScalar ? node->scalar : "";
}

// Legal but risky choices: reported as warnings, never blocking.
void AddWarnings(const Fields& f, const MtaStsPolicySpec& spec, std::vector<Diagnostic>& out) {
  const auto warn = [&](std::string_view path, const YamlNode* at, std::string message) {
    out.push_back({Severity::kWarning, std::string(path), at ? at->line : 0, at ? at->column : 0,
                   std::move(message)});
  };
  if (spec.max_age < policy::kShortMaxAge) {
    warn("spec.maxAge", f.Node("spec.maxAge"),
         std::to_string(spec.max_age) + " is under one day: senders keep the enforce policy " +
             "only that long; RFC 8461 §3.2 suggests weeks, e.g. 1209600 (14 days)");
  }
  const YamlNode* mx = f.Node("spec.mx");
  for (std::size_t i = 0; i < spec.mx.size(); ++i) {
    const std::string path = "spec.mx[" + std::to_string(i) + "]";
    const YamlNode* at = mx ? &mx->items[i] : nullptr;
    if (policy::LooksLikeIpAddress(spec.mx[i])) {
      warn(path, at, "\"" + spec.mx[i] + "\" is an IP address; MX patterns match host names");
    }
  }
  if (!spec.tls_rpt) {
    warn("spec.tlsRpt", nullptr,
         "not set: senders will not report TLS failures to you; add " +
             std::string("tlsRpt: {rua: [\"mailto:tlsrpt@") + spec.domain + "\"]}");
  }
}

}  // namespace

LoadResult LoadMtaStsPolicy(std::string_view yaml) {
  LoadResult result;
  std::vector<Diagnostic>& out = result.diagnostics;
  TextPosition where;
  StatusOr<YamlNode> root = ParseYamlDocument(yaml, &where);
  if (!root.ok()) {
    out.push_back({Severity::kError, "", where.line, where.column, root.status().message()});
    return result;
  }
  if (root->kind != YamlNode::Kind::kMapping) {
    out.push_back(
        {Severity::kError, "", root->line, root->column,
         "expected an MtaStsPolicy (a mapping with apiVersion: " + std::string(kApiVersion) +
             ", kind: " + std::string(kKind) + " and spec), got " +
             (root->kind == YamlNode::Kind::kNull ? "an empty document"
                                                  : "a " + std::string(KindName(*root)))});
    return result;
  }
  CheckTypeMeta(*root, out);
  CheckAgainstSchema(*root, out);
  if (HasErrors(out)) return result;

  const Fields fields(*root);
  MtaStsPolicy policy;
  policy.name = MetadataString(fields, "metadata.name");
  policy.namespace_ = MetadataString(fields, "metadata.namespace");
  policy.spec = BuildSpec(fields);
  AddWarnings(fields, policy.spec, out);
  result.policy = std::move(policy);
  return result;
}

StatusOr<MtaStsPolicy> ParseMtaStsPolicy(std::string_view yaml) {
  LoadResult result = LoadMtaStsPolicy(yaml);
  if (result.policy) return *std::move(result.policy);
  for (const Diagnostic& d : result.diagnostics) {
    if (d.severity == Severity::kError) return InvalidArgumentError(FormatDiagnostic(d));
  }
  return InternalError("MtaStsPolicy not loaded and no error reported");
}

}  // namespace mtasts::spec
