// Keeps the TLS report windows in the cluster: one ConfigMap per domain
// (<policy>-mta-sts-reports, DesiredReportsConfigMap), owned by the policy, so a restart loses
// nothing and the leader judges by what every replica received. Each replica writes what its
// intake counted and has not stored yet, at most once per flush (--report-flush-interval), as a
// conditional write over the version its cache saw: a write that lost a race is retried on the
// next flush, after the cache brought the other replica's window.
// Thread-safe: the handlers run on the informer's thread, Flush on the store's.
#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>

#include "base/status.h"
#include "controller/desired.h"
#include "controller/report_intake.h"
#include "k8s/client.h"
#include "k8s/informer.h"
#include "tlsrpt/window.h"

namespace mtasts::controller {

// The domain and window a reports ConfigMap holds; InvalidArgument naming what does not read.
StatusOr<std::pair<std::string, tlsrpt::ReportWindow>> ReadReportsConfigMap(
    const k8s::Object& config_map, int window_days);

class ReportStore {
 public:
  // owner_of(domain): the policy that claims domain, if one does.
  ReportStore(k8s::Client& client, ReportIntake& intake,
              std::function<std::optional<Owner>(std::string_view domain)> owner_of);

  // For the cache of reports ConfigMaps (ContentSelector(kContentReports)): what they hold,
  // told to the intake.
  k8s::InformerHandlers Handlers();

  // Writes the window of every domain with counts not yet stored; the count of writes made.
  int Flush(std::stop_token stop);

 private:
  void Read(const k8s::Object& config_map);

  k8s::Client& client_;
  ReportIntake& intake_;
  const std::function<std::optional<Owner>(std::string_view)> owner_of_;
};

}  // namespace mtasts::controller
