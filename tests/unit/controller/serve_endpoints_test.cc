#include "controller/serve_endpoints.h"

#include <gtest/gtest.h>

namespace mtasts::controller {
namespace {

using k8s::Object;

TEST(ServeEndpointsTest, ReadyAddressesWithTheHttpsPort) {
  const Object v4 = Object::parse(R"({
    "addressType": "IPv4",
    "ports": [{"name": "metrics", "port": 8080}, {"name": "https", "port": 8443}],
    "endpoints": [
      {"addresses": ["10.0.0.2"], "conditions": {"ready": true}},
      {"addresses": ["10.0.0.1"]},
      {"addresses": ["10.0.0.3"], "conditions": {"ready": false}},
      {"addresses": ["10.0.0.4"], "conditions": {"ready": true, "terminating": true}}]})");
  const Object v6 = Object::parse(R"({
    "addressType": "IPv6", "ports": [{"port": 8443}],
    "endpoints": [{"addresses": ["fd00::1"]}]})");
  EXPECT_EQ(ReadyEndpoints({v4, v6}),
            (std::vector<std::string>{"10.0.0.1:8443", "10.0.0.2:8443", "10.0.0.4:8443",
                                      "[fd00::1]:8443"}));
}

TEST(ServeEndpointsTest, MalformedSlicesGiveNothing) {
  EXPECT_TRUE(ReadyEndpoints({Object::parse(R"({"endpoints": [{"addresses": ["10.0.0.1"]}]})"),
                              Object::parse(R"({"ports": [{"port": "x"}], "endpoints": []})"),
                              Object::parse(R"({"ports": [{"port": 70000}],
                                 "endpoints": [{"addresses": ["10.0.0.1"]}]})"),
                              Object::parse(R"([1, 2])")})
                  .empty());
}

}  // namespace
}  // namespace mtasts::controller
