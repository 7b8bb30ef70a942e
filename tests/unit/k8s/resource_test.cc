#include "k8s/resource.h"

#include <gtest/gtest.h>

namespace mtasts::k8s {
namespace {

TEST(ResourceRefTest, CorePaths) {
  ResourceRef cm = ConfigMaps();
  EXPECT_EQ(cm.ApiVersion(), "v1");
  EXPECT_EQ(cm.CollectionPath("mail"), "/api/v1/namespaces/mail/configmaps");
  EXPECT_EQ(cm.CollectionPath(""), "/api/v1/configmaps");
  EXPECT_EQ(cm.ObjectPath("mail", "p"), "/api/v1/namespaces/mail/configmaps/p");
}

TEST(ResourceRefTest, GroupPathsAndSubresource) {
  ResourceRef policies{"mtasts.io", "v1alpha1", "mtastspolicies", "MtaStsPolicy", true};
  EXPECT_EQ(policies.ApiVersion(), "mtasts.io/v1alpha1");
  EXPECT_EQ(policies.ObjectPath("mail", "a", "status"),
            "/apis/mtasts.io/v1alpha1/namespaces/mail/mtastspolicies/a/status");
  ResourceRef cluster{"example.io", "v1", "things", "Thing", false};
  EXPECT_EQ(cluster.ObjectPath("ignored", "t"), "/apis/example.io/v1/things/t");
}

}  // namespace
}  // namespace mtasts::k8s
