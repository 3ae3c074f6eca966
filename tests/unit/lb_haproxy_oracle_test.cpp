// Live oracle: Debian's haproxy (2.6, /usr/sbin/haproxy, installed by tools/bootstrap)
// balances requests and sim/lb/haproxy.h must pick the same servers, pick for pick.
//
// One haproxy (foreground -db, nbthread 1, config and log in temp dirs, loopback
// only, free ports) with:
//  - eight "name" frontends that answer every request with their name
//    (`http-request return ... string sK`): the servers of the backends below;
//  - `balance roundrobin` backends over them, weights {1,1,1}, {5,1,1}, {3,2,1},
//    {10,7,3,1}, {1,2,3,4,5}, {2,0,1}, {7,5,3,2,1,1,1,1} (420 sequential requests
//    each: 20 or more full cycles) and {256,1,13,7,2,1,1} (562: two 281-pick cycles);
//  - a `balance leastconn` backend over name frontends, requests sequential;
//  - `balance leastconn` backends over listeners the test itself owns, so it can
//    hold connections open: a scripted mix of "open" (send a request, see which
//    listener haproxy connects to, keep both sides open) and "close k" (answer the
//    k-th held request, read the reply, wait until haproxy's `show stat` scur for
//    the backend's servers equals the model's connection counts) steps.
// Each request has its own client connection (Connection: close), so each one is
// balanced. A missing binary is a failure ("run tools/bootstrap"), never a skip.
// Every socket operation times out after 2 s; the suite must stay under 10 s.
//
// [SECTION] sockets
// [SECTION] the haproxy under test
// [SECTION] roundrobin
// [SECTION] leastconn
#include <gtest/gtest.h>

#include <poll.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sim/lb/haproxy.h"

#include "../common/loopback_daemon.h"

namespace scalebook::sim::lb {
namespace {

using namespace scalebook::test_loopback;  // NOLINT
using Algo = HaproxyBalancer::Algorithm;
using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr int kOpTimeoutMs = 2000;

// [SECTION] sockets

// A new client connection carrying one GET; the connection is not read yet.
Fd send_get(int port) {
  Fd fd(connect_loopback(port, kOpTimeoutMs));
  if (fd.ok() && !send_all(fd.get(), "GET / HTTP/1.1\r\nHost: oracle\r\nConnection: close\r\n\r\n")) fd.reset();
  return fd;
}

// The body of a 200 response read to EOF, or a "!..." marker saying what went wrong.
std::string body_of(const Fd& fd) {
  if (!fd.ok()) return "!connect";
  const auto all = read_to_eof(fd.get());
  if (!all) return "!recv";
  const auto head_end = all->find("\r\n\r\n");
  if (all->rfind("HTTP/1.1 200", 0) != 0 || head_end == std::string::npos) return "!status:" + all->substr(0, 40);
  return all->substr(head_end + 4);
}

// [SECTION] the haproxy under test

struct RrCase {
  std::string name;
  std::vector<int> weights;
  int requests;
};
const std::vector<RrCase>& rr_cases() {
  static const std::vector<RrCase> v = {
      {"rr111", {1, 1, 1}, 420},       {"rr511", {5, 1, 1}, 420},         {"rr321", {3, 2, 1}, 420},
      {"rr10731", {10, 7, 3, 1}, 420}, {"rr12345", {1, 2, 3, 4, 5}, 420}, {"rr201", {2, 0, 1}, 420},
      // Extreme weights: 256 is HAProxy's maximum; a 281-pick round.
      {"rr75321111", {7, 5, 3, 2, 1, 1, 1, 1}, 420},
      {"rrwide", {256, 1, 13, 7, 2, 1, 1}, 562},
  };
  return v;
}

struct LcCase {
  std::string name;
  std::vector<int> weights;
  int max_open;        // at most this many requests held at once
  int steps;           // open/close steps
  std::uint64_t seed;  // drives the script
};
const std::vector<LcCase>& lc_cases() {
  static const std::vector<LcCase> v = {
      {"lc111", {1, 1, 1}, 4, 120, 11},     {"lc31", {3, 1}, 7, 140, 12},          {"lc511", {5, 1, 1}, 9, 160, 13},
      {"lc2314", {2, 3, 1, 4}, 10, 160, 14}, {"lc201", {2, 0, 1}, 5, 100, 15}, {"lc12345", {1, 2, 3, 4, 5}, 12, 180, 16},
  };
  return v;
}
constexpr int kNameServers = 8;  // the widest roundrobin case
constexpr int kOwnServers = 5;   // the widest leastconn case

class HaproxyOracle {
 public:
  ~HaproxyOracle() {
    daemon_.stop();
    if (!conf_dir_.empty()) {
      std::error_code ec;
      fs::remove_all(conf_dir_, ec);
    }
  }

