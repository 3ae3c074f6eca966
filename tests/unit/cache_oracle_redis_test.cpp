// Live oracle: a real redis-server (the Debian package, 7.0) on a free loopback
// port, started and stopped by each test (no persistence: --save "" and
// --appendonly no, in a temporary directory), against RedisSampled
// (src/sim/cache/redis.h):
//  * LFU: OBJECT FREQ of 60 keys after a scripted number of hits
//    (allkeys-lfu, lfu-log-factor 10) against the counter the model gives for
//    the same number of hits over 2000 seeds: exact at 0 and 1 hits, means
//    within 5 standard errors and spreads within a factor 0.6-1.6 above.
//  * Sampled LRU: the hit ratio of Redis (allkeys-lru, maxmemory-samples 5)
//    on a Zipf trace against the model's on the same trace, with the same
//    request times and the item capacity Redis settled at (tolerance below).
// A missing binary is a failure ("run tools/bootstrap"), never a skip.
//
// [SECTION] daemon and socket helpers: tests/common/loopback_daemon.h
// [SECTION] a tiny RESP client
// [SECTION] LFU counter
// [SECTION] sampled-LRU hit ratio
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

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sim/cache/baselines.h"
#include "sim/cache/redis.h"
#include "sim/core/rng.h"

#include "../common/loopback_daemon.h"

namespace cache = scalebook::sim::cache;

using namespace scalebook::test_loopback;  // NOLINT

namespace {

// [SECTION] a tiny RESP client

struct Resp {
  char type = 0;          // '+', '-', ':', '$', '*'
  bool nil = false;       // $-1 / *-1
  std::string str;        // simple, error, bulk
  long long integer = 0;  // ':'
  std::vector<Resp> items;
};

Resp read_resp(Conn& c) {
  const std::string l = c.line();
  if (l.empty()) throw std::runtime_error("empty RESP line");
  Resp r;
  r.type = l[0];
  const std::string rest = l.substr(1);
  switch (r.type) {
    case '+':
    case '-': r.str = rest; break;
    case ':': r.integer = std::stoll(rest); break;
    case '$': {
      const long long n = std::stoll(rest);
      if (n < 0) r.nil = true;
      else r.str = c.bytes(static_cast<std::size_t>(n));
      break;
    }
    case '*': {
      const long long n = std::stoll(rest);
      if (n < 0) r.nil = true;
      for (long long i = 0; i < n; ++i) r.items.push_back(read_resp(c));
      break;
    }
    default: throw std::runtime_error("bad RESP line: " + l);
  }
  return r;
}

std::string encode(const std::vector<std::string>& args) {
  std::string s = "*" + std::to_string(args.size()) + "\r\n";
  for (const auto& a : args) s += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  return s;
}

Resp cmd(Conn& c, const std::vector<std::string>& args) {
  c.send(encode(args));
  Resp r = read_resp(c);
  if (r.type == '-') throw std::runtime_error("redis error for " + args.at(0) + ": " + r.str);
  return r;
}

// One field of INFO <section>.
long long info_field(Conn& c, const std::string& section, const std::string& field) {
  const std::string text = cmd(c, {"INFO", section}).str;
  std::stringstream ss(text);
  for (std::string l; std::getline(ss, l);) {
    if (l.rfind(field + ":", 0) == 0) return std::stoll(l.substr(field.size() + 1));
  }
  throw std::runtime_error("INFO " + section + " has no " + field);
}

#define START_REDIS(daemon, extra)                                                                      \
  do {                                                                                                  \
    const auto bin = find_binary("redis-server");                                                       \
    ASSERT_TRUE(bin.has_value()) << "redis-server is not installed: run tools/bootstrap (as root)";    \
    const int port = free_port();                                                                       \
    ASSERT_GT(port, 0);                                                                                 \
    std::vector<std::string> args = {"--port", std::to_string(port), "--bind", "127.0.0.1",             \
                                     "--save", "", "--appendonly", "no", "--daemonize", "no",           \
                                     "--dir", ".", "--loglevel", "warning"};                            \
    for (const auto& a : std::vector<std::string> extra) args.push_back(a);                            \
    const std::string why = daemon.start(*bin, args, port);                                             \
    ASSERT_EQ(why, "") << "redis-server did not start";                                                 \
  } while (0)

}  // namespace

// [SECTION] LFU counter

