// The names the operator gives what it creates, and the labels and annotations by which every part
// finds them again: the reconciler writes them, the syncer selects by them, the tests read them.
// Decided here once. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mtasts::controller {

// The server-side apply field manager of every write the operator makes.
inline constexpr std::string_view kFieldManager = "mta-sts-operator";

// On every object the operator creates (and on the certificate Secret, through the Certificate's
// secretTemplate): what selects them.
inline constexpr std::string_view kManagedByLabel = "app.kubernetes.io/managed-by";
inline constexpr std::string_view kManagedByValue = "mta-sts-operator";
// What the object carries for the syncer: kContentPolicy on the policy ConfigMap,
// kContentCertificate on the certificate Secret.
inline constexpr std::string_view kContentLabel = "mtasts.io/content";
inline constexpr std::string_view kContentPolicy = "policy";
inline constexpr std::string_view kContentCertificate = "certificate";
// On the ConfigMap of a domain's TLS report window, which every replica's intake adds to.
inline constexpr std::string_view kContentReports = "reports";
// The policy host (mta-sts.<domain>) the ConfigMap or Secret is served for.
inline constexpr std::string_view kPolicyHostAnnotation = "mtasts.io/policy-host";
// The MtaStsPolicy ("namespace/name") that the object belongs to; owner references say the same
// for the objects the operator writes, but a Secret is written by cert-manager.
inline constexpr std::string_view kPolicyKeyAnnotation = "mtasts.io/policy";
// On an MtaStsPolicy, written by a person: approves the one testing policy whose id is the value
// for enforce, when rollout.autoPromote is false.
inline constexpr std::string_view kPromoteAnnotation = "mtasts.io/promote";
// On every MtaStsPolicy the operator works on: a deleted policy stays until mode none was announced
// for the largest max_age ever announced and its records and objects are removed (or at once,
// with spec.removal Immediate).
inline constexpr std::string_view kRemovalFinalizer = "mtasts.io/removal";

// The ConfigMap key holding the policy file bytes.
inline constexpr std::string_view kPolicyFileKey = "mta-sts.txt";
// The reports ConfigMap key holding the window (tlsrpt::ReportWindow::ToJson).
inline constexpr std::string_view kReportWindowKey = "window.json";

// "app.kubernetes.io/managed-by=mta-sts-operator,mtasts.io/content=<content>".
std::string ContentSelector(std::string_view content);

// "mta-sts.<domain>".
std::string PolicyHost(std::string_view domain);

// The names of a policy's objects, in its namespace: "<policy>-<suffix>", shortened with a hash
// of the policy name when that would pass the 253-character limit of object names.
std::string ConfigMapName(std::string_view policy_name);         // <policy>-mta-sts-policy
std::string CertificateName(std::string_view policy_name);       // <policy>-mta-sts
std::string SecretName(std::string_view policy_name);            // <policy>-mta-sts-tls
std::string DnsEndpointName(std::string_view policy_name);       // <policy>-mta-sts
std::string ReportsConfigMapName(std::string_view policy_name);  // <policy>-mta-sts-reports

}  // namespace mtasts::controller
