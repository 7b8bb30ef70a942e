#include "k8s_env.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "k8s/config.h"
#include "k8s/rest_client.h"

namespace mtasts::k8s::test_env {
namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "k8s integration test setup: %s\n", message.c_str());
  std::exit(2);
}

const char* Env(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    Die(std::string(name) + " is not set; run this test through ctest (label k8s)");
  }
  return value;
}

}  // namespace

Client& TestClient() {
  static Client* client = [] {
    auto config = LoadKubeconfig(Env("KUBECONFIG"));
    if (!config.ok()) Die(config.status().ToString());
    auto made = NewRestClient(*config);
    if (!made.ok()) Die(made.status().ToString());
    return made->release();
  }();
  return *client;
}

std::string NewNamespace(const std::string& prefix) {
  static std::atomic<int> counter{0};
  std::string name = prefix + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
  ResourceRef namespaces{"", "v1", "namespaces", "Namespace", false};
  auto made = TestClient().Create(namespaces, {{"metadata", {{"name", name}}}});
  if (!made.ok()) Die("create namespace " + name + ": " + made.status().ToString());
  return name;
}

int ControlPlane(const std::string& args) {
  std::string command = std::string(Env("MTASTS_CONTROLPLANE")) + " " + args + " >&2";
  return std::system(command.c_str());
}

ResourceRef Widgets() {
  static std::once_flag installed;
  std::call_once(installed, [] {
    std::string crd = std::string(MTASTS_K8S_TESTDATA) + "/widgets-crd.yaml";
    if (ControlPlane("kubectl apply -f " + crd) != 0) Die("kubectl apply " + crd + " failed");
    if (ControlPlane("kubectl wait --for=condition=Established --timeout=60s "
                     "crd/widgets.test.mtasts.io") != 0) {
      Die("the Widget CRD did not become Established");
    }
  });
  return {"test.mtasts.io", "v1", "widgets", "Widget", true};
}

bool Eventually(const std::function<bool()>& done, int seconds) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return done();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

Object ConfigMap(const std::string& ns, const std::string& name, const std::string& key,
                 const std::string& value) {
  return {{"metadata", {{"namespace", ns}, {"name", name}}}, {"data", {{key, value}}}};
}

}  // namespace mtasts::k8s::test_env