TEST(CacheOracleRedis, ObjectFreqMatchesTheModelsLfuCounterDistribution) {
  Daemon d;
  // lfu-decay-time 0: no decay, so the counter depends on the hits alone and
  // not on where the minute boundaries fall during the test.
  START_REDIS(d, ({"--maxmemory-policy", "allkeys-lfu", "--lfu-log-factor", "10", "--lfu-decay-time", "0"}));
  Conn c(d.port());
  ASSERT_TRUE(c.ok());
  // A statistical comparison whose false-alarm rate is known. An earlier form
  // required each of 4 keys to fall inside the model's 0.1-99.9 % range: with
  // 24 samples that fails about one run in twenty by chance alone (a 3,000-key
  // run of Redis 7.0.15 at 1,000 hits put 13 keys above the model's 99.9 %
  // point, one at 29, while its mean matched the model's to 0.02).
  const std::vector<int> hit_counts = {0, 1, 10, 100, 1000, 10000};
  constexpr int kKeysPerCount = 60, kSeeds = 2000;
  std::vector<std::vector<long long>> real(hit_counts.size());
  try {
    for (std::size_t h = 0; h < hit_counts.size(); ++h) {
      for (int j = 0; j < kKeysPerCount; ++j) {
        const std::string key = "f" + std::to_string(hit_counts[h]) + "_" + std::to_string(j);
        ASSERT_EQ(cmd(c, {"SET", key, "x"}).str, "OK");
        // The hits, pipelined 500 at a time.
        for (int done = 0; done < hit_counts[h];) {
          const int batch = std::min(500, hit_counts[h] - done);
          std::string out;
          for (int i = 0; i < batch; ++i) out += encode({"GET", key});
          c.send(out);
          for (int i = 0; i < batch; ++i) ASSERT_EQ(read_resp(c).str, "x");
          done += batch;
        }
        real[h].push_back(cmd(c, {"OBJECT", "FREQ", key}).integer);
      }
    }
  } catch (const std::exception& e) {
    FAIL() << "redis conversation failed: " << e.what();
  }
  const auto mean_var = [](const auto& v) {
    double m = 0, q = 0;
    for (auto x : v) m += static_cast<double>(x);
    m /= static_cast<double>(v.size());
    for (auto x : v) q += (static_cast<double>(x) - m) * (static_cast<double>(x) - m);
    return std::pair<double, double>{m, v.size() > 1 ? q / static_cast<double>(v.size() - 1) : 0.0};
  };
  for (std::size_t h = 0; h < hit_counts.size(); ++h) {
    const int hits = hit_counts[h];
    std::vector<std::uint32_t> model;
    for (int s = 1; s <= kSeeds; ++s) {
      cache::RedisSampled m({.mode = cache::RedisSampled::Mode::Lfu, .capacity = 4, .lfu_log_factor = 10,
                             .lfu_decay_time = 0, .seed = static_cast<std::uint64_t>(s)});
      m.access(1, 0);  // the SET: created at LFU_INIT_VAL
      for (int i = 0; i < hits; ++i) m.access(1, 0);
      model.push_back(m.object_freq(1, 0));
    }
    const auto [mm, mv] = mean_var(model);
    const auto [rm, rv] = mean_var(real[h]);
    const auto [lo, hi] = std::minmax_element(real[h].begin(), real[h].end());
    std::printf("[oracle] redis LFU after %d hits, %d keys: OBJECT FREQ mean %.2f sd %.2f range [%lld, %lld]; "
                "model (%d seeds) mean %.2f sd %.2f\n",
                hits, kKeysPerCount, rm, std::sqrt(rv), *lo, *hi, kSeeds, mm, std::sqrt(mv));
    // Exact where the counter is deterministic: a new key starts at
    // LFU_INIT_VAL 5 and its first hit always counts (p = 1 at the initial value).
    if (hits <= 1) {
      for (auto v : real[h]) EXPECT_EQ(v, 5 + hits) << hits << " hits";
      for (auto v : model) EXPECT_EQ(v, static_cast<std::uint32_t>(5 + hits)) << hits << " hits";
      continue;
    }
    // Never below one increment, never above one per hit or 255.
    for (auto v : real[h]) {
      EXPECT_GE(v, 6) << hits << " hits";
      EXPECT_LE(v, std::min(255, 5 + hits)) << hits << " hits";
    }
    // The means agree within 5 standard errors of their difference (a false
    // alarm about once in 1.7 million comparisons), and the spreads within a
    // factor the sample sizes allow (the sd of a 60-key sd is about 9 %).
    const double se = std::sqrt(rv / kKeysPerCount + mv / kSeeds);
    EXPECT_LE(std::abs(rm - mm), 5 * se + 1e-9) << hits << " hits: Redis mean " << rm << ", model " << mm;
    EXPECT_GE(std::sqrt(rv), 0.6 * std::sqrt(mv)) << hits << " hits";
    EXPECT_LE(std::sqrt(rv), 1.6 * std::sqrt(mv)) << hits << " hits";
  }
}

// [SECTION] sampled-LRU hit ratio

