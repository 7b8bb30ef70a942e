#include "controller/service_hostname.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

TEST(ServiceHostnameTest, SortedUniquePolicyHosts) {
  const k8s::Object s = DesiredServiceHostnames("mta-sts", "serve", "external-dns.kubernetes.io/",
                                                {"b.example", "a.example", "b.example"});
  EXPECT_EQ(s["metadata"]["annotations"]["external-dns.kubernetes.io/hostname"],
            "mta-sts.a.example,mta-sts.b.example");
  EXPECT_EQ(s["metadata"]["namespace"], "mta-sts");
  EXPECT_EQ(DesiredServiceHostnames("n", "s", "p/", {})["metadata"]["annotations"]["p/hostname"],
            "");
}

}  // namespace
}  // namespace mtasts::controller