  // "" when haproxy is up, else why not.
  std::string start() {
    const auto bin = find_binary("haproxy");
    if (!bin) return "haproxy is not installed: run tools/bootstrap (as root); it installs Debian's haproxy package";
    char tmpl[] = "/tmp/scalebook-haproxy-conf-XXXXXX";
    if (!::mkdtemp(tmpl)) return "mkdtemp failed";
    conf_dir_ = tmpl;
    for (int i = 0; i < kOwnServers; ++i) {
      own_[static_cast<std::size_t>(i)] = listen_loopback(own_port_[static_cast<std::size_t>(i)]);
      if (!own_[static_cast<std::size_t>(i)].ok()) return "cannot listen on loopback";
    }
    // haproxy binds its ports a moment after they were drawn; another test process (ctest
    // runs them in parallel) can take one in between, and then haproxy exits at once. So a
    // failed start is tried again on fresh ports, up to three times.
    std::string why;
    for (int attempt = 0; attempt < 3; ++attempt) {
      const std::vector<int> ports = free_ports(kNameServers + 1 + rr_cases().size() + lc_cases().size() + 1);
      std::size_t k = 0;
      for (auto& p : name_port_) p = ports[k++];
      stats_port_ = ports[k++];
      for (const auto& c : rr_cases()) front_[c.name] = ports[k++];
      for (const auto& c : lc_cases()) front_[c.name] = ports[k++];
      front_["lcseq"] = ports[k++];
      const std::string conf = conf_dir_ + "/haproxy.cfg";
      std::ofstream(conf) << config();
      why = daemon_.start(*bin, {"-db", "-f", conf}, front_.at("rr111"));
      // Daemon::start saw one listener; haproxy enables the others one by one, so wait
      // for every port before the first request (a connection closed before any request
      // is balanced nowhere: in mode http the server is chosen once a request is parsed).
      if (why.empty()) why = wait_for_every_listener();
      if (why.empty()) why = check_it_is_ours();
      if (why.empty()) return why;
      daemon_.stop();
    }
    return why;
  }