TEST(CacheOracleRedis, SampledLruHitRatioMatchesTheModel) {
  Daemon d;
  START_REDIS(d, ({"--maxmemory-policy", "allkeys-lru", "--maxmemory-samples", "5"}));
  Conn c(d.port());
  ASSERT_TRUE(c.ok());
  const std::string value(1000, 'v');
  constexpr std::uint64_t kKeys = 20000, kRequests = 40000;
  constexpr int kTargetItems = 1800;  // below 2048, so the main dict keeps one table size when full
  scalebook::sim::Zipf zipf(kKeys, 0.9);
  scalebook::sim::Rng rng(21);
  std::vector<std::uint64_t> trace(kRequests);
  for (auto& k : trace) k = zipf.sample(rng);
  std::vector<std::int64_t> at_us(kRequests);
  std::uint64_t real_hits = 0;
  long long capacity = 0, evicted = 0, per_key = 0;
  std::vector<long long> sizes;  // DBSIZE every 1000 requests once the cache is full
  const auto unix_us = [] {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  };
  const std::int64_t base_s = unix_us() / 1'000'000;
  char key[32];
  try {
    // maxmemory is bytes: measure what one key costs, then allow kTargetItems.
    const long long empty = info_field(c, "memory", "used_memory");
    for (int i = 0; i < kTargetItems; ++i) {
      std::snprintf(key, sizeof key, "f%07d", i);
      cmd(c, {"SET", key, value});
    }
    per_key = (info_field(c, "memory", "used_memory") - empty) / kTargetItems;
    cmd(c, {"FLUSHALL", "SYNC"});
    const long long flushed = info_field(c, "memory", "used_memory");
    cmd(c, {"CONFIG", "SET", "maxmemory", std::to_string(flushed + per_key * kTargetItems)});
    // One command per request: SET NX GET returns the old value (a hit, which
    // touches the key's LRU clock like GET) or nil (a miss, and the key is set;
    // Redis evicts before the command when over maxmemory).
    for (std::uint64_t i = 0; i < kRequests; ++i) {
      std::snprintf(key, sizeof key, "k%07llu", static_cast<unsigned long long>(trace[i]));
      at_us[i] = unix_us() - base_s * 1'000'000;
      if (!cmd(c, {"SET", key, value, "NX", "GET"}).nil) ++real_hits;
      if (i % 1000 == 999 && i >= kRequests / 4) sizes.push_back(cmd(c, {"DBSIZE"}).integer);
    }
    // The capacity in items: the mean size once full (it moves by a few items).
    capacity = std::llround(std::accumulate(sizes.begin(), sizes.end(), 0.0) / static_cast<double>(sizes.size()));
    evicted = info_field(c, "stats", "evicted_keys");
  } catch (const std::exception& e) {
    FAIL() << "redis conversation failed: " << e.what();
  }
  ASSERT_GT(capacity, kTargetItems * 9 / 10);
  ASSERT_LT(capacity, kTargetItems * 11 / 10);
  ASSERT_GT(evicted, 10000);
  const double real_ratio = static_cast<double>(real_hits) / kRequests;
  double sum = 0, lo = 1, hi = 0;
  constexpr int kSeeds = 5;
  for (int s = 1; s <= kSeeds; ++s) {
    cache::RedisSampled m({.mode = cache::RedisSampled::Mode::Lru, .capacity = static_cast<std::size_t>(capacity),
                           .maxmemory_samples = 5, .clock_offset_s = base_s, .seed = static_cast<std::uint64_t>(s)});
    for (std::uint64_t i = 0; i < kRequests; ++i) m.access(trace[i], at_us[i]);
    const double r = m.stats().hit_ratio();
    sum += r;
    lo = std::min(lo, r);
    hi = std::max(hi, r);
  }
  const double model_ratio = sum / kSeeds;
  cache::Lru exact(static_cast<std::size_t>(capacity));
  for (auto k : trace) exact.access(k, 0);
  std::printf("[oracle] redis allkeys-lru: DBSIZE once full %lld..%lld\n", *std::min_element(sizes.begin(), sizes.end()),
              *std::max_element(sizes.begin(), sizes.end()));
  std::printf("[oracle] redis allkeys-lru: %lld bytes/key, capacity %lld items, %lld evicted; hit ratio real %.4f, "
              "model %.4f (seeds %.4f..%.4f), exact LRU %.4f; %.2f s of requests\n",
              per_key, capacity, evicted, real_ratio, model_ratio, lo, hi, exact.stats().hit_ratio(),
              static_cast<double>(at_us.back() - at_us.front()) / 1e6);
  // Tolerance 0.01 absolute: the model's spread over seeds on this trace is
  // about ±0.002; Redis samples with dictGetSomeKeys (contiguous buckets, not
  // uniform), its LRU clock is refreshed by serverCron at 10 Hz (up to 100 ms
  // behind the request times we give the model), and the capacity it holds
  // moves as client buffers and allocator rounding change (used_memory counts
  // them; DBSIZE once full ranged 1811..1835 in one run, hence the mean; a 1 %
  // capacity change moves this hit ratio by about 0.003). Observed: the model
  // 0.001–0.006 above Redis over nine runs.
  EXPECT_NEAR(real_ratio, model_ratio, 0.01);
  // And the model explains Redis better than exact LRU does: Redis is at least twice as
  // close to the model as to exact LRU. (Not a fixed gap: how far sampled LRU falls below
  // exact LRU depends on how many seconds the requests span, because Redis's idle clock
  // has one-second resolution. Uninstrumented runs take about 1.5 s and sit 0.03–0.04
  // below exact LRU; under ASan a CI run took 10.8 s and sat only 0.0136 below, with the
  // model still within 0.0002 of Redis.)
  EXPECT_LT(2 * std::fabs(real_ratio - model_ratio), std::fabs(exact.stats().hit_ratio() - real_ratio))
      << "real " << real_ratio << " model " << model_ratio << " exact LRU " << exact.stats().hit_ratio();
}
