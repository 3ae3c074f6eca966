// Live oracle: Debian's nginx (/usr/sbin/nginx, installed by tools/bootstrap) picks
// upstream peers and sim/lb/nginx.h must pick the same ones, request for request.
//
// One nginx (master_process off, daemon off, one process, everything under a temp
// dir, run as `nobody` when the test runs as root) with:
//  - three backends that are server blocks of the same nginx, `return 200 "<id>"`;
//  - upstreams over them: round robin {5,1,1} and {3,2,1}; ip_hash {1,1,1} and {5,1,1};
//  - least_conn {1,1,1} and {2,1,1} over three backends the test itself listens on, so
//    it can hold connections open: a script of "send" steps (the test sees which
//    backend nginx connects to, and keeps it busy) and "finish k" steps (that backend
//    answers; the client reads the whole response, by which time nginx has freed the
//    peer: it finalises the upstream before it closes the client's connection).
// One front server proxies /<upstream>/ to each. Requests go one at a time; for
// ip_hash the client binds its socket to 127.x.y.z (Linux routes 127.0.0.0/8 to lo).
// Every socket operation has a timeout and the whole test has a deadline (10 s);
// nginx missing is a failure, not a skip.
#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <utility>
#include <sstream>
#include <string>
#include <vector>

#include "sim/lb/nginx.h"

#include "../common/loopback_daemon.h"

namespace scalebook::sim::lb {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using scalebook::test_loopback::Fd;  // tests/common/loopback_daemon.h
using scalebook::test_loopback::free_ports;
using scalebook::test_loopback::listen_loopback;

constexpr const char* kNginx = "/usr/sbin/nginx";
constexpr int kOpTimeoutMs = 2000;

// [SECTION] sockets
sockaddr_in loopback(std::uint32_t addr_host_order, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(addr_host_order);
  return a;
}

constexpr std::uint32_t k127001 = 0x7F000001;

void set_timeouts(int fd) {
  timeval tv{kOpTimeoutMs / 1000, (kOpTimeoutMs % 1000) * 1000};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);  // also bounds connect()
}

Fd listen_on_free_port(int& port) { return listen_loopback(port, 16); }

// Connect (optionally from a given 127.x.y.z source) and send one GET.
std::optional<Fd> send_get(int port, const std::string& path, std::uint32_t source = 0) {
  Fd fd(::socket(AF_INET, SOCK_STREAM, 0));
  set_timeouts(fd.get());
  if (source) {
    sockaddr_in s = loopback(source, 0);
    if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&s), sizeof s) != 0) return std::nullopt;
  }
  sockaddr_in a = loopback(k127001, port);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) return std::nullopt;
  const std::string req = "GET " + path + " HTTP/1.1\r\nHost: oracle\r\nConnection: close\r\n\r\n";
  if (::send(fd.get(), req.data(), req.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(req.size())) return std::nullopt;
  return fd;
}

// Read to EOF (timeouts from SO_RCVTIMEO); returns the body, or "" on any error.
std::string read_body(const Fd& fd) {
  std::string all;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0) return "";
    if (n == 0) break;
    all.append(buf, static_cast<std::size_t>(n));
  }
  const auto head_end = all.find("\r\n\r\n");
  if (all.rfind("HTTP/1.1 200", 0) != 0 || head_end == std::string::npos) return "";
  return all.substr(head_end + 4);
}

// Read to EOF; the status code (0 on error) and the body.
std::pair<int, std::string> read_response(const Fd& fd) {
  std::string all;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::recv(fd.get(), buf, sizeof buf, 0);
    if (n < 0) return {0, ""};
    if (n == 0) break;
    all.append(buf, static_cast<std::size_t>(n));
  }
  const auto head_end = all.find("\r\n\r\n");
  if (all.rfind("HTTP/1.1 ", 0) != 0 || head_end == std::string::npos) return {0, ""};
  return {std::atoi(all.c_str() + 9), all.substr(head_end + 4)};
}

// [SECTION] nginx process
struct Backend {  // a backend the test serves itself (least_conn)
  Fd listener;
  int port = 0;
};

