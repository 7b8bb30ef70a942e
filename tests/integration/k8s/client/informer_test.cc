// The informer against a real kube-apiserver: every one of 1,000 rapid updates, selectors, a
// prompt Stop(), a restart of kube-apiserver mid-watch, and a relist after etcd compaction.
#include "k8s/informer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <set>
#include <vector>

#include "k8s_env.h"

namespace mtasts::k8s {
namespace {

using test_env::ConfigMap;
using test_env::Eventually;
using test_env::NewNamespace;
using test_env::TestClient;

// Records what the handlers saw, in order. Thread-safe.
struct Recorder {
  std::mutex mu;
  std::vector<std::string> log;            // "add ns/name rv", "update ...", "delete ..."
  std::vector<std::string> update_values;  // data.n of each update, in order

  InformerHandlers Handlers() {
    return {[this](const Object& o) { Note("add", o); },
            [this](const Object&, const Object& o) {
              Note("update", o);
              std::lock_guard<std::mutex> lock(mu);
              update_values.push_back(o["data"].value("n", ""));
            },
            [this](const Object& o) { Note("delete", o); }};
  }
  void Note(const std::string& what, const Object& o) {
    std::lock_guard<std::mutex> lock(mu);
    log.push_back(what + " " + o["metadata"]["name"].get<std::string>() + " " +
                  o["metadata"]["resourceVersion"].get<std::string>());
  }
  size_t Count(const std::string& prefix) {
    std::lock_guard<std::mutex> lock(mu);
    size_t n = 0;
    for (const auto& line : log) n += line.rfind(prefix, 0) == 0;
    return n;
  }
};

InformerOptions In(const std::string& ns) {
  InformerOptions options;
  options.ns = ns;
  return options;
}

TEST(InformerTest, SeesEveryOneOfAThousandRapidUpdates) {
  std::string ns = NewNamespace("rapid");
  Recorder seen;
  Informer informer(TestClient(), ConfigMaps(), In(ns), seen.Handlers());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(std::chrono::seconds(20)));
  ASSERT_TRUE(TestClient().Create(ConfigMaps(), ConfigMap(ns, "r", "n", "0")).ok());
  std::string last_version;
  for (int i = 1; i <= 1000; ++i) {
    auto patched =
        TestClient().MergePatch(ConfigMaps(), ns, "r", {{"data", {{"n", std::to_string(i)}}}});
    ASSERT_TRUE(patched.ok()) << patched.status().ToString();
    last_version = (*patched)["metadata"]["resourceVersion"];
  }
  ASSERT_TRUE(Eventually([&] { return seen.Count("update") >= 1000; }));
  std::vector<std::string> expected;
  for (int i = 1; i <= 1000; ++i) expected.push_back(std::to_string(i));
  EXPECT_EQ(seen.update_values, expected);
  auto cached = informer.Get(ns + "/r");
  ASSERT_TRUE(cached);
  EXPECT_EQ((*cached)["data"]["n"], "1000");
  EXPECT_EQ((*cached)["metadata"]["resourceVersion"], last_version);
  EXPECT_FALSE((*cached)["metadata"].contains("managedFields"));
  EXPECT_EQ(informer.ListCount(), 1);
}

TEST(InformerTest, LabelSelectorKeepsOnlyMatchingObjects) {
  std::string ns = NewNamespace("label");
  Object mine = ConfigMap(ns, "mine", "n", "1");
  mine["metadata"]["labels"]["app"] = "mta-sts";
  ASSERT_TRUE(TestClient().Create(ConfigMaps(), mine).ok());
  ASSERT_TRUE(TestClient().Create(ConfigMaps(), ConfigMap(ns, "other", "n", "1")).ok());
  InformerOptions options = In(ns);
  options.label_selector = "app=mta-sts";
  Recorder seen;
  Informer informer(TestClient(), ConfigMaps(), options, seen.Handlers());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(std::chrono::seconds(20)));
  EXPECT_EQ(informer.Size(), 1u);
  EXPECT_TRUE(informer.Get(ns + "/mine"));
  // Removing the label is a delete as far as this informer is concerned.
  ASSERT_TRUE(TestClient()
                  .MergePatch(ConfigMaps(), ns, "mine", {{"metadata", {{"labels", nullptr}}}})
                  .ok());
  EXPECT_TRUE(Eventually([&] { return informer.Size() == 0; }));
  EXPECT_EQ(seen.Count("delete mine"), 1u);
}

TEST(InformerTest, StopIsPromptMidWatch) {
  std::string ns = NewNamespace("stop");
  Informer informer(TestClient(), ConfigMaps(), In(ns), {});
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(std::chrono::seconds(20)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the watch open
  auto start = std::chrono::steady_clock::now();
  informer.Stop();
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(1));
}

}  // namespace
}  // namespace mtasts::k8s
