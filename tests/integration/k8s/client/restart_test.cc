// The informer across a kube-apiserver restart and across an etcd compaction. These tests restart
// or compact the shared control plane, so ctest runs them alone.
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "k8s/informer.h"
#include "k8s_env.h"

namespace mtasts::k8s {
namespace {

using test_env::ConfigMap;
using test_env::ControlPlane;
using test_env::Eventually;
using test_env::NewNamespace;
using test_env::TestClient;

// Patches until the server accepts (it may still be starting); returns the new resourceVersion.
std::string PatchWhenUp(const std::string& ns, const std::string& name, const std::string& n) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto patched = TestClient().MergePatch(ConfigMaps(), ns, name, {{"data", {{"n", n}}}});
    if (patched.ok()) return (*patched)["metadata"]["resourceVersion"];
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ADD_FAILURE() << "patch " << ns << "/" << name << " never succeeded";
  return "";
}

// Every resourceVersion the handlers saw, per object name. Thread-safe.
struct VersionLog {
  std::mutex mu;
  std::map<std::string, std::vector<std::string>> versions;
  std::set<std::string> deleted;
  int duplicates = 0;

  void Saw(const Object& o) {
    std::lock_guard<std::mutex> lock(mu);
    auto& seen = versions[o["metadata"]["name"].get<std::string>()];
    std::string rv = o["metadata"]["resourceVersion"];
    for (const auto& v : seen) duplicates += v == rv;
    seen.push_back(rv);
  }
  InformerHandlers Handlers() {
    return {[this](const Object& o) { Saw(o); }, [this](const Object&, const Object& o) { Saw(o); },
            [this](const Object& o) {
              std::lock_guard<std::mutex> lock(mu);
              deleted.insert(o["metadata"]["name"].get<std::string>());
            }};
  }
};

TEST(RestartTest, SurvivesApiserverRestartWithoutLossOrDuplicates) {
  std::string ns = NewNamespace("restart");
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(
        TestClient().Create(ConfigMaps(), ConfigMap(ns, "o" + std::to_string(i), "n", "0")).ok());
  }
  VersionLog log;
  InformerOptions options;
  options.ns = ns;
  Informer informer(TestClient(), ConfigMaps(), options, log.Handlers());
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(std::chrono::seconds(20)));
  std::map<std::string, std::vector<std::string>> written;
  for (int i = 0; i < 5; ++i) {
    written["o" + std::to_string(i)].push_back(PatchWhenUp(ns, "o" + std::to_string(i), "1"));
  }
  ASSERT_EQ(ControlPlane("restart-apiserver"), 0);
  // The informer comes back after its backoff (up to tens of seconds after a long outage, as
  // client-go's reflector) and may relist. Wait until it has seen a first write after the
  // restart, so that each write below arrives as an event, not folded into that relist.
  written["o0"].push_back(PatchWhenUp(ns, "o0", "back"));
  ASSERT_TRUE(Eventually(
      [&] {
        auto cached = informer.Get(ns + "/o0");
        return cached && (*cached)["metadata"]["resourceVersion"] == written["o0"].back();
      },
      60));
  for (int round = 2; round <= 4; ++round) {
    for (int i = 0; i < 5; ++i) {
      std::string name = "o" + std::to_string(i);
      written[name].push_back(PatchWhenUp(ns, name, std::to_string(round)));
    }
  }
  ASSERT_TRUE(Eventually(
      [&] {
        auto cached = informer.Get(ns + "/o4");
        return cached && (*cached)["metadata"]["resourceVersion"] == written["o4"].back();
      },
      60));
  std::lock_guard<std::mutex> lock(log.mu);
  EXPECT_EQ(log.duplicates, 0);
  for (const auto& [name, versions] : written) {
    const auto& seen = log.versions[name];
    // The add from the first list, then every write in order: none missed, none twice.
    ASSERT_EQ(seen.size(), versions.size() + 1) << name;
    EXPECT_EQ(std::vector<std::string>(seen.begin() + 1, seen.end()), versions) << name;
  }
  // A fresh kube-apiserver's watch cache starts at the current revision, so a quiet namespace's
  // resume point is usually older: then the informer lists again (410) instead of resuming.
  std::printf("lists made: %d\n", informer.ListCount());
}

