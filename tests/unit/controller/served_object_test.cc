// What the syncer reads from its objects, and the small form its informers keep of them.
#include "controller/served_object.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "k8s/base64.h"
#include "matchers/status_matchers.h"

namespace mtasts::controller {
namespace {

using ::testing::HasSubstr;

k8s::Object Annotated(k8s::Object annotations) {
  return {{"metadata",
           {{"name", "p-mta-sts-policy"},
            {"namespace", "mail"},
            {"annotations", std::move(annotations)}}}};
}

TEST(ServedObjectTest, HostAndPolicyFromTheAnnotations) {
  auto served = ReadServedFor(Annotated(
      {{"mtasts.io/policy-host", "mta-sts.example.com"}, {"mtasts.io/policy", "mail/p"}}));
  ASSERT_THAT(served, IsOk());
  EXPECT_EQ(served->host, "mta-sts.example.com");
  EXPECT_EQ(served->policy_key, "mail/p");
  EXPECT_EQ(ObjectKey(Annotated({})), "mail/p-mta-sts-policy");
}

TEST(ServedObjectTest, AHostTheServerCannotServeIsRefused) {
  EXPECT_THAT(
      ReadServedFor(Annotated({})),
      StatusIs(StatusCode::kInvalidArgument, HasSubstr("mtasts.io/policy-host is missing")));
  EXPECT_THAT(ReadServedFor({{"metadata", {{"name", "x"}}}}),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadServedFor(Annotated({{"mtasts.io/policy-host", 7}})),
              StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadServedFor(Annotated({{"mtasts.io/policy-host", "mta-sts.../etc"}})),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("mta-sts.../etc")));
}

TEST(ServedObjectTest, AMalformedPolicyKeyIsLeftOut) {
  for (const char* key : {"", "p", "mail/", "/p", "mail/p/q", "Mail/p", "ma.il/p", "mail/p\n"}) {
    auto served = ReadServedFor(
        Annotated({{"mtasts.io/policy-host", "mta-sts.example.com"}, {"mtasts.io/policy", key}}));
    ASSERT_THAT(served, IsOk());
    EXPECT_EQ(served->policy_key, "") << key;
  }
}

TEST(ServedObjectTest, ThePolicyFileOfAConfigMap) {
  EXPECT_EQ(*ReadPolicyFile({{"data", {{"mta-sts.txt", "version: STSv1\r\n"}}}}),
            "version: STSv1\r\n");
  EXPECT_THAT(ReadPolicyFile({{"data", {{"other", "x"}}}}),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("no data key mta-sts.txt")));
  EXPECT_THAT(ReadPolicyFile(k8s::Object::object()), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadPolicyFile({{"data", {{"mta-sts.txt", 1}}}}),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST(ServedObjectTest, TheTlsPairOfASecret) {
  k8s::Object secret = {
      {"type", "kubernetes.io/tls"},
      {"data", {{"tls.crt", k8s::Base64Encode("CHAIN")}, {"tls.key", k8s::Base64Encode("KEY")}}}};
  auto pair = ReadTlsPair(secret);
  ASSERT_THAT(pair, IsOk());
  EXPECT_EQ(pair->chain_pem, "CHAIN");
  EXPECT_EQ(pair->key_pem, "KEY");
  k8s::Object no_key = secret;
  no_key["data"].erase("tls.key");
  EXPECT_THAT(ReadTlsPair(no_key), StatusIs(StatusCode::kInvalidArgument, HasSubstr("tls.key")));
  k8s::Object garbled = secret;
  garbled["data"]["tls.crt"] = "!!!";
  EXPECT_THAT(ReadTlsPair(garbled),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("tls.crt is not base64")));
}

TEST(ServedObjectTest, TheCacheKeepsMetadataAndADigestNeverData) {
  k8s::Object secret = {{"apiVersion", "v1"},
                        {"kind", "Secret"},
                        {"type", "kubernetes.io/tls"},
                        {"metadata",
                         {{"name", "p-mta-sts-tls"},
                          {"namespace", "mail"},
                          {"uid", "u1"},
                          {"resourceVersion", "42"},
                          {"creationTimestamp", "2026-01-01T00:00:00Z"},
                          {"labels", {{"mtasts.io/content", "certificate"}}},
                          {"annotations",
                           {{"mtasts.io/policy-host", "mta-sts.example.com"},
                            {"mtasts.io/policy", "mail/p"},
                            {"cert-manager.io/common-name", "mta-sts.example.com"}}},
                          {"ownerReferences", {{{"kind", "Certificate"}, {"name", "p-mta-sts"}}}},
                          {"managedFields", {{{"manager", "cert-manager"}}}}}},
                        {"data", {{"tls.crt", "Q0VSVA=="}, {"tls.key", "S0VZ"}}}};
  k8s::Object expected = {
      {"metadata",
       {{"name", "p-mta-sts-tls"},
        {"namespace", "mail"},
        {"resourceVersion", "42"},
        {"annotations",
         {{"mtasts.io/policy-host", "mta-sts.example.com"}, {"mtasts.io/policy", "mail/p"}}}}},
      {"digest", "0123abcd"}};
  EXPECT_EQ(CachedForm(secret, "0123abcd"), expected);
  EXPECT_EQ(CachedForm(k8s::Object::object(), ""),
            k8s::Object({{"metadata", k8s::Object::object()}, {"digest", ""}}));
}

}  // namespace
}  // namespace mtasts::controller
