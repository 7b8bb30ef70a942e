#include "controller/service_hostname.h"

#include <set>

#include "controller/names.h"

namespace mtasts::controller {

k8s::Object DesiredServiceHostnames(const std::string& ns, const std::string& name,
                                    const std::string& annotation_prefix,
                                    const std::vector<std::string>& domains) {
  std::set<std::string> hosts;
  for (const std::string& domain : domains) hosts.insert(PolicyHost(domain));
  std::string list;
  for (const std::string& host : hosts) list += (list.empty() ? "" : ",") + host;
  return {{"apiVersion", "v1"},
          {"kind", "Service"},
          {"metadata",
           {{"name", name},
            {"namespace", ns},
            {"annotations", {{annotation_prefix + "hostname", list}}}}}};
}

}  // namespace mtasts::controller