class NginxOracle {
 public:
  bool start(std::string& why) {
    if (::access(kNginx, X_OK) != 0) {
      why = std::string(kNginx) + " is missing or not executable: install Debian's nginx (tools/bootstrap)";
      return false;
    }
    char tmpl[] = "/tmp/scalebook-lb-nginx-XXXXXX";
    if (!::mkdtemp(tmpl)) {
      why = "mkdtemp failed";
      return false;
    }
    dir_ = tmpl;
    const std::vector<int> ports = free_ports(4);  // distinct (free_port() four times may repeat one)
    for (int i = 0; i < 3; ++i) nginx_backend_port_[i] = ports[static_cast<std::size_t>(i)];
    for (auto& b : own_) b.listener = listen_on_free_port(b.port);
    front_port_ = ports[3];
    write_conf();
    if (::geteuid() == 0) {
      const passwd* nobody = ::getpwnam("nobody");
      if (nobody) {
        uid_ = nobody->pw_uid;
        gid_ = nobody->pw_gid;
        for (const auto& e : fs::recursive_directory_iterator(dir_)) (void)::chown(e.path().c_str(), uid_, gid_);
        (void)::chown(dir_.c_str(), uid_, gid_);
      }
    }
    pid_ = ::fork();
    if (pid_ == 0) {
      const std::string log = dir_ + "/stderr.log";
      const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (out >= 0) {
        ::dup2(out, 1);
        ::dup2(out, 2);
      }
      if (uid_) {
        (void)::setgroups(0, nullptr);
        (void)::setgid(gid_);
        (void)::setuid(uid_);
      }
      const std::string prefix = dir_ + "/", conf = dir_ + "/nginx.conf", err = dir_ + "/error.log";
      ::execl(kNginx, kNginx, "-p", prefix.c_str(), "-c", conf.c_str(), "-e", err.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    const auto deadline = Clock::now() + std::chrono::seconds(4);
    while (Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        why = "nginx exited at start: " + slurp(dir_ + "/stderr.log") + slurp(dir_ + "/error.log");
        return false;
      }
      Fd probe(::socket(AF_INET, SOCK_STREAM, 0));
      sockaddr_in a = loopback(k127001, front_port_);
      if (::connect(probe.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) return true;
      ::usleep(20000);
    }
    why = "nginx did not listen within 4 s";
    return false;
  }

  ~NginxOracle() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      for (int i = 0; i < 200 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) ::usleep(10000);
      if (::waitpid(pid_, &status, WNOHANG) == 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status, 0);
      }
    }
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  int front_port() const { return front_port_; }
  Backend& own(int i) { return own_[static_cast<std::size_t>(i)]; }
  std::string error_log() const { return slurp(dir_ + "/error.log"); }

 private:
  static std::string slurp(const std::string& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
  }

  void write_conf() {
    auto nginx_servers = [&](const std::vector<int>& w) {
      std::string s;
      for (int i = 0; i < 3; ++i)
        s += "        server 127.0.0.1:" + std::to_string(nginx_backend_port_[i]) + " weight=" + std::to_string(w[static_cast<std::size_t>(i)]) + ";\n";
      return s;
    };
    auto own_servers = [&](const std::vector<int>& w) {
      std::string s;
      for (int i = 0; i < 3; ++i)
        s += "        server 127.0.0.1:" + std::to_string(own_[static_cast<std::size_t>(i)].port) + " weight=" + std::to_string(w[static_cast<std::size_t>(i)]) + ";\n";
      return s;
    };
    std::ofstream f(dir_ + "/nginx.conf");
    f << "# written by tests/unit/lb_nginx_oracle_test.cpp\n"
      << "master_process off;\ndaemon off;\nworker_processes 1;\n"
      << "pid " << dir_ << "/nginx.pid;\nlock_file " << dir_ << "/nginx.lock;\n"
      << "error_log " << dir_ << "/error.log notice;\n"
      << "events { worker_connections 256; }\nhttp {\n    access_log off;\n"
      << "    client_body_temp_path " << dir_ << "/body;\n    proxy_temp_path " << dir_ << "/proxy;\n"
      << "    fastcgi_temp_path " << dir_ << "/fastcgi;\n    uwsgi_temp_path " << dir_ << "/uwsgi;\n"
      << "    scgi_temp_path " << dir_ << "/scgi;\n"
      << "    upstream rr511 {\n" << nginx_servers({5, 1, 1}) << "    }\n"
      << "    upstream rr321 {\n" << nginx_servers({3, 2, 1}) << "    }\n"
      << "    upstream ip111 {\n        ip_hash;\n" << nginx_servers({1, 1, 1}) << "    }\n"
      << "    upstream ip511 {\n        ip_hash;\n" << nginx_servers({5, 1, 1}) << "    }\n"
      << "    upstream lc111 {\n        least_conn;\n" << own_servers({1, 1, 1}) << "    }\n"
      << "    upstream lc211 {\n        least_conn;\n" << own_servers({2, 1, 1}) << "    }\n"
      << "    upstream rrfail {\n" << own_servers({1, 1, 1}) << "    }\n";
    for (int i = 0; i < 3; ++i)
      f << "    server { listen 127.0.0.1:" << nginx_backend_port_[i] << "; return 200 \"" << static_cast<char>('a' + i)
        << "\"; }\n";
    f << "    server {\n        listen 127.0.0.1:" << front_port_ << ";\n";
    for (const char* u : {"rr511", "rr321", "ip111", "ip511", "lc111", "lc211", "rrfail"})
      f << "        location /" << u << "/ { proxy_pass http://" << u << "; }\n";
    f << "    }\n}\n";
  }

