#include "dns/ares_channel.h"

#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstring>
#include <mutex>

namespace mtasts::dns {

// One c-ares channel carrying at most one query at a time.
struct AresChannel::Lane {
  AresChannel* owner = nullptr;
  ares_channel channel = nullptr;
  int first_server = 0;           // the servers set on the channel start at this index
  RawAnswer* answer = nullptr;    // the query in flight
  int reading = ARES_SOCKET_BAD;  // the socket ares_process_fd is reading, for OnAnswer

  ~Lane() {
    if (channel != nullptr) ares_destroy(channel);
  }
};

namespace {

constexpr int kClassIn = 1;
constexpr uint16_t kDnsPort = 53;

void InitLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] { ares_library_init(ARES_LIB_INIT_ALL); });
}

std::string ServerName(const ares_addr_port_node& node) {
  char text[INET6_ADDRSTRLEN] = "?";
  inet_ntop(node.family, &node.addr, text, sizeof text);
  int port = node.udp_port != 0 ? node.udp_port : kDnsPort;
  return node.family == AF_INET6 ? "[" + std::string(text) + "]:" + std::to_string(port)
                                 : std::string(text) + ":" + std::to_string(port);
}

}  // namespace

void AresChannel::OnAnswer(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  auto* lane = static_cast<Lane*>(arg);
  RawAnswer* out = lane->answer;
  if (out == nullptr) return;  // ares_destroy ending a query nobody waits for
  out->ares_status = status;
  if (abuf != nullptr && alen > 0) {
    out->bytes.assign(abuf, abuf + alen);
    out->server = lane->owner->ServerOf(lane->reading);
  }
  out->done = true;
  lane->answer = nullptr;
}

