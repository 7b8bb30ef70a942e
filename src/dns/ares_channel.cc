#include "dns/ares_channel.h"

#include <ares.h>
#include <poll.h>

#include <mutex>

namespace mtasts::dns {
namespace {

constexpr int kClassIn = 1;

void InitLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

void OnAnswer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto* out = static_cast<RawAnswer*>(arg);
  out->ares_status = status;
  if (abuf != nullptr && alen > 0) out->bytes.assign(abuf, abuf + alen);
  out->done = true;
}

}  // namespace

StatusOr<std::unique_ptr<AresChannel>> AresChannel::Create(const ChannelSettings& settings) {
  InitLibraryOnce();
  ares_options options{};
  // NOCHECKRESP: hand SERVFAIL and REFUSED answers to us instead of turning them into a generic
  // ECONNREFUSED, so the caller can say which it was. STAYOPEN: a pooled channel keeps its UDP
  // socket between queries instead of a socket, connect and close for each one.
  options.flags = ARES_FLAG_NOCHECKRESP | ARES_FLAG_STAYOPEN;
  options.timeout = static_cast<int>(settings.timeout.count());
  options.tries = settings.tries;
  ares_channel channel = nullptr;
  int rc =
      ares_init_options(&channel, &options, ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
  if (rc != ARES_SUCCESS) {
    return UnavailableError(std::string("cannot create a DNS channel: ") + ares_strerror(rc));
  }
  std::unique_ptr<AresChannel> out(new AresChannel(channel));
  if (!settings.servers_csv.empty()) {
    rc = ares_set_servers_ports_csv(channel, settings.servers_csv.c_str());
    if (rc != ARES_SUCCESS) {
      return InvalidArgumentError("DNS server list \"" + settings.servers_csv +
                                  "\" is not valid (" + ares_strerror(rc) +
                                  "); write host:port entries such as 127.0.0.10:5353 or "
                                  "[::1]:53, separated by commas");
    }
  }
  return out;
}

AresChannel::~AresChannel() { ares_destroy(channel_); }

void AresChannel::Start(const std::string& name, uint16_t type, RawAnswer* out) {
  out->done = false;
  started_.push_back(out);
  ares_query(channel_, name.c_str(), kClassIn, type, &OnAnswer, out);
}

bool AresChannel::AllDone() const {
  for (const RawAnswer* answer : started_) {
    if (!answer->done) return false;
  }
  return true;
}

void AresChannel::Wait() {
  // Open TCP sockets stay registered after their queries end, so the loop ends on our own count.
  while (!AllDone()) {
    ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
    int bits = ares_getsock(channel_, sockets, ARES_GETSOCK_MAXNUM);
    pollfd fds[ARES_GETSOCK_MAXNUM];
    nfds_t count = 0;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short events = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
      if (events != 0) fds[count++] = pollfd{sockets[i], events, 0};
    }
    timeval tv{};
    timeval* next = ares_timeout(channel_, nullptr, &tv);
    if (count == 0 && next == nullptr) break;  // c-ares has nothing in flight: cannot happen
    int wait_ms =
        next == nullptr ? 1000 : static_cast<int>(tv.tv_sec * 1000 + (tv.tv_usec + 999) / 1000);
    int ready = poll(fds, count, wait_ms);
    if (ready <= 0) {
      ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timers
      continue;
    }
    for (nfds_t i = 0; i < count; ++i) {
      if (fds[i].revents == 0) continue;
      bool readable = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
      bool writable = (fds[i].revents & POLLOUT) != 0;
      ares_process_fd(channel_, readable ? fds[i].fd : ARES_SOCKET_BAD,
                      writable ? fds[i].fd : ARES_SOCKET_BAD);
    }
  }
  started_.clear();
}

ChannelPool::Lease::~Lease() {
  if (channel_ == nullptr) return;
  std::lock_guard lock(pool_->mu_);
  pool_->idle_.push_back(std::move(channel_));
  pool_->returned_.notify_one();
}

StatusOr<ChannelPool::Lease> ChannelPool::Borrow() {
  std::unique_lock lock(mu_);
  returned_.wait(lock, [&] { return !idle_.empty() || lent_or_idle_ < max_channels_; });
  if (!idle_.empty()) {
    std::unique_ptr<AresChannel> channel = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(channel));
  }
  ++lent_or_idle_;
  lock.unlock();
  StatusOr<std::unique_ptr<AresChannel>> channel = AresChannel::Create(settings_);
  if (!channel.ok()) {
    std::lock_guard relock(mu_);
    --lent_or_idle_;
    returned_.notify_one();
    return channel.status();
  }
  return Lease(this, std::move(channel).value());
}

}  // namespace mtasts::dns
