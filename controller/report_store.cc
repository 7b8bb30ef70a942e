#include "controller/report_store.h"

#include "base/log.h"
#include "base/strings.h"
#include "controller/names.h"

namespace mtasts::controller {
namespace {

// The domain of the policy host the ConfigMap's annotation names.
std::optional<std::string> DomainOf(const k8s::Object& config_map) {
  const std::string host = config_map.value("metadata", k8s::Object::object())
                               .value("annotations", k8s::Object::object())
                               .value(std::string(kPolicyHostAnnotation), "");
  const std::string prefix = PolicyHost("");
  if (!host.starts_with(prefix) || host.size() == prefix.size()) return std::nullopt;
  return CanonicalDomain(host.substr(prefix.size()));
}

}  // namespace

StatusOr<std::pair<std::string, tlsrpt::ReportWindow>> ReadReportsConfigMap(
    const k8s::Object& config_map, int window_days) {
  std::optional<std::string> domain = DomainOf(config_map);
  if (!domain) {
    return InvalidArgumentError("annotation " + std::string(kPolicyHostAnnotation) +
                                " does not name a policy host");
  }
  const std::string text =
      config_map.value("data", k8s::Object::object()).value(std::string(kReportWindowKey), "");
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return InvalidArgumentError("data." + std::string(kReportWindowKey) + " is not JSON");
  }
  StatusOr<tlsrpt::ReportWindow> window = tlsrpt::ReportWindow::FromJson(json, window_days);
  if (!window.ok()) return window.status();
  return std::pair{*std::move(domain), *std::move(window)};
}

ReportStore::ReportStore(k8s::Client& client, ReportIntake& intake,
                         std::function<std::optional<Owner>(std::string_view domain)> owner_of)
    : client_(client), intake_(intake), owner_of_(std::move(owner_of)) {}

k8s::InformerHandlers ReportStore::Handlers() {
  return {.on_add = [this](const k8s::Object& o) { Read(o); },
          .on_update = [this](const k8s::Object&, const k8s::Object& o) { Read(o); },
          .on_delete =
              [this](const k8s::Object& o) {
                if (const std::optional<std::string> domain = DomainOf(o)) intake_.Forget(*domain);
              }};
}

void ReportStore::Read(const k8s::Object& config_map) {
  const k8s::Object& metadata = config_map.value("metadata", k8s::Object::object());
  const std::string name = metadata.value("namespace", "") + "/" + metadata.value("name", "");
  const std::string version = metadata.value("resourceVersion", "");
  StatusOr<std::pair<std::string, tlsrpt::ReportWindow>> read =
      ReadReportsConfigMap(config_map, intake_.window_days());
  if (read.ok()) {
    intake_.Stored(read->first, read->second, version);
    return;
  }
  // An edited window that no longer reads: the next write replaces it with what is counted
  // from now on, rather than never writing again.
  LogWarning("TLS report window unreadable; starting it afresh",
             {{"configmap", name}, {"error", read.status().message()}});
  if (const std::optional<std::string> domain = DomainOf(config_map)) {
    intake_.Stored(*domain, tlsrpt::ReportWindow(intake_.window_days()), version);
  }
}

int ReportStore::Flush(std::stop_token stop) {
  int writes = 0;
  for (const ReportIntake::Unstored& unstored : intake_.ToStore()) {
    if (stop.stop_requested()) break;
    const std::optional<Owner> owner = owner_of_(unstored.domain);
    if (!owner) continue;  // no policy claims it now: nothing to store it under
    k8s::Object config_map = DesiredReportsConfigMap(*owner, unstored.domain, unstored.window);
    if (!unstored.resource_version.empty()) {
      config_map["metadata"]["resourceVersion"] = unstored.resource_version;
    }
    const StatusOr<k8s::Object> written = unstored.resource_version.empty()
                                              ? client_.Create(k8s::ConfigMaps(), config_map)
                                              : client_.Update(k8s::ConfigMaps(), config_map);
    if (!written.ok()) {
      // Another replica wrote first (Conflict, AlreadyExists): its window reaches the cache, and
      // these counts go on top of it at the next flush.
      LogInfo("TLS report window not stored; retried at the next flush",
              {{"domain", unstored.domain}, {"error", written.status().message()}});
      continue;
    }
    intake_.MarkStored(unstored, written->at("metadata").value("resourceVersion", std::string()));
    ++writes;
  }
  return writes;
}

}  // namespace mtasts::controller
