// AresResolver: the Resolver on c-ares 1.18, asking the servers it is given (host:port), or the
// system's resolv.conf servers when none are given.
//
// Design for concurrency: a c-ares 1.18 channel must not be used by two threads at once and has
// no event thread of its own. AresResolver keeps a pool of at most `max_channels` channels; each
// Lookup borrows one, drives it on the calling thread (ares_getsock + poll + ares_process_fd)
// and returns it. So the class is thread-safe, creates no threads, and at most `max_channels`
// lookups are in flight at once: further callers wait for a free channel. Channels are created
// lazily and reused.
//
// SERVFAIL or REFUSED from one server: the next configured server is asked, as the system
// resolver does; when the last one fails too, the answer is kServFail or kRefused and the error
// names what each server answered. Every query is sent from a fresh random source port (see
// ares_channel.h).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "dns/resolver.h"

namespace mtasts::dns {

class ChannelPool;    // ares_channel.h
struct PendingQuery;  // ares_resolver.cc

struct ResolverOptions {
  // "127.0.0.10:5353", "[::1]:53", "192.0.2.53". Empty: the system's configured servers.
  std::vector<std::string> servers;
  std::chrono::milliseconds timeout{2000};  // per try, per server
  int tries = 2;
  int max_channels = 16;   // bound on lookups in flight at once
  int max_cname_hops = 8;  // CNAMEs followed by re-asking, beyond those in one answer
};

class AresResolver final : public Resolver {
 public:
  // Fails with kInvalidArgument on a malformed server list or a non-positive bound.
  static StatusOr<std::unique_ptr<AresResolver>> Create(ResolverOptions options);
  ~AresResolver() override;

  TxtAnswer LookupTxt(std::string_view name) override;
  MxAnswer LookupMx(std::string_view name) override;
  AddressAnswer LookupAddresses(std::string_view name) override;

 private:
  AresResolver(ResolverOptions options, std::unique_ptr<ChannelPool> pool);
  // Asks every query (following CNAMEs by asking again) on one borrowed channel.
  void Run(const std::vector<PendingQuery*>& queries);

  const ResolverOptions options_;
  std::unique_ptr<ChannelPool> pool_;
};

}  // namespace mtasts::dns