  std::string dir_;
  pid_t pid_ = -1;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  int nginx_backend_port_[3] = {};
  Backend own_[3];
  int front_port_ = 0;
};

// [SECTION] the comparisons
std::vector<NginxServer> servers(const std::vector<int>& weights) {
  std::vector<NginxServer> v;
  for (std::size_t i = 0; i < weights.size(); ++i)
    v.push_back(NginxServer{.name = std::string(1, static_cast<char>('a' + i)), .weight = weights[i]});
  return v;
}

class LbNginxOracle : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    started_at_ = Clock::now();
    oracle_ = new NginxOracle();
    if (!oracle_->start(why_)) {
      delete oracle_;
      oracle_ = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete oracle_;
    oracle_ = nullptr;
    const double s = std::chrono::duration<double>(Clock::now() - started_at_).count();
    EXPECT_LT(s, 10.0) << "the oracle suite must stay under 10 s";
  }
  void SetUp() override { ASSERT_NE(oracle_, nullptr) << "cannot run nginx: " << why_; }

  // Sequential requests to /<upstream>/, each answered before the next: nginx's picks as ids.
  std::string nginx_sequence(const std::string& upstream, const std::vector<std::uint32_t>& sources) {
    std::string picks;
    for (std::uint32_t src : sources) {
      auto fd = send_get(oracle_->front_port(), "/" + upstream + "/", src);
      if (!fd) return picks + "!send";
      const std::string body = read_body(*fd);
      picks += body.size() == 1 ? body : "?";
    }
    return picks;
  }

  static NginxOracle* oracle_;
  static std::string why_;
  static Clock::time_point started_at_;
};
NginxOracle* LbNginxOracle::oracle_ = nullptr;
std::string LbNginxOracle::why_;
Clock::time_point LbNginxOracle::started_at_;

std::string model_sequence(NginxUpstream& u, const std::vector<std::uint32_t>& sources) {
  std::string s;
  for (std::uint32_t src : sources) s += static_cast<char>('a' + u.pick_and_release(src ? src : k127001, 0));
  return s;
}

TEST_F(LbNginxOracle, WeightedRoundRobin511MatchesRequestForRequest) {
  const std::vector<std::uint32_t> plain(21, 0);
  NginxUpstream model(servers({5, 1, 1}), NginxMethod::kRoundRobin);
  const std::string expected = model_sequence(model, plain);
  EXPECT_EQ(expected.substr(0, 7), "aabacaa");
  EXPECT_EQ(nginx_sequence("rr511", plain), expected);
}

TEST_F(LbNginxOracle, WeightedRoundRobin321MatchesRequestForRequest) {
  const std::vector<std::uint32_t> plain(18, 0);
  NginxUpstream model(servers({3, 2, 1}), NginxMethod::kRoundRobin);
  EXPECT_EQ(nginx_sequence("rr321", plain), model_sequence(model, plain));
}

