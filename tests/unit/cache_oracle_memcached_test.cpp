// Live oracle: a real memcached (the Debian package, 1.6.18) on a free loopback
// port, started and stopped by each test, against two of our models:
//  * MetaLease (src/sim/cache/meta_lease.h): the same mg/ms/md script is sent
//    to both; the status and the W/Z/X flags must agree request for request.
//  * MemcachedSlru (src/sim/cache/memcached.h): one Zipf workload (get, and set
//    on a miss) through a memcached with a 2-page memory limit and through the
//    model with the item capacity `stats slabs` reports; HOT/WARM/COLD counts
//    from `stats items` and the hit counts must be close (tolerance below).
// A missing binary is a failure ("run tools/bootstrap"), never a skip.
//
// [SECTION] daemon and socket helpers: tests/common/loopback_daemon.h
// [SECTION] the lease script
// [SECTION] the segmented-LRU workload
#include <gtest/gtest.h>

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
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sim/cache/memcached.h"
#include "sim/cache/meta_lease.h"
#include "sim/core/rng.h"

#include "../common/loopback_daemon.h"

namespace cache = scalebook::sim::cache;
using cache::MetaLease;

using namespace scalebook::test_loopback;  // NOLINT

namespace {

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  for (std::string t; ss >> t;) out.push_back(t);
  return out;
}

// Starts memcached or fails the test with the reason.
#define START_MEMCACHED(daemon, extra)                                                                  \
  do {                                                                                                  \
    const auto bin = find_binary("memcached");                                                          \
    ASSERT_TRUE(bin.has_value()) << "memcached is not installed: run tools/bootstrap (as root)";       \
    const int port = free_port();                                                                       \
    ASSERT_GT(port, 0);                                                                                 \
    std::vector<std::string> args = {"-p", std::to_string(port), "-U", "0", "-l", "127.0.0.1", "-t", "1"}; \
    if (::geteuid() == 0) args.insert(args.end(), {"-u", "root"});                                      \
    for (const auto& a : std::vector<std::string> extra) args.push_back(a);                            \
    const std::string why = daemon.start(*bin, args, port);                                             \
    ASSERT_EQ(why, "") << "memcached did not start";                                                    \
  } while (0)

// [SECTION] the lease script

// One meta command, sent to memcached and applied to the model.
struct Step {
  enum Op { Mg, Ms, Md } op = Mg;
  std::string key;
  std::string flags;        // besides c / v / C (added from `cas_of`)
  int cas_of = -1;          // use the CAS returned by this earlier step
  std::string value;        // ms
  bool zero_cas = false;    // ms C0
  int sleep_ms = 0;         // before the step
};
Step mg(std::string key, std::string flags, int sleep_ms = 0) {
  Step s;
  s.op = Step::Mg, s.key = std::move(key), s.flags = std::move(flags), s.sleep_ms = sleep_ms;
  return s;
}
Step ms(std::string key, std::string flags, int cas_of, std::string value, bool zero_cas = false) {
  Step s;
  s.op = Step::Ms, s.key = std::move(key), s.flags = std::move(flags), s.cas_of = cas_of, s.value = std::move(value);
  s.zero_cas = zero_cas;
  return s;
}
Step md(std::string key, std::string flags) {
  Step s;
  s.op = Step::Md, s.key = std::move(key), s.flags = std::move(flags);
  return s;
}

struct Observed {
  std::string status;  // VA/HD (hit, stored), EN, NF, EX, NS
  std::string flags;   // "Z X", "X W", …
  std::string value;
  std::uint64_t cas = 0;
  bool operator==(const Observed& o) const { return status == o.status && flags == o.flags && value == o.value; }
};

std::string wzx(const std::vector<std::string>& toks, std::size_t from, std::uint64_t* cas) {
  bool w = false, z = false, x = false;
  for (std::size_t i = from; i < toks.size(); ++i) {
    const auto& t = toks[i];
    if (t == "W") w = true;
    if (t == "Z") z = true;
    if (t == "X") x = true;
    if (t.size() > 1 && t[0] == 'c') *cas = std::stoull(t.substr(1));
  }
  MetaLease::Reply r;
  r.win = w;
  r.token_sent = z;
  r.stale = x;
  return MetaLease::flags_text(r);
}

