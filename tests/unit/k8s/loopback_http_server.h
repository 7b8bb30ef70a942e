// LoopbackHttpServer: a scripted HTTP/1.1 server on 127.0.0.1 (a free port) for tests of how the
// client's transport behaves on the wire. Each request head is read and counted, then handed with
// its connection to the test's `answer`, which writes what it likes (or nothing at all) and says
// whether to read another request from the connection. Bodies are not read: use GET.
// Thread-safe; the destructor closes every connection and joins the server's threads.
#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace mtasts::k8s {

class LoopbackHttpServer {
 public:
  using Answer = std::function<bool(int fd, const std::string& head)>;

  explicit LoopbackHttpServer(Answer answer);
  ~LoopbackHttpServer();
  LoopbackHttpServer(const LoopbackHttpServer&) = delete;
  LoopbackHttpServer& operator=(const LoopbackHttpServer&) = delete;

  // "http://127.0.0.1:PORT"
  std::string Url() const;
  // Request heads read so far, over all connections.
  int Requests() const { return requests_.load(); }

  // Writes all of `bytes` to fd (for answers); false when the peer is gone.
  static bool WriteAll(int fd, const std::string& bytes);

 private:
  void Accept();
  void Serve(int fd);

  Answer answer_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> requests_{0};
  std::atomic<bool> stopping_{false};
  std::mutex mu_;  // guards open_, threads_
  std::set<int> open_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

}  // namespace mtasts::k8s
