// The informer's retry decisions against a scripted client, on a FakeClock.
#include "k8s/informer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>

#include "eventually.h"

namespace mtasts::k8s {
namespace {

using namespace std::chrono_literals;

// A stream that plays its events, then ends as the server's timeout would.
class ScriptedStream final : public WatchStream {
 public:
  explicit ScriptedStream(std::deque<StatusOr<std::optional<WatchEvent>>> script)
      : script_(std::move(script)) {}
  StatusOr<std::optional<WatchEvent>> Next() override {
    if (script_.empty()) return std::optional<WatchEvent>();
    auto next = script_.front();
    script_.pop_front();
    return next;
  }
  void Cancel() override {}

 private:
  std::deque<StatusOr<std::optional<WatchEvent>>> script_;
};

// Lists nothing; every Watch is answered by `watch`. Only List and Watch are used.
class ScriptedClient final : public Client {
 public:
  using WatchScript =
      std::function<StatusOr<std::unique_ptr<WatchStream>>(const WatchOptions& options)>;
  explicit ScriptedClient(WatchScript watch) : watch_(std::move(watch)) {}

  int Watches() const { return watches_.load(); }
  int Lists() const { return lists_.load(); }

  StatusOr<ObjectList> List(const ResourceRef&, std::string_view, const ListOptions&) override {
    ++lists_;
    return ObjectList{{}, "7", ""};
  }
  StatusOr<std::unique_ptr<WatchStream>> Watch(const ResourceRef&, std::string_view,
                                               const WatchOptions& options) override {
    ++watches_;
    return watch_(options);
  }
  StatusOr<Object> Get(const ResourceRef&, std::string_view, std::string_view) override {
    return Unused();
  }
  StatusOr<Object> Create(const ResourceRef&, const Object&) override { return Unused(); }
  StatusOr<Object> Update(const ResourceRef&, const Object&) override { return Unused(); }
  StatusOr<Object> Apply(const ResourceRef&, const Object&, const ApplyOptions&) override {
    return Unused();
  }
  StatusOr<Object> ApplyStatus(const ResourceRef&, const Object&, const ApplyOptions&) override {
    return Unused();
  }
  StatusOr<Object> MergePatch(const ResourceRef&, std::string_view, std::string_view, const Object&,
                              std::string_view) override {
    return Unused();
  }
  Status Delete(const ResourceRef&, std::string_view, std::string_view,
                const DeleteOptions&) override {
    return Unused();
  }

 private:
  static Status Unused() { return InternalError("not scripted"); }

  WatchScript watch_;
  std::atomic<int> watches_{0};
  std::atomic<int> lists_{0};
};

std::unique_ptr<WatchStream> Stream(std::deque<StatusOr<std::optional<WatchEvent>>> script) {
  return std::make_unique<ScriptedStream>(std::move(script));
}

class InformerTest : public ::testing::Test {
 protected:
  InformerOptions Options() {
    InformerOptions options;
    options.clock = &clock_;
    options.max_wait = 1ms;
    return options;
  }

  // Advances the fake clock in steps until `done` holds and returns how far it went (nullopt
  // past `limit`). The informer reads the clock on its own thread just after a watch fails: one
  // big jump could land before that read and be lost; a step at a time can be late by one step.
  template <typename Pred>
  std::optional<std::chrono::milliseconds> AdvanceUntil(Pred done,
                                                        std::chrono::milliseconds limit = 10s) {
    constexpr auto kStep = 50ms;
    for (std::chrono::milliseconds advanced{0}; advanced <= limit; advanced += kStep) {
      if (Eventually(done, 20ms)) return advanced;
      clock_.Advance(kStep);
    }
    return std::nullopt;
  }

