// AresChannel and ChannelPool: c-ares 1.18 channels, and a bounded pool of them for
// AresResolver. A channel is driven on the calling thread (ares_getsock + poll +
// ares_process_fd): c-ares 1.18 has no event thread of its own.
//
// Thread-safety: an AresChannel is used by one thread at a time; ChannelPool is thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"

struct ares_channeldata;  // c-ares' channel type

namespace mtasts::dns {

struct ChannelSettings {
  std::string servers_csv;  // "127.0.0.10:5353,[::1]:53"; empty: resolv.conf
  std::chrono::milliseconds timeout{2000};
  int tries = 2;
};

// The raw outcome of one ares_query: its status and, when a response arrived, its bytes.
struct RawAnswer {
  int ares_status = 0;
  std::vector<unsigned char> bytes;
  bool done = false;
};

class AresChannel {
 public:
  static StatusOr<std::unique_ptr<AresChannel>> Create(const ChannelSettings& settings);
  ~AresChannel();
  AresChannel(const AresChannel&) = delete;
  AresChannel& operator=(const AresChannel&) = delete;

  // Starts a query; `out` must live until Wait returns.
  void Start(const std::string& name, uint16_t type, RawAnswer* out);
  // Drives the channel until every started query has completed (answered, failed, timed out).
  void Wait();

 private:
  explicit AresChannel(ares_channeldata* channel) : channel_(channel) {}
  bool AllDone() const;

  ares_channeldata* channel_;
  std::vector<RawAnswer*> started_;
};

class ChannelPool {
 public:
  ChannelPool(ChannelSettings settings, int max_channels)
      : settings_(std::move(settings)), max_channels_(max_channels) {}

  // Hands back the channel to the pool when destroyed.
  class Lease {
   public:
    Lease(ChannelPool* pool, std::unique_ptr<AresChannel> channel)
        : pool_(pool), channel_(std::move(channel)) {}
    Lease(Lease&&) = default;
    ~Lease();
    AresChannel& operator*() { return *channel_; }
    AresChannel* operator->() { return channel_.get(); }

   private:
    ChannelPool* pool_;
    std::unique_ptr<AresChannel> channel_;
  };

  // Waits while max_channels are lent out; creates channels lazily.
  StatusOr<Lease> Borrow();

 private:
  const ChannelSettings settings_;
  const int max_channels_;
  std::mutex mu_;
  std::condition_variable returned_;
  std::vector<std::unique_ptr<AresChannel>> idle_;
  int lent_or_idle_ = 0;  // channels that exist
};

}  // namespace mtasts::dns
