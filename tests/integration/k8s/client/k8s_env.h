// What the client's integration tests share: a Client for the control plane the ctest fixture
// started (KUBECONFIG), a fresh namespace per test, and the control plane's own commands
// (restart-apiserver, compact, kubectl). Not thread-safe beyond what Client guarantees.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "k8s/client.h"

namespace mtasts::k8s::test_env {

// The Client for $KUBECONFIG; aborts the test binary with a clear message when it is unset.
Client& TestClient();

// Creates a namespace "<prefix>-<pid>-<n>" and returns its name.
std::string NewNamespace(const std::string& prefix);

// Runs "$MTASTS_CONTROLPLANE <args>"; returns its exit status (0 = success).
int ControlPlane(const std::string& args);

// The Widget custom resource of testdata/widgets-crd.yaml, installed on first use.
ResourceRef Widgets();

// Polls `done` every 20 ms until it is true or `seconds` pass; returns its last value.
bool Eventually(const std::function<bool()>& done, int seconds = 20);

// A ConfigMap object in ns with data {key: value}.
Object ConfigMap(const std::string& ns, const std::string& name, const std::string& key,
                 const std::string& value);

}  // namespace mtasts::k8s::test_env