// Holds the informer's thread inside a handler until released, so the test can change the world
// behind its back.
struct Gate {
  std::mutex mu;
  std::condition_variable cv;
  bool holding = false, released = false;
  void HoldHere() {
    std::unique_lock<std::mutex> lock(mu);
    holding = true;
    cv.notify_all();
    cv.wait(lock, [this] { return released; });
  }
  void WaitHolding() {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [this] { return holding; });
  }
  void Release() {
    std::lock_guard<std::mutex> lock(mu);
    released = true;
    cv.notify_all();
  }
};

TEST(CompactionTest, GoneResumePointLeadsToARelistWithNoLostUpdate) {
  std::string ns = NewNamespace("compact");
  for (const char* name : {"keep", "change", "remove"}) {
    ASSERT_TRUE(TestClient().Create(ConfigMaps(), ConfigMap(ns, name, "n", "0")).ok());
  }
  Gate gate;
  VersionLog log;
  InformerHandlers handlers = log.Handlers();
  handlers.on_add = [&](const Object& o) {
    log.Saw(o);
    if (o["metadata"]["name"] == "hold") gate.HoldHere();
  };
  InformerOptions options;
  options.ns = ns;
  Informer informer(TestClient(), ConfigMaps(), options, handlers);
  struct ReleaseOnExit {  // a failed ASSERT must not leave the informer's thread held
    Gate& gate;
    ~ReleaseOnExit() { gate.Release(); }
  } release_on_exit{gate};
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(std::chrono::seconds(20)));
  ASSERT_TRUE(TestClient().Create(ConfigMaps(), ConfigMap(ns, "hold", "n", "0")).ok());
  gate.WaitHolding();
  // The informer's resume point is now "hold". Cut its stream (a crash: graceful shutdown would
  // wait for the held watch), change things, and compact the history it would resume from.
  ASSERT_EQ(ControlPlane("restart-apiserver --kill"), 0);
  std::string changed_rv = PatchWhenUp(ns, "change", "1");
  ASSERT_TRUE(TestClient().Delete(ConfigMaps(), ns, "remove").ok());
  ASSERT_TRUE(TestClient().Create(ConfigMaps(), ConfigMap(ns, "added", "n", "0")).ok());
  ASSERT_EQ(ControlPlane("compact"), 0);
  gate.Release();

  ASSERT_TRUE(Eventually([&] { return informer.Size() == 4 && informer.Get(ns + "/added"); }, 60));
  EXPECT_EQ((*informer.Get(ns + "/change"))["metadata"]["resourceVersion"], changed_rv);
  EXPECT_FALSE(informer.Get(ns + "/remove"));
  EXPECT_GE(informer.ListCount(), 2);  // it had to list again
  std::lock_guard<std::mutex> lock(log.mu);
  EXPECT_EQ(log.deleted, (std::set<std::string>{"remove"}));
  EXPECT_EQ(log.versions["change"].back(), changed_rv);
  EXPECT_EQ(log.versions["keep"].size(), 1u);  // unchanged: no event from the relist
  EXPECT_EQ(log.duplicates, 0);
}

TEST(CompactionTest, WatchFromACompactedVersionIsOutOfRange) {
  std::string ns = NewNamespace("gone");
  auto created = TestClient().Create(ConfigMaps(), ConfigMap(ns, "a", "n", "0"));
  ASSERT_TRUE(created.ok());
  std::string old_rv = (*created)["metadata"]["resourceVersion"];
  PatchWhenUp(ns, "a", "1");
  PatchWhenUp(ns, "a", "2");
  ASSERT_EQ(ControlPlane("compact"), 0);
  ASSERT_EQ(ControlPlane("restart-apiserver"), 0);  // drop the watch cache's history too
  WatchOptions options;
  options.resource_version = old_rv;
  options.timeout = std::chrono::seconds(10);
  StatusOr<std::unique_ptr<WatchStream>> stream = UnavailableError("not started");
  ASSERT_TRUE(Eventually([&] {
    stream = TestClient().Watch(ConfigMaps(), ns, options);
    return stream.status().code() != StatusCode::kUnavailable;
  }));
  // The server says 410 either as the HTTP status or as the stream's first event.
  if (stream.ok()) {
    auto event = (*stream)->Next();
    ASSERT_TRUE(event.ok()) << event.status().ToString();
    ASSERT_TRUE(event->has_value());
    ASSERT_EQ((*event)->type, WatchEventType::kError) << (*event)->object.dump();
    EXPECT_EQ((*event)->object["code"], 410);
  } else {
    EXPECT_EQ(stream.status().code(), StatusCode::kOutOfRange) << stream.status().ToString();
  }
}

}  // namespace
}  // namespace mtasts::k8s