std::optional<std::int32_t> num_flag(const std::string& flags, char f) {
  for (const auto& t : split(flags))
    if (t.size() > 1 && t[0] == f) return std::stoi(t.substr(1));
  return std::nullopt;
}
bool has_flag(const std::string& flags, char f) {
  for (const auto& t : split(flags))
    if (t.size() == 1 && t[0] == f) return true;
  return false;
}

Observed run_real(Conn& c, const Step& s, const std::vector<Observed>& prev) {
  std::string cas = s.zero_cas ? " C0" : s.cas_of >= 0 ? " C" + std::to_string(prev[static_cast<std::size_t>(s.cas_of)].cas) : "";
  Observed o;
  if (s.op == Step::Mg) {
    c.send("mg " + s.key + " c v" + (s.flags.empty() ? "" : " " + s.flags) + "\r\n");
    const auto toks = split(c.line());
    o.status = toks.at(0);
    if (o.status == "VA") {
      o.flags = wzx(toks, 2, &o.cas);
      o.value = c.bytes(static_cast<std::size_t>(std::stoul(toks.at(1))));
      o.status = "HIT";
    }
  } else if (s.op == Step::Ms) {
    c.send("ms " + s.key + " " + std::to_string(s.value.size()) + cas + (s.flags.empty() ? "" : " " + s.flags) + " c\r\n" + s.value + "\r\n");
    const auto toks = split(c.line());
    o.status = toks.at(0) == "HD" ? "STORED" : toks.at(0);
    wzx(toks, 1, &o.cas);
  } else {
    c.send("md " + s.key + cas + (s.flags.empty() ? "" : " " + s.flags) + "\r\n");
    const auto toks = split(c.line());
    o.status = toks.at(0) == "HD" ? "STORED" : toks.at(0);
  }
  return o;
}

Observed run_model(MetaLease& m, std::int64_t now_s, const Step& s, const std::vector<Observed>& prev) {
  std::optional<std::uint64_t> cas;
  if (s.zero_cas) cas = 0;
  if (s.cas_of >= 0) cas = prev[static_cast<std::size_t>(s.cas_of)].cas;
  MetaLease::Reply r;
  if (s.op == Step::Mg) {
    r = m.mg(s.key, now_s, {num_flag(s.flags, 'N'), num_flag(s.flags, 'R'), num_flag(s.flags, 'T')});
  } else if (s.op == Step::Ms) {
    r = m.ms(s.key, s.value, now_s, {num_flag(s.flags, 'T'), cas, has_flag(s.flags, 'I')});
  } else {
    r = m.md(s.key, now_s, {num_flag(s.flags, 'T'), cas, has_flag(s.flags, 'I')});
  }
  Observed o;
  o.cas = r.cas;
  switch (r.status) {
    case MetaLease::Status::Hit:
      o.status = "HIT";
      o.flags = MetaLease::flags_text(r);
      o.value = r.value;
      break;
    case MetaLease::Status::Miss: o.status = "EN"; break;
    case MetaLease::Status::Stored: o.status = "STORED"; break;
    case MetaLease::Status::NotFound: o.status = "NF"; break;
    case MetaLease::Status::Exists: o.status = "EX"; break;
  }
  return o;
}

}  // namespace