  std::string wait_for_every_listener() const {
    std::vector<int> ports(name_port_.begin(), name_port_.end());
    ports.push_back(stats_port_);
    for (const auto& [name, port] : front_) ports.push_back(port);
    const auto deadline = Clock::now() + std::chrono::seconds(3);
    for (const int port : ports) {
      for (;;) {
        const int fd = connect_loopback(port, 200);
        if (fd >= 0) {
          ::close(fd);
          break;
        }
        if (Clock::now() > deadline) return "haproxy is not listening on port " + std::to_string(port) + " after 3 s";
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    return "";
  }

  // Ports drawn by two test processes at once can coincide (bind(0) hands them out nearly
  // in sequence): then the other process's haproxy may hold one of ours, ours exits on the
  // failed bind, and the listener check above was answered by theirs. The stats socket
  // names the process behind it; the ports are ours only if that is our child, still alive.
  std::string check_it_is_ours() const {
    Fd fd(connect_loopback(stats_port_, kOpTimeoutMs));
    if (!fd.ok() || !send_all(fd.get(), "show info\n")) return "no stats socket";
    const auto text = read_to_eof(fd.get());
    if (!text) return "no answer on the stats socket";
    const auto at = text->find("\nPid: ");
    const int pid = at == std::string::npos ? -1 : std::atoi(text->c_str() + at + 6);
    int status = 0;
    if (pid != daemon_.pid() || ::waitpid(daemon_.pid(), &status, WNOHANG) != 0)
      return "another process answers on our ports (pid " + std::to_string(pid) + ", ours " +
             std::to_string(daemon_.pid()) + ")";
    return "";
  }

  int front(const std::string& name) const { return front_.at(name); }
  int own_listener(int i) const { return own_[static_cast<std::size_t>(i)].get(); }

  // Server i's current sessions (show stat "scur") in backend <name>, −1 if unknown.
  std::vector<int> scur(const std::string& backend, int servers) const {
    std::vector<int> out(static_cast<std::size_t>(servers), -1);
    Fd fd(connect_loopback(stats_port_, kOpTimeoutMs));
    if (!fd.ok() || !send_all(fd.get(), "show stat\n")) return out;
    const auto text = read_to_eof(fd.get());
    if (!text) return out;
    std::stringstream ss(*text);
    for (std::string line; std::getline(ss, line);) {
      std::vector<std::string> f;
      std::stringstream ls(line);
      for (std::string x; std::getline(ls, x, ',');) f.push_back(x);
      // # pxname,svname,qcur,qmax,scur,...
      if (f.size() < 5 || f[0] != backend || f[1].size() < 2 || f[1][0] != 's') continue;
      const int k = std::atoi(f[1].c_str() + 1) - 1;
      if (k >= 0 && k < servers) out[static_cast<std::size_t>(k)] = std::atoi(f[4].c_str());
    }
    return out;
  }

 private:
  static std::string servers(const std::vector<int>& weights, const int* ports) {
    std::string s;
    for (std::size_t i = 0; i < weights.size(); ++i)
      s += "    server s" + std::to_string(i + 1) + " 127.0.0.1:" + std::to_string(ports[i]) + " weight " +
           std::to_string(weights[i]) + "\n";
    return s;
  }
  std::string listen(const std::string& name, const char* balance, const std::vector<int>& weights,
                     const int* ports) const {
    return "listen " + name + "\n    bind 127.0.0.1:" + std::to_string(front_.at(name)) + "\n    balance " + balance +
           "\n" + servers(weights, ports);
  }
  std::string config() const {
    std::string c = "# written by tests/unit/lb_haproxy_oracle_test.cpp\n"
                    // noreuseport: haproxy binds with SO_REUSEPORT by default, so two test
                    // processes (ctest runs them in parallel) that drew the same port would
                    // both bind it and the kernel would split connections between them;
                    // without it the second bind fails and start() tries fresh ports.
                    "global\n    nbthread 1\n    noreuseport\n    stats socket ipv4@127.0.0.1:" +
                    std::to_string(stats_port_) +
                    " level operator\n"
                    "defaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n"
                    "    timeout server 10s\n";
    for (int i = 0; i < kNameServers; ++i)
      c += "frontend name" + std::to_string(i + 1) + "\n    bind 127.0.0.1:" +
           std::to_string(name_port_[static_cast<std::size_t>(i)]) +
           "\n    http-request return status 200 content-type text/plain string s" + std::to_string(i + 1) + "\n";
    for (const auto& rc : rr_cases()) c += listen(rc.name, "roundrobin", rc.weights, name_port_.data());
    c += listen("lcseq", "leastconn", {5, 1, 1}, name_port_.data());
    for (const auto& lc : lc_cases()) c += listen(lc.name, "leastconn", lc.weights, own_port_.data());
    return c;
  }

  Daemon daemon_;
  std::string conf_dir_;
  std::array<int, kNameServers> name_port_{};
  std::array<Fd, kOwnServers> own_;
  std::array<int, kOwnServers> own_port_{};
  int stats_port_ = 0;
  std::map<std::string, int> front_;
};

class LbHaproxyOracle : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    started_at_ = Clock::now();
    oracle_ = new HaproxyOracle();
    why_ = oracle_->start();
    if (!why_.empty()) {
      delete oracle_;
      oracle_ = nullptr;
    }
  }
  static void TearDownTestSuite() {
    delete oracle_;  // stops haproxy, removes the temp dirs
    oracle_ = nullptr;
    const double s = std::chrono::duration<double>(Clock::now() - started_at_).count();
    std::printf("[oracle] haproxy suite took %.2f s\n", s);
    EXPECT_LT(s, 10.0) << "the oracle suite must stay under 10 s";
  }
  void SetUp() override { ASSERT_NE(oracle_, nullptr) << "cannot run haproxy: " << why_; }