std::vector<std::uint32_t> client_addresses() {
  std::vector<std::uint32_t> v;
  for (std::uint32_t i = 0; i < 40; ++i)  // 127.x.y.z spread over the hashed octets; each twice
    v.push_back(0x7F000000u | ((i * 37) % 256) << 16 | ((i * 91 + 3) % 256) << 8 | (1 + i % 250));
  const auto n = v.size();
  for (std::size_t i = 0; i < n; ++i) v.push_back(v[n - 1 - i] ^ 0x7Fu);  // same /24, other host byte
  return v;
}

TEST_F(LbNginxOracle, IpHashEqualWeightsMatchesForClientAddresses) {
  const auto sources = client_addresses();
  NginxUpstream model(servers({1, 1, 1}), NginxMethod::kIpHash);
  const std::string expected = model_sequence(model, sources);
  EXPECT_NE(expected.find('a'), std::string::npos);
  EXPECT_NE(expected.find('b'), std::string::npos);
  EXPECT_NE(expected.find('c'), std::string::npos);
  EXPECT_EQ(nginx_sequence("ip111", sources), expected);
}

TEST_F(LbNginxOracle, IpHashWeighted511MatchesForClientAddresses) {
  const auto sources = client_addresses();
  NginxUpstream model(servers({5, 1, 1}), NginxMethod::kIpHash);
  EXPECT_EQ(nginx_sequence("ip511", sources), model_sequence(model, sources));
}

// least_conn under a script: 's' = a new request (held open by its backend),
// a digit k = the k-th request sent so far (0-based) is answered and read.
void run_least_conn_script(NginxOracle& o, const std::string& upstream, const std::vector<int>& weights,
                           const std::string& script) {
  NginxUpstream model(servers(weights), NginxMethod::kLeastConn);
  struct Held {
    Fd client;
    Fd backend;
    int peer = -1;
    bool done = false;
  };
  std::vector<Held> held;
  std::string nginx_picks, model_picks;
  for (char step : script) {
    if (step == 's') {
      auto client = send_get(o.front_port(), "/" + upstream + "/");
      ASSERT_TRUE(client.has_value()) << "send to the front server failed";
      pollfd pf[3];
      for (int i = 0; i < 3; ++i) pf[i] = pollfd{o.own(i).listener.get(), POLLIN, 0};
      ASSERT_GT(::poll(pf, 3, kOpTimeoutMs), 0) << "nginx connected to no backend within 2 s";
      int ready = -1, count = 0;
      for (int i = 0; i < 3; ++i)
        if (pf[i].revents & POLLIN) ready = i, ++count;
      ASSERT_EQ(count, 1) << "more than one backend contacted for one request";
      Fd conn(::accept(o.own(ready).listener.get(), nullptr, nullptr));
      set_timeouts(conn.get());
      NginxRequest r = model.begin_request();
      const int m = model.pick(r, 0);
      nginx_picks += static_cast<char>('a' + ready);
      model_picks += static_cast<char>('a' + m);
      held.push_back(Held{std::move(*client), std::move(conn), ready, false});
    } else {
      const auto k = static_cast<std::size_t>(step - '0');
      ASSERT_LT(k, held.size());
      Held& h = held[k];
      ASSERT_FALSE(h.done);
      char buf[2048];
      (void)::recv(h.backend.get(), buf, sizeof buf, 0);  // the proxied request
      const std::string resp = "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\n" + std::string(1, static_cast<char>('a' + h.peer));
      ASSERT_EQ(::send(h.backend.get(), resp.data(), resp.size(), MSG_NOSIGNAL), static_cast<ssize_t>(resp.size()));
      h.backend.reset();
      ASSERT_EQ(read_body(h.client), std::string(1, static_cast<char>('a' + h.peer))) << "response through nginx";
      h.done = true;
      model.release(h.peer, false, 0);
    }
  }
  EXPECT_EQ(nginx_picks, model_picks) << "script " << script;
  // Let every still-held request finish so nginx ends clean.
  for (auto& h : held) {
    if (h.done) continue;
    const std::string resp = "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nz";
    (void)::send(h.backend.get(), resp.data(), resp.size(), MSG_NOSIGNAL);
    h.backend.reset();
    (void)read_body(h.client);
  }
}