StatusOr<AresChannel::Lane*> AresChannel::AddLane() {
  ares_options options{};
  // NOCHECKRESP: hand SERVFAIL and REFUSED answers to us instead of turning them into a generic
  // ECONNREFUSED, so the caller can say which it was and ask the next server itself. No
  // STAYOPEN: the lane's sockets close when its query ends, so the next query gets a new port.
  options.flags = ARES_FLAG_NOCHECKRESP;
  options.timeout = static_cast<int>(settings_.timeout.count());
  options.tries = settings_.tries;
  auto lane = std::make_unique<Lane>();
  lane->owner = this;
  int rc = ares_init_options(&lane->channel, &options,
                             ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
  if (rc != ARES_SUCCESS) {
    return UnavailableError(std::string("cannot create a DNS channel: ") + ares_strerror(rc));
  }
  if (server_list_ != nullptr) ares_set_servers_ports(lane->channel, server_list_);
  lanes_.push_back(std::move(lane));
  return lanes_.back().get();
}

StatusOr<std::unique_ptr<AresChannel>> AresChannel::Create(const ChannelSettings& settings) {
  InitLibraryOnce();
  std::unique_ptr<AresChannel> out(new AresChannel());
  out->settings_ = settings;
  ASSIGN_OR_RETURN(Lane * first, out->AddLane());
  if (!settings.servers_csv.empty()) {
    int rc = ares_set_servers_ports_csv(first->channel, settings.servers_csv.c_str());
    if (rc != ARES_SUCCESS) {
      return InvalidArgumentError("DNS server list \"" + settings.servers_csv +
                                  "\" is not valid (" + ares_strerror(rc) +
                                  "); write host:port entries such as 127.0.0.10:5353 or "
                                  "[::1]:53, separated by commas");
    }
  }
  // The servers as c-ares holds them (from the list or resolv.conf): a suffix of this list is
  // what a lane asks when it starts past the first server.
  ares_get_servers_ports(first->channel, &out->server_list_);
  for (ares_addr_port_node* node = out->server_list_; node != nullptr; node = node->next) {
    out->server_nodes_.push_back(node);
    out->server_names_.push_back(ServerName(*node));
  }
  if (out->server_nodes_.empty()) {
    return InvalidArgumentError("no DNS server configured (resolv.conf names none)");
  }
  return out;
}

AresChannel::~AresChannel() {
  lanes_.clear();
  if (server_list_ != nullptr) ares_free_data(server_list_);
}

int AresChannel::ServerOf(int socket) const {
  if (socket == ARES_SOCKET_BAD) return -1;
  sockaddr_storage peer{};
  socklen_t len = sizeof peer;
  if (getpeername(socket, reinterpret_cast<sockaddr*>(&peer), &len) != 0) return -1;
  for (size_t i = 0; i < server_nodes_.size(); ++i) {
    const ares_addr_port_node& node = *server_nodes_[i];
    if (node.family != peer.ss_family) continue;
    uint16_t port = 0;
    bool same_address = false;
    if (peer.ss_family == AF_INET) {
      const auto& in = reinterpret_cast<const sockaddr_in&>(peer);
      same_address = std::memcmp(&in.sin_addr, &node.addr.addr4, sizeof in.sin_addr) == 0;
      port = ntohs(in.sin_port);
    } else {
      const auto& in6 = reinterpret_cast<const sockaddr_in6&>(peer);
      same_address = std::memcmp(&in6.sin6_addr, &node.addr.addr6, sizeof in6.sin6_addr) == 0;
      port = ntohs(in6.sin6_port);
    }
    auto configured = [](int p) { return p != 0 ? p : kDnsPort; };
    if (same_address && (port == configured(node.udp_port) || port == configured(node.tcp_port))) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

void AresChannel::Start(const std::string& name, uint16_t type, int first_server, RawAnswer* out) {
  *out = RawAnswer{};
  started_.push_back(out);
  Lane* lane = nullptr;
  for (const auto& candidate : lanes_) {
    if (candidate->answer == nullptr) {
      lane = candidate.get();
      break;
    }
  }
  if (lane == nullptr) {
    StatusOr<Lane*> added = AddLane();
    if (!added.ok()) {
      out->ares_status = ARES_ENOMEM;
      out->done = true;
      return;
    }
    lane = *added;
  }
  if (lane->first_server != first_server) {
    ares_set_servers_ports(lane->channel, server_nodes_[first_server]);
    lane->first_server = first_server;
  }
  lane->answer = out;
  ares_query(lane->channel, name.c_str(), kClassIn, type, &AresChannel::OnAnswer, lane);
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
    std::vector<pollfd> fds;
    std::vector<Lane*> owners;  // the lane of each fds entry
    timeval earliest{};
    bool any_timer = false;
    for (const auto& lane : lanes_) {
      ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
      int bits = ares_getsock(lane->channel, sockets, ARES_GETSOCK_MAXNUM);
      for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
        short events = 0;
        if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
        if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
        if (events == 0) continue;
        fds.push_back(pollfd{sockets[i], events, 0});
        owners.push_back(lane.get());
      }
      // The sooner of this lane's next timer and `earliest` (which it returns when sooner).
      timeval tv{};
      if (const timeval* next = ares_timeout(lane->channel, any_timer ? &earliest : nullptr, &tv)) {
        earliest = *next;
        any_timer = true;
      }
    }
    if (fds.empty() && !any_timer) break;  // c-ares has nothing in flight: cannot happen
    int wait_ms = !any_timer
                      ? 1000
                      : static_cast<int>(earliest.tv_sec * 1000 + (earliest.tv_usec + 999) / 1000);
    int ready = poll(fds.data(), fds.size(), wait_ms);
    for (size_t i = 0; ready > 0 && i < fds.size(); ++i) {
      if (fds[i].revents == 0) continue;
      bool readable = (fds[i].revents & (POLLIN | POLLERR | POLLHUP)) != 0;
      bool writable = (fds[i].revents & POLLOUT) != 0;
      Lane* lane = owners[i];
      lane->reading = readable ? fds[i].fd : ARES_SOCKET_BAD;
      ares_process_fd(lane->channel, lane->reading, writable ? fds[i].fd : ARES_SOCKET_BAD);
      lane->reading = ARES_SOCKET_BAD;
    }
    // Timers of every lane, so one busy lane cannot hold back another's retry or timeout.
    for (const auto& lane : lanes_)
      ares_process_fd(lane->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
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