TEST(CacheOracleMemcached, MetaLeaseFlagsMatchRequestForRequest) {
  Daemon d;
  START_MEMCACHED(d, ({"-m", "64"}));
  Conn c(d.port());
  ASSERT_TRUE(c.ok());
  // Steps refer to earlier steps' CAS by index (the real and the model CAS
  // values differ; each side uses its own).
  const std::vector<Step> script = {
      /*0*/ mg("lease", "N30"),                 // miss: vivified, W
      /*1*/ mg("lease", "N30"),                 // Z
      /*2*/ mg("lease", "N30"),                 // Z
      /*3*/ ms("lease", "T60", 0, "v1"),        // the winner's set: HD
      /*4*/ mg("lease", "N30"),                 // hit, no flags
      /*5*/ md("lease", "I"),                   // invalidate: stale
      /*6*/ mg("lease", "N30"),                 // X W, old value
      /*7*/ mg("lease", "N30"),                 // Z X
      /*8*/ ms("lease", "", 4, "v2"),           // token from before md I: EX
      /*9*/ ms("lease", "I", 4, "v2"),          // with I: stored, still stale
      /*10*/ mg("lease", ""),                   // Z X, value v2
      /*11*/ md("lease", "I"),                  // clears the token
      /*12*/ mg("lease", ""),                   // X W
      /*13*/ ms("lease", "T60", 12, "v3"),      // HD, fresh
      /*14*/ mg("lease", "N30"),                // no flags
      /*15*/ ms("lease", "", -1, "v4", true),   // C0: EX
      /*16*/ md("lease", ""),                   // delete
      /*17*/ mg("lease", ""),                   // EN
      /*18*/ ms("lease", "", 13, "v5"),         // CAS mode, no item: NF
      /*19*/ mg("lease", "N30"),                // W (empty item)
      /*20*/ md("lease", "I"),                  // invalidate the empty item
      /*21*/ mg("lease", "N30"),                // X W, empty
      /*22*/ ms("lease", "T60", 19, "late"),    // the first winner's set: EX
      /*23*/ ms("lease", "T60", 21, "v6"),      // the second winner's: HD
      /*24*/ mg("lease", "N30"),                // no flags, v6
      /*25*/ ms("early", "T30", -1, "e"),       // R: remaining 30 < 60 → W once
      /*26*/ mg("early", "R60"),
      /*27*/ mg("early", "R60"),                // Z
      /*28*/ mg("early", "R10"),                // Z (not below 10, token sent anyway)
      /*29*/ md("nokey", "I"),                  // NF
      /*30*/ ms("short", "T1", -1, "s"),
      /*31*/ mg("short", "N30", 2100),  // expired after 2.1 s: vivified, W
      /*32*/ mg("short", "N30"),                // Z
  };
  MetaLease model;
  std::vector<Observed> real_seen, model_seen;
  const auto t0 = std::chrono::steady_clock::now();
  try {
    for (std::size_t i = 0; i < script.size(); ++i) {
      const auto& s = script[i];
      if (s.sleep_ms) std::this_thread::sleep_for(std::chrono::milliseconds(s.sleep_ms));
      const auto now_s = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - t0).count() + 100;
      real_seen.push_back(run_real(c, s, real_seen));
      model_seen.push_back(run_model(model, now_s, s, model_seen));
      const auto& r = real_seen.back();
      const auto& m = model_seen.back();
      EXPECT_EQ(r.status, m.status) << "step " << i << " (" << s.key << " " << s.flags << ")";
      EXPECT_EQ(r.flags, m.flags) << "step " << i << " (" << s.key << " " << s.flags << ")";
      EXPECT_EQ(r.value, m.value) << "step " << i;
    }
  } catch (const std::exception& e) {
    FAIL() << "memcached conversation failed: " << e.what();
  }
  // The script's own expectations, so a model and a server that agree on
  // something else still fail.
  EXPECT_EQ(real_seen[0].flags, "W");
  EXPECT_EQ(real_seen[6].flags, "X W");
  EXPECT_EQ(real_seen[7].flags, "Z X");
  EXPECT_EQ(real_seen[8].status, "EX");
  EXPECT_EQ(real_seen[22].status, "EX");
  EXPECT_EQ(real_seen[26].flags, "W");
  EXPECT_EQ(real_seen[31].flags, "W");
}