TEST_F(LbNginxOracle, LeastConnEqualWeightsUnderScriptedConcurrency) {
  // Ties broken by round robin, fewest connections first, releases reopening a peer.
  run_least_conn_script(*oracle_, "lc111", {1, 1, 1}, "sss1s0ss3s24s5s");
}

TEST_F(LbNginxOracle, LeastConnWeighted211UnderScriptedConcurrency) {
  run_least_conn_script(*oracle_, "lc211", {2, 1, 1}, "ssss0s1ss25s3s");
}

// Passive failures: a scripted backend accepts and closes without answering (nginx:
// "upstream prematurely closed connection" or a reset, proxy_next_upstream's `error`),
// so nginx marks a failure (max_fails=1, fail_timeout=10s, the defaults) and tries the
// next peer. Each request's contacts, in order, and its status must match the model,
// which is given nginx's own clock (ngx_time(): whole seconds) for its checked times.
TEST_F(LbNginxOracle, PassiveFailuresMarkPeersDownAsNginxDoes) {
  struct Fail {
    int request;
    int backend;
  };
  const std::vector<Fail> fails = {{0, 0}, {2, 1}, {5, 2}};
  auto scripted_fail = [&](int request, int backend) {
    for (const auto& f : fails)
      if (f.request == request && f.backend == backend) return true;
    return false;
  };
  NginxUpstream model(servers({1, 1, 1}), NginxMethod::kRoundRobin);
  std::string nginx_log, model_log;
  for (int q = 0; q < 8; ++q) {
    // The model.
    const std::int64_t now_us = static_cast<std::int64_t>(::time(nullptr)) * 1000000;
    NginxRequest req = model.begin_request();
    for (;;) {
      const int p = model.pick(req, now_us);
      if (p < 0) {
        model_log += "502";
        break;
      }
      model_log += static_cast<char>('a' + p);
      const bool failed = scripted_fail(q, p);
      model.release(p, failed, now_us);
      if (!failed) {
        model_log += "200";
        break;
      }
    }
    model_log += '|';
    // nginx.
    auto client = send_get(oracle_->front_port(), "/rrfail/");
    ASSERT_TRUE(client.has_value());
    for (;;) {
      pollfd pf[4];
      for (int i = 0; i < 3; ++i) pf[i] = pollfd{oracle_->own(i).listener.get(), POLLIN, 0};
      pf[3] = pollfd{client->get(), POLLIN, 0};
      ASSERT_GT(::poll(pf, 4, kOpTimeoutMs), 0) << "nginx did nothing within 2 s (request " << q << ")";
      int ready = -1;
      for (int i = 0; i < 3; ++i)
        if (pf[i].revents & POLLIN) ready = i;
      if (ready < 0) {  // no backend contacted: nginx answered by itself
        const auto [status, body] = read_response(*client);
        nginx_log += std::to_string(status);
        break;
      }
      Fd conn(::accept(oracle_->own(ready).listener.get(), nullptr, nullptr));
      nginx_log += static_cast<char>('a' + ready);
      if (scripted_fail(q, ready)) continue;  // conn closes here, unanswered
      set_timeouts(conn.get());
      char buf[2048];
      (void)::recv(conn.get(), buf, sizeof buf, 0);
      const std::string resp = "HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx";
      ASSERT_EQ(::send(conn.get(), resp.data(), resp.size(), MSG_NOSIGNAL), static_cast<ssize_t>(resp.size()));
      conn.reset();
      const auto [status, body] = read_response(*client);
      nginx_log += std::to_string(status);
      break;
    }
    nginx_log += '|';
  }
  // Written out: a fails → b; c; b fails → c (a is out too); c; c; c fails → no live
  // upstream left: 502; then 502 at once, with no backend contacted.
  EXPECT_EQ(model_log, "ab200|c200|bc200|c200|c200|c502|502|502|");
  EXPECT_EQ(nginx_log, model_log) << oracle_->error_log().substr(0, 2000);
}

}  // namespace
}  // namespace scalebook::sim::lb