  static HaproxyOracle* oracle_;
  static std::string why_;
  static Clock::time_point started_at_;
};
HaproxyOracle* LbHaproxyOracle::oracle_ = nullptr;
std::string LbHaproxyOracle::why_;
Clock::time_point LbHaproxyOracle::started_at_;

// A server index as a letter (s1 = 'a'); '?' for anything else.
char letter_of_body(const std::string& body) {
  if (body.size() < 2 || body[0] != 's') return '?';
  const int k = std::atoi(body.c_str() + 1);
  return k >= 1 && k <= 26 ? static_cast<char>('a' + k - 1) : '?';
}

// Sequential requests to a frontend over name servers: haproxy's picks as letters.
std::string haproxy_sequence(int port, int requests) {
  std::string picks;
  for (int i = 0; i < requests; ++i) {
    const std::string body = body_of(send_get(port));
    if (body.empty() || body[0] == '!') return picks + "[request " + std::to_string(i) + ": " + body + "]";
    picks += letter_of_body(body);
  }
  return picks;
}

// The model, each connection ending before the next starts.
std::string model_sequence(const std::vector<int>& weights, Algo algo, int requests) {
  HaproxyBalancer m(weights, algo);
  std::string s;
  for (int i = 0; i < requests; ++i) {
    const int p = m.pick();
    s += p < 0 ? '-' : static_cast<char>('a' + p);
    m.release(p);
  }
  return s;
}

// [SECTION] roundrobin

void check_round_robin(HaproxyOracle& o, const std::string& name) {
  for (const auto& c : rr_cases()) {
    if (c.name != name) continue;
    const std::string model = model_sequence(c.weights, Algo::kRoundRobin, c.requests);
    EXPECT_EQ(haproxy_sequence(o.front(c.name), c.requests), model) << name << ": haproxy vs model";
    return;
  }
  FAIL() << "no case " << name;
}

TEST_F(LbHaproxyOracle, RoundRobin111) { check_round_robin(*oracle_, "rr111"); }
TEST_F(LbHaproxyOracle, RoundRobin511) { check_round_robin(*oracle_, "rr511"); }
TEST_F(LbHaproxyOracle, RoundRobin321) { check_round_robin(*oracle_, "rr321"); }
TEST_F(LbHaproxyOracle, RoundRobin10731) { check_round_robin(*oracle_, "rr10731"); }
TEST_F(LbHaproxyOracle, RoundRobin12345) { check_round_robin(*oracle_, "rr12345"); }
TEST_F(LbHaproxyOracle, RoundRobinWeightZeroIsNeverPicked) { check_round_robin(*oracle_, "rr201"); }
TEST_F(LbHaproxyOracle, RoundRobin75321111) { check_round_robin(*oracle_, "rr75321111"); }
TEST_F(LbHaproxyOracle, RoundRobinWideWeights) { check_round_robin(*oracle_, "rrwide"); }

// [SECTION] leastconn

// Sequential: every connection has ended before the next request, so every
// server is idle (key 0) at each pick and haproxy rotates through them.
TEST_F(LbHaproxyOracle, LeastConnSequentialRequestsRotateWhateverTheWeights) {
  const std::string model = model_sequence({5, 1, 1}, Algo::kLeastConn, 60);
  EXPECT_EQ(model.substr(0, 6), "abcabc");
  EXPECT_EQ(haproxy_sequence(oracle_->front("lcseq"), 60), model);
}

// A request held open: the client's side and the server side the test accepted.
struct Held {
  Fd client;
  Fd server;
  int picked = -1;
};

// Which of the test's listeners haproxy connects to next (−1 on timeout), accepted.
int accept_next(HaproxyOracle& o, int servers, Fd& accepted) {
  std::vector<pollfd> p;
  for (int i = 0; i < servers; ++i) p.push_back(pollfd{o.own_listener(i), POLLIN, 0});
  if (::poll(p.data(), p.size(), kOpTimeoutMs) <= 0) return -1;
  for (int i = 0; i < servers; ++i) {
    if (!(p[static_cast<std::size_t>(i)].revents & POLLIN)) continue;
    accepted = Fd(::accept(o.own_listener(i), nullptr, nullptr));
    if (accepted.ok()) set_timeouts(accepted.get(), kOpTimeoutMs);
    return accepted.ok() ? i : -1;
  }
  return -1;
}

// Wait (bounded) until haproxy's session counts equal the model's.
bool counts_agree(HaproxyOracle& o, const std::string& backend, const HaproxyBalancer& m, std::string& last) {
  const auto deadline = Clock::now() + std::chrono::milliseconds(kOpTimeoutMs);
  for (;;) {
    const auto real = o.scur(backend, m.servers());
    bool same = true;
    last.clear();
    for (int i = 0; i < m.servers(); ++i) {
      same = same && real[static_cast<std::size_t>(i)] == m.conns(i);
      last += std::to_string(real[static_cast<std::size_t>(i)]) + "/" + std::to_string(m.conns(i)) + " ";
    }
    if (same) return true;
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// A scripted mix of opens and closes (a fixed LCG: the same script every run).
void check_least_conn(HaproxyOracle& o, const std::string& name) {
  const LcCase* found = nullptr;
  for (const auto& c : lc_cases())
    if (c.name == name) found = &c;
  ASSERT_NE(found, nullptr) << "no case " << name;
  const LcCase& c = *found;
  const int n = static_cast<int>(c.weights.size());
  HaproxyBalancer m(c.weights, Algo::kLeastConn);
  std::vector<Held> held;
  std::string real, model, script;
  std::uint64_t x = c.seed;
  const auto next = [&x](std::uint64_t bound) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return (x >> 33) % bound;
  };
  for (int step = 0; step < c.steps; ++step) {
    // Open more often than close while below the cap, so the counts climb and fall.
    const bool open = held.empty() || (static_cast<int>(held.size()) < c.max_open && next(5) < 3);
    if (open) {
      Held h;
      h.client = send_get(o.front(c.name));
      ASSERT_TRUE(h.client.ok()) << name << " step " << step << ": cannot send to haproxy";
      h.picked = accept_next(o, n, h.server);
      ASSERT_GE(h.picked, 0) << name << " step " << step << ": haproxy connected to no server within 2 s";
      const int p = m.pick();
      real += static_cast<char>('a' + h.picked);
      model += static_cast<char>('a' + p);
      script += 'o';
      ASSERT_EQ(real, model) << name << " step " << step << " (script " << script << "): haproxy vs model";
      held.push_back(std::move(h));
      continue;
    }
    const auto k = static_cast<std::size_t>(next(held.size()));
    Held h = std::move(held[k]);
    held.erase(held.begin() + static_cast<std::ptrdiff_t>(k));
    ASSERT_TRUE(send_all(h.server.get(), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"));
    h.server.reset();
    ASSERT_EQ(body_of(h.client), "ok") << name << " step " << step;
    m.release(h.picked);
    script += static_cast<char>('a' + h.picked);
    std::string counts;
    ASSERT_TRUE(counts_agree(o, c.name, m, counts))
        << name << " step " << step << ": scur haproxy/model per server: " << counts;
  }
  std::printf("[oracle] %s: %zu picks matched, script %s\n", name.c_str(), real.size(), script.c_str());
  // Close what is still held, so the next case starts with idle servers.
  for (auto& h : held) {
    send_all(h.server.get(), "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
    h.server.reset();
    (void)body_of(h.client);
  }
}

TEST_F(LbHaproxyOracle, LeastConnHeld111) { check_least_conn(*oracle_, "lc111"); }
TEST_F(LbHaproxyOracle, LeastConnHeld31) { check_least_conn(*oracle_, "lc31"); }
TEST_F(LbHaproxyOracle, LeastConnHeld511) { check_least_conn(*oracle_, "lc511"); }
TEST_F(LbHaproxyOracle, LeastConnHeld2314) { check_least_conn(*oracle_, "lc2314"); }
TEST_F(LbHaproxyOracle, LeastConnHeldWeightZeroIsNeverPicked) { check_least_conn(*oracle_, "lc201"); }
TEST_F(LbHaproxyOracle, LeastConnHeld12345) { check_least_conn(*oracle_, "lc12345"); }

}  // namespace
}  // namespace scalebook::sim::lb