// [SECTION] the segmented-LRU workload
namespace {
std::map<std::string, std::uint64_t> stats(Conn& c, const std::string& which) {
  c.send(which.empty() ? std::string("stats\r\n") : "stats " + which + "\r\n");
  std::map<std::string, std::uint64_t> out;
  for (;;) {
    const auto l = c.line();
    if (l == "END") return out;
    const auto t = split(l);
    if (t.size() == 3 && t[0] == "STAT") {
      try {
        out[t[1]] = std::stoull(t[2]);
      } catch (...) {
      }
    }
  }
}
// Waits (at most 1.5 s) until the server's 1-second clock ticks, read as `stats`
// `uptime` (current_time − ITEM_UPDATE_INTERVAL), and returns that moment. The
// server's clock ticks at its own phase (a libevent timer armed at start-up); a model
// whose seconds count from such a tick sees the same second boundaries, so ages in
// whole seconds (hot_age, warm_age, an item's `time`) agree however long the run
// takes. Without it the phase was whatever the start-up left, which on a loaded
// machine (ASan, ctest -j2) moved about 100 items between WARM and COLD.
std::chrono::steady_clock::time_point server_second(Conn& c) {
  const auto u0 = stats(c, "").at("uptime");
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
  for (;;) {
    const auto t = std::chrono::steady_clock::now();
    if (stats(c, "").at("uptime") != u0) return t;
    if (t > give_up) throw std::runtime_error("memcached's uptime did not change within 1.5 s");
  }
}
}  // namespace

