// loopback_daemon.h — for the live-oracle tests (tests/unit/cache_oracle_*_test.cpp): find a
// daemon's binary, start it on a free 127.0.0.1 port in a temporary directory, stop it,
// and talk to it over a TCP socket whose every operation times out after 2 s.
// Test-only code; no dependency beyond POSIX and the standard library.
#pragma once
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace scalebook::test_loopback {
namespace {  // internal linkage: each test file gets its own copy (inline: no warning for what a file does not use)


inline std::optional<std::string> find_binary(const std::string& name) {
  std::vector<std::string> dirs;
  if (const char* p = std::getenv("PATH")) {
    std::stringstream ss(p);
    for (std::string d; std::getline(ss, d, ':');) dirs.push_back(d);
  }
  dirs.insert(dirs.end(), {"/usr/bin", "/usr/sbin", "/usr/local/bin"});
  for (const auto& d : dirs) {
    const std::string f = d + "/" + name;
    if (!d.empty() && ::access(f.c_str(), X_OK) == 0) return f;
  }
  return std::nullopt;
}

inline int free_port() {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(s);
  return port;
}

// n distinct free loopback ports. free_port() called n times can return one port twice
// (each socket is closed before the next bind), and a daemon given that port twice fails
// to start; here all n sockets stay bound until every port is drawn.
inline std::vector<int> free_ports(std::size_t n) {
  std::vector<int> fds, ports;
  for (std::size_t i = 0; i < n; ++i) {
    const int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = 0;
    if (s >= 0 && ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
        ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len) == 0)
      port = ntohs(a.sin_port);
    if (s >= 0) fds.push_back(s);
    ports.push_back(port);
  }
  for (int s : fds) ::close(s);
  return ports;
}

// An owned socket (closed on destruction); movable, not copyable.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    if (this != &o) {
      reset();
      fd_ = o.fd_;
      o.fd_ = -1;
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { reset(); }
  void reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

// A listener of the test's own on 127.0.0.1, on a free port (written to `port`); an
// empty Fd if bind or listen failed.
inline Fd listen_loopback(int& port, int backlog = 64) {
  Fd fd(::socket(AF_INET, SOCK_STREAM, 0));
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(fd.get(), backlog) != 0) return Fd();
  socklen_t len = sizeof a;
  ::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  port = ntohs(a.sin_port);
  return fd;
}

inline bool send_all(int fd, const std::string& s) {
  std::size_t off = 0;
  while (off < s.size()) {
    const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return false;
    off += static_cast<std::size_t>(n);
  }
  return true;
}

// Everything until the peer closes (bounded by SO_RCVTIMEO); nullopt on error/timeout.
inline std::optional<std::string> read_to_eof(int fd) {
  std::string all;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n < 0) return std::nullopt;
    if (n == 0) return all;
    all.append(buf, static_cast<std::size_t>(n));
  }
}

inline void set_timeouts(int fd, int ms) {
  timeval tv{ms / 1000, (ms % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

// connect() bounded by a timeout (non-blocking connect + poll via select).
inline int connect_loopback(int port, int timeout_ms) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  const int fl = ::fcntl(fd, F_GETFL, 0);
  ::fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  if (rc != 0 && errno == EINPROGRESS) {
    fd_set w;
    FD_ZERO(&w);
    FD_SET(fd, &w);
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    rc = ::select(fd + 1, nullptr, &w, nullptr, &tv) == 1 ? 0 : -1;
    int err = 0;
    socklen_t len = sizeof err;
    if (rc == 0 && (::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)) rc = -1;
  }
  if (rc != 0) {
    ::close(fd);
    return -1;
  }
  ::fcntl(fd, F_SETFL, fl);
  set_timeouts(fd, 2000);
  return fd;
}

// A daemon in its own temporary directory; stopped (SIGTERM, then SIGKILL) on destruction.
class Daemon {
 public:
  ~Daemon() { stop(); }
  // Returns "" or why it did not come up.
  std::string start(const std::string& binary, std::vector<std::string> args, int port) {
    port_ = port;
    char tmpl[] = "/tmp/scalebook-oracle-XXXXXX";
    if (!::mkdtemp(tmpl)) return "mkdtemp failed";
    dir_ = tmpl;
    const std::string log = dir_ + "/daemon.log";
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      if (::chdir(dir_.c_str()) != 0) ::_exit(126);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(binary.c_str()));
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(binary.c_str(), argv.data());
      ::_exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return "exited at start-up: " + read_log();
      }
      const int fd = connect_loopback(port_, 200);
      if (fd >= 0) {
        ::close(fd);
        // The port answered, but maybe not our daemon: another test process may hold it
        // (ports drawn at the same moment can coincide) while ours exits on its failed
        // bind. A daemon that cannot bind exits within milliseconds; look once more.
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        if (::waitpid(pid_, &status, WNOHANG) == pid_) {
          pid_ = -1;
          return "exited at start-up (its port is someone else's?): " + read_log();
        }
        return "";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return "no listener on port " + std::to_string(port_) + " after 5 s: " + read_log();
  }
  void stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      bool gone = false;
      for (int i = 0; i < 200 && !gone; ++i) {
        gone = ::waitpid(pid_, &status, WNOHANG) == pid_;
        if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
      if (!gone) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
      pid_ = -1;
    }
    if (!dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
      dir_.clear();
    }
  }
  int port() const { return port_; }
  int pid() const { return pid_; }

 private:
  std::string read_log() const {
    std::ifstream f(dir_ + "/daemon.log");
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
};

// A blocking text-protocol connection with 2 s timeouts on every operation.
class Conn {
 public:
  explicit Conn(int port) : fd_(connect_loopback(port, 2000)) {}
  ~Conn() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }
  void send(const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      const ssize_t n = ::send(fd_, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed or timed out");
      off += static_cast<std::size_t>(n);
    }
  }
  std::string line() {
    for (;;) {
      const auto p = buf_.find("\r\n");
      if (p != std::string::npos) {
        std::string l = buf_.substr(0, p);
        buf_.erase(0, p + 2);
        return l;
      }
      fill();
    }
  }
  std::string bytes(std::size_t n) {  // n bytes then "\r\n"
    while (buf_.size() < n + 2) fill();
    std::string b = buf_.substr(0, n);
    buf_.erase(0, n + 2);
    return b;
  }

 private:
  void fill() {
    char tmp[65536];
    const ssize_t n = ::recv(fd_, tmp, sizeof tmp, 0);
    if (n <= 0) throw std::runtime_error("recv failed or timed out (2 s)");
    buf_.append(tmp, static_cast<std::size_t>(n));
  }
  int fd_ = -1;
  std::string buf_;
};

}  // namespace
}  // namespace scalebook::test_loopback
