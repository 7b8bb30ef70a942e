#include "controller/names.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

TEST(NamesTest, ChildNamesAddASuffix) {
  EXPECT_EQ(ConfigMapName("example-com"), "example-com-mta-sts-policy");
  EXPECT_EQ(CertificateName("example-com"), "example-com-mta-sts");
  EXPECT_EQ(SecretName("example-com"), "example-com-mta-sts-tls");
  EXPECT_EQ(DnsEndpointName("example-com"), "example-com-mta-sts");
  EXPECT_EQ(PolicyHost("example.com"), "mta-sts.example.com");
}

TEST(NamesTest, LongNamesStayWithinTheLimitAndApart) {
  const std::string a(250, 'a');
  const std::string b = std::string(249, 'a') + "b";
  EXPECT_EQ(ConfigMapName(a).size(), 253u);
  EXPECT_NE(ConfigMapName(a), ConfigMapName(b));
  EXPECT_TRUE(ConfigMapName(a).ends_with("-mta-sts-policy"));
}

TEST(NamesTest, SelectorNamesTheContent) {
  EXPECT_EQ(ContentSelector(kContentPolicy),
            "app.kubernetes.io/managed-by=mta-sts-operator,mtasts.io/content=policy");
}

}  // namespace
}  // namespace mtasts::controller