TEST(CacheOracleMemcached, SegmentedLruCountsMatchTheModel) {
  // -m 2: two 1 MB slab pages (do_slabs_newslab refuses a third), all in the
  // one class our 800-byte values land in, so the item capacity is
  // 2 × chunks_per_page, read back from `stats slabs`.
  Daemon d;
  START_MEMCACHED(d, ({"-m", "2"}));
  Conn c(d.port());
  ASSERT_TRUE(c.ok());
  const std::string value(800, 'v');
  constexpr std::uint64_t kKeys = 10000, kRequests = 30000;
  scalebook::sim::Zipf zipf(kKeys, 0.9);
  scalebook::sim::Rng rng(15);
  std::vector<std::uint64_t> trace(kRequests);
  for (auto& k : trace) k = zipf.sample(rng);
  std::vector<std::int64_t> at_us(kRequests);
  std::uint64_t real_hits = 0;
  char key[32];
  const auto t0 = std::chrono::steady_clock::now();
  auto now_us = [&] { return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0).count(); };
  try {
    for (std::uint64_t i = 0; i < kRequests; ++i) {
      std::snprintf(key, sizeof key, "k%06llu", static_cast<unsigned long long>(trace[i]));
      at_us[i] = now_us();
      c.send(std::string("mg ") + key + " v\r\n");
      const auto t = split(c.line());
      if (t.at(0) == "VA") {
        c.bytes(std::stoul(t.at(1)));
        ++real_hits;
      } else {
        ASSERT_EQ(t.at(0), "EN");
        c.send(std::string("ms ") + key + " 800\r\n" + value + "\r\n");
        ASSERT_EQ(c.line(), "HD");
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the maintainer settle
  } catch (const std::exception& e) {
    FAIL() << "memcached conversation failed: " << e.what();
  }
  const std::int64_t end_us = now_us();
  const auto slabs = stats(c, "slabs");
  const auto items = stats(c, "items");
  // The one slab class in use.
  std::string cls;
  for (const auto& [k, v] : slabs)
    if (k.find(":total_pages") != std::string::npos) {
      ASSERT_TRUE(cls.empty()) << "more than one slab class in use";
      cls = k.substr(0, k.find(':'));
      EXPECT_EQ(v, 2u);
    }
  ASSERT_FALSE(cls.empty());
  const std::size_t capacity = slabs.at(cls + ":total_chunks");
  const auto n = [&](const std::string& f) { return items.at("items:" + cls + ":" + f); };
  // The model's clock: seconds counted from a tick of the server's clock. The tick is
  // observed after the run (waiting for it before would leave the maintainer idle, its
  // sleep grown towards 1 s, when the workload starts) and carried back by whole
  // seconds to just before the first request; the timer re-arms itself every second,
  // so over a run of a few seconds it drifts by well under a millisecond.
  std::int64_t tick_us = 0;
  try {
    tick_us = std::chrono::duration_cast<std::chrono::microseconds>(server_second(c) - t0).count();
  } catch (const std::exception& e) {
    FAIL() << e.what();
  }
  const std::int64_t shift_us = (tick_us / 1000000 + 1) * 1000000 - tick_us;  // model time = run time + shift
  for (auto& t : at_us) t += shift_us;

  cache::MemcachedSlru model({.capacity = capacity});
  for (std::uint64_t i = 0; i < kRequests; ++i) model.access(trace[i], at_us[i]);
  for (std::int64_t t = at_us.back() + 1000; t <= end_us + shift_us; t += 1000) model.juggle(t);
  using L = cache::MemcachedSlru::Lru;
  const double hot = static_cast<double>(n("number_hot")), warm = static_cast<double>(n("number_warm")),
               cold = static_cast<double>(n("number_cold"));
  const double mhot = static_cast<double>(model.count(L::Hot)), mwarm = static_cast<double>(model.count(L::Warm)),
               mcold = static_cast<double>(model.count(L::Cold));
  std::printf("[oracle] memcached capacity %zu items; HOT/WARM/COLD real %.0f/%.0f/%.0f model %.0f/%.0f/%.0f; "
              "hits real %llu model %llu; evictions real %llu model %llu; moves_to_cold real %llu model %llu\n",
              capacity, hot, warm, cold, mhot, mwarm, mcold, static_cast<unsigned long long>(real_hits),
              static_cast<unsigned long long>(model.stats().hits), static_cast<unsigned long long>(n("evicted")),
              static_cast<unsigned long long>(model.counters().evicted),
              static_cast<unsigned long long>(n("moves_to_cold")),
              static_cast<unsigned long long>(model.counters().moves_to_cold));
  EXPECT_EQ(n("number"), capacity);  // full
  EXPECT_EQ(model.size(), capacity);
  // Tolerance: 1.5 % of the capacity per list (33 items), hits and evictions within
  // 0.5 % of the requests, moves to COLD within 2 %. The server's maintainer thread
  // sleeps adaptively (1 ms .. 1 s) and applies COLD bumps asynchronously, and the
  // machine may be busy (ASan, ctest -j2); the model juggles every simulated
  // millisecond and bumps at once. The server's 1-second clock ticks at a phase of its
  // own, which the model's clock is aligned with (tick_us above). Before that
  // alignment a loaded ASan run put WARM 94–121 items off the model (a CI failure);
  // after it, every count was within 6 items over eleven runs (five native, six ASan
  // beside a busy core).
  // What the maintainer's wake-up still decides, and so what is NOT compared list by
  // list: how many of the newest items have left HOT for COLD yet. When the run
  // crosses a second boundary, hot_age = cold_age · 0.2 truncates to 0 s and every
  // HOT item goes to COLD on the next maintainer pass — which the model takes at once
  // and the server whenever its thread wakes (a boundary in the last few hundred
  // milliseconds can find it asleep). So the test compares WARM, HOT + COLD, and moves
  // to COLD counting the items still in HOT, which do not depend on that pass.
  const double tol = 0.015 * static_cast<double>(capacity);
  EXPECT_NEAR(warm, mwarm, tol);
  EXPECT_NEAR(hot + cold, mhot + mcold, tol);
  EXPECT_NEAR(static_cast<double>(real_hits), static_cast<double>(model.stats().hits), 0.005 * kRequests);
  EXPECT_NEAR(static_cast<double>(n("evicted")), static_cast<double>(model.counters().evicted), 0.005 * kRequests);
  // The workload exercises the maintainer on both sides.
  EXPECT_GT(n("moves_to_cold"), capacity);
  EXPECT_NEAR(static_cast<double>(n("moves_to_cold")) + hot, static_cast<double>(model.counters().moves_to_cold) + mhot,
              0.02 * static_cast<double>(n("moves_to_cold")));
}
