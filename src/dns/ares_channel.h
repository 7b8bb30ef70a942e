// AresChannel and ChannelPool: c-ares 1.18 channels, and a bounded pool of them for
// AresResolver. A channel is driven on the calling thread (ares_getsock + poll +
// ares_process_fd): c-ares 1.18 has no event thread of its own.
//
// Spoofing resistance: every query gets a UDP socket of its own, so a fresh random source port
// (the kernel's choice) beside its random ID, as the system resolver does. c-ares 1.18 shares
// one socket per server among the queries of a channel, and keeps it between queries under
// ARES_FLAG_STAYOPEN; so an AresChannel holds one c-ares channel per query in flight (a "lane"),
// without STAYOPEN, and c-ares closes a lane's sockets as soon as its query ends.
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

struct ares_addr_port_node;  // c-ares' server list
struct ares_channeldata;     // c-ares' channel type

namespace mtasts::dns {

struct ChannelSettings {
  std::string servers_csv;  // "127.0.0.10:5353,[::1]:53"; empty: resolv.conf
  std::chrono::milliseconds timeout{2000};
  int tries = 2;
};

// The raw outcome of one ares_query: its status and, when a response arrived, its bytes and
// which configured server sent them.
struct RawAnswer {
  int ares_status = 0;
  std::vector<unsigned char> bytes;
  int server = -1;  // index into the channel's servers; -1 when no response arrived
  bool done = false;
};

class AresChannel {
 public:
  static StatusOr<std::unique_ptr<AresChannel>> Create(const ChannelSettings& settings);
  ~AresChannel();
  AresChannel(const AresChannel&) = delete;
  AresChannel& operator=(const AresChannel&) = delete;

  // The configured servers in order, as "address:port".
  const std::vector<std::string>& servers() const { return server_names_; }

  // Starts a query that asks servers()[first_server] first, then the ones after it (c-ares moves
  // on when one does not answer); `out` must live until Wait returns.
  void Start(const std::string& name, uint16_t type, int first_server, RawAnswer* out);
  // Drives the channel until every started query has completed (answered, failed, timed out).
  void Wait();

 private:
  struct Lane;
  AresChannel() = default;
  static void OnAnswer(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  StatusOr<Lane*> AddLane();
  // The index of the server `socket` is connected to; -1 if none.
  int ServerOf(int socket) const;
  bool AllDone() const;

  ChannelSettings settings_;
  ares_addr_port_node* server_list_ = nullptr;  // from c-ares; one node per server, in order
  std::vector<ares_addr_port_node*> server_nodes_;
  std::vector<std::string> server_names_;
  std::vector<std::unique_ptr<Lane>> lanes_;
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