  FakeClock clock_{Clock::TimePoint(1000s)};
};

TEST_F(InformerTest, StopReachesAWatchStillOpening) {
  // The server never answers the watch: only the stop in its options can end the wait.
  ScriptedClient client([](const WatchOptions& options) -> StatusOr<std::unique_ptr<WatchStream>> {
    std::mutex mu;
    std::condition_variable_any stopped;
    std::unique_lock lock(mu);
    stopped.wait_for(lock, options.stop, 10s, [] { return false; });
    return CancelledError("watch abandoned");
  });
  Informer informer(client, ConfigMaps(), Options(), {});
  informer.Start();
  ASSERT_TRUE(informer.WaitForSync(5s));
  ASSERT_TRUE(Eventually([&] { return client.Watches() == 1; }));
  auto started = std::chrono::steady_clock::now();
  informer.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s) << "Stop waited for the opening";
}

TEST_F(InformerTest, AWatchTheServerEndsAtOnceCountsAsAFailure) {
  ScriptedClient client([](const WatchOptions&) { return Stream({}); });
  Informer informer(client, ConfigMaps(), Options(), {});
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return client.Watches() == 1; }));
  std::this_thread::sleep_for(50ms);  // time for a hot loop to show
  EXPECT_EQ(client.Watches(), 1) << "watched again at once";
  // The first wait is 800 ms, jittered up to twice that.
  auto waited = AdvanceUntil([&] { return client.Watches() == 2; });
  ASSERT_TRUE(waited.has_value());
  EXPECT_GE(*waited, 800ms - 50ms);
  EXPECT_LE(*waited, 1600ms + 50ms);
  informer.Stop();
}

TEST_F(InformerTest, APoisonEventBacksOffLongerEachTime) {
  ScriptedClient client([](const WatchOptions&) {
    return Stream({UnavailableError("watch: not a JSON object: \"<html>\"")});
  });
  Informer informer(client, ConfigMaps(), Options(), {});
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return client.Watches() == 1; }));
  ASSERT_TRUE(AdvanceUntil([&] { return client.Watches() == 2; }).has_value());
  // The second wait is 1.6 s, jittered up to twice that; a step may be late by 50 ms.
  auto second = AdvanceUntil([&] { return client.Watches() == 3; });
  ASSERT_TRUE(second.has_value());
  EXPECT_GE(*second, 1600ms - 50ms) << "the backoff did not grow";
  EXPECT_LE(*second, 3200ms + 50ms);
  informer.Stop();
}

TEST_F(InformerTest, A410AfterAnOutageRelistsWithoutTheOutagesLongWaits) {
  // The server is away for four watches, then back: its resume point is gone (410).
  std::atomic<int> calls{0};
  ScriptedClient client([&](const WatchOptions&) -> StatusOr<std::unique_ptr<WatchStream>> {
    if (++calls <= 4) return UnavailableError("connection refused");
    return OutOfRangeError("too old resource version: 7 (9)");
  });
  InformerOptions options = Options();
  options.backoff = {.initial = 100ms, .max = 30s, .reset_after = 2min, .jitter = 0};
  Informer informer(client, ConfigMaps(), options, {});
  informer.Start();
  // Waits of 100, 200, 400 and 800 ms between the failed watches.
  ASSERT_TRUE(AdvanceUntil([&] { return client.Watches() == 5; }).has_value());
  auto relisted = AdvanceUntil([&] { return client.Lists() == 2; });
  informer.Stop();
  ASSERT_TRUE(relisted.has_value());
  EXPECT_LE(*relisted, 100ms + 50ms) << "the relist waited as if the server were still away";
}

TEST_F(InformerTest, AWatchThatDeliversResumesAtOnceWhenTheServerEndsIt) {
  WatchEvent bookmark{WatchEventType::kBookmark, {{"metadata", {{"resourceVersion", "8"}}}}};
  std::mutex mu;
  std::vector<std::string> resumed_from;
  ScriptedClient client([&](const WatchOptions& options) {
    std::lock_guard lock(mu);
    resumed_from.push_back(options.resource_version);
    return Stream({std::optional<WatchEvent>(bookmark)});
  });
  Informer informer(client, ConfigMaps(), Options(), {});
  informer.Start();
  ASSERT_TRUE(Eventually([&] { return client.Watches() >= 3; }));  // no clock advance needed
  informer.Stop();
  std::lock_guard lock(mu);
  EXPECT_EQ(resumed_from[0], "7");
  EXPECT_EQ(resumed_from[1], "8");
}

}  // namespace
}  // namespace mtasts::k8s
