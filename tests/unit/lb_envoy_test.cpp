// Envoy's pickers (sim/lb/envoy.h): Maglev tables from Envoy's own test file
// (test/extensions/load_balancing_policies/maglev/maglev_lb_test.cc), xxHash64
// against the reference vectors, EDF and least-request sequences derived by hand
// from edf_scheduler.h and least_request_lb.cc.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "sim/lb/envoy.h"
#include "sim/lb/xxhash64.h"

namespace scalebook::sim::lb {
namespace {

EnvoyHost host(std::uint32_t weight, std::string address = "", std::string hostname = "", std::uint64_t active = 0) {
  EnvoyHost h;
  h.address = std::move(address);
  h.hostname = std::move(hostname);
  h.weight = weight;
  h.active_requests = active;
  return h;
}

// [SECTION] xxHash64
TEST(LbXxHash64, ShortStringVectors) {
  EXPECT_EQ(xxhash64(""), 0xEF46DB3751D8E999ull);
  EXPECT_EQ(xxhash64("a"), 0xD24EC4F1A98C6E5Bull);
  EXPECT_EQ(xxhash64("abc"), 0x44BC2CF5AD770999ull);
  EXPECT_EQ(xxhash64("asdf"), 0x415872F599CEA71Eull);
  EXPECT_EQ(xxhash64("Call me Ishmael."), 0x6D04390FC9D61A90ull);
  EXPECT_EQ(xxhash64("Nobody inspects the spammish repetition"), 0xFBCEA83C8A378BF1ull);
}

// xxHash's own sanity check (xxhsum's BMK_sanityCheck): a 101-byte buffer from a
// 32-bit generator, hashed at lengths 0, 1, 14, 101 with seeds 0 and 2654435761.
TEST(LbXxHash64, ReferenceSanityBuffer) {
  unsigned char buf[101];
  const std::uint32_t prime = 2654435761u;
  std::uint32_t gen = prime;
  for (unsigned char& b : buf) {
    b = static_cast<unsigned char>(gen >> 24);
    gen *= gen;
  }
  EXPECT_EQ(xxhash64(buf, 0, 0), 0xEF46DB3751D8E999ull);
  EXPECT_EQ(xxhash64(buf, 0, prime), 0xAC75FDA2929B17EFull);
  EXPECT_EQ(xxhash64(buf, 1, 0), 0x4FCE394CC88952D8ull);
  EXPECT_EQ(xxhash64(buf, 1, prime), 0x739840CB819FA723ull);
  EXPECT_EQ(xxhash64(buf, 14, 0), 0xCFFA8DB881BC3A3Dull);
  EXPECT_EQ(xxhash64(buf, 14, prime), 0x5B9611585EFCC9CBull);
  EXPECT_EQ(xxhash64(buf, 101, 0), 0x0EAB543384F878ADull);
  EXPECT_EQ(xxhash64(buf, 101, prime), 0xCAA65939306F1E21ull);
}

// [SECTION] Maglev, Envoy's expectations
std::vector<EnvoyHost> six_hosts() {
  std::vector<EnvoyHost> v;
  for (int port = 90; port <= 95; ++port)
    v.push_back(host(1, "127.0.0.1:" + std::to_string(port), std::to_string(port)));
  return v;
}

std::vector<std::uint32_t> lookups(const EnvoyMaglev& m, std::size_t n) {
  std::vector<std::uint32_t> v;
  for (std::uint64_t i = 0; i < n; ++i) v.push_back(static_cast<std::uint32_t>(m.choose(i)));
  return v;
}

TEST(LbEnvoyMaglev, BasicSixHostsTableSize7) {
  const EnvoyMaglev m(six_hosts(), 7);
  EXPECT_EQ(m.table(), (std::vector<std::uint32_t>{2, 4, 0, 1, 5, 0, 3}));
  EXPECT_EQ(m.min_entries_per_host(), 1u);
  EXPECT_EQ(m.max_entries_per_host(), 2u);
  // Envoy checks 3 × 7 consecutive hash keys.
  const auto got = lookups(m, 21);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i], m.table()[i % 7]);
}

TEST(LbEnvoyMaglev, BasicWithHostNameHashesTheHostname) {
  const EnvoyMaglev m(six_hosts(), 7, /*use_hostname_for_hashing=*/true);
  EXPECT_EQ(m.table(), (std::vector<std::uint32_t>{2, 5, 0, 3, 4, 1, 0}));
  EXPECT_EQ(m.min_entries_per_host(), 1u);
  EXPECT_EQ(m.max_entries_per_host(), 2u);
}

TEST(LbEnvoyMaglev, BasicWithRetryHostPredicate) {
  const EnvoyMaglev m(six_hosts(), 7);
  EXPECT_EQ(m.choose(10), 1);     // i = 3
  EXPECT_EQ(m.choose(10, 1), 0);  // second attempt: a different host
  EXPECT_EQ(m.choose(10, 2), 5);  // exhausted retries: the last checked host
}

TEST(LbEnvoyMaglev, BasicStabilityIgnoresHostOrder) {
  auto hosts = six_hosts();
  const EnvoyMaglev a(hosts, 7);
  std::swap(hosts[0], hosts[4]);
  std::swap(hosts[1], hosts[3]);
  const EnvoyMaglev b(hosts, 7);
  for (std::uint64_t i = 0; i < 7; ++i) EXPECT_EQ(hosts[static_cast<std::size_t>(b.choose(i))].address, six_hosts()[a.table()[i]].address);
}

TEST(LbEnvoyMaglev, WeightedTwoHostsTableSize17) {
  std::vector<EnvoyHost> hosts{host(1, "127.0.0.1:90"), host(2, "127.0.0.1:91")};
  const EnvoyMaglev m(hosts, 17);
  EXPECT_EQ(m.table(), (std::vector<std::uint32_t>{1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 0, 1}));
  EXPECT_EQ(m.min_entries_per_host(), 6u);
  EXPECT_EQ(m.max_entries_per_host(), 11u);
}

TEST(LbEnvoyMaglev, SingleAndNoHostAndNonPrime) {
  const EnvoyMaglev one({host(7, "127.0.0.1:90")}, 17);
  for (std::uint64_t i = 0; i < 17; ++i) EXPECT_EQ(one.choose(i), 0);
  EXPECT_EQ(one.max_entries_per_host(), 1u);
  EXPECT_EQ(EnvoyMaglev({}, 7).choose(1), -1);
  EXPECT_EQ(EnvoyMaglev(six_hosts(), 8).choose(1), -1) << "8 is not prime";
}

TEST(LbEnvoyMaglev, DefaultTableIsBalancedWithinOneEntry) {
  const EnvoyMaglev m(six_hosts());
  EXPECT_EQ(m.table().size(), 65537u);
  EXPECT_LE(m.max_entries_per_host() - m.min_entries_per_host(), 1u);
}

// [SECTION] EDF, round robin, least request, random
// EDF {a:1, b:2}: deadlines a 1 (order 0), b 0.5 (1). Picks: b→1.0 (2); a(1.0, 0) before
// b(1.0, 2): a→2.0 (3); b→1.5; b→2.0 (5); a(2.0, 3) before b(2.0, 5): a; b; b; a …
TEST(LbEnvoyRoundRobin, WeightedUsesTheEdfSchedule) {
  std::vector<EnvoyHost> hosts{host(1), host(2)};
  EnvoyRoundRobin rr(hosts);
  std::string s;
  for (int i = 0; i < 9; ++i) s += static_cast<char>('a' + rr.pick());
  EXPECT_EQ(s, "babbabbab");
}

TEST(LbEnvoyRoundRobin, EqualWeightsCycleFromTheOffset) {
  std::vector<EnvoyHost> hosts(3, host(1));
  EnvoyRoundRobin rr(hosts, 2);
  std::string s;
  for (int i = 0; i < 6; ++i) s += static_cast<char>('a' + rr.pick());
  EXPECT_EQ(s, "cabcab");
}

TEST(LbEnvoyRoundRobin, WeightedShareIsProportional) {
  std::vector<EnvoyHost> hosts{host(5), host(1), host(1)};
  EnvoyRoundRobin rr(hosts);
  int count[3] = {};
  for (int i = 0; i < 7000; ++i) ++count[rr.pick()];
  EXPECT_EQ(count[0], 5000);
  EXPECT_EQ(count[1], 1000);
  EXPECT_EQ(count[2], 1000);
}

// Least request, weights {1,2}, bias 1: b (deadline 0.5, re-added at 2/(0+1) → 1.0);
// b held; a (1.0, order 0) → re-added 1/1 → 2.0; a held; b (1.0) → re-added
// 2/(1+1) = 1 → 2.0 (order 4); then a (2.0, order 3). With bias 0 b would be re-added
// at 1.0 + 0.5 = 1.5 and picked again.
TEST(LbEnvoyLeastRequest, UnequalWeightsUseEdfWithActiveRequestBias) {
  for (double bias : {1.0, 0.0}) {
    std::vector<EnvoyHost> hosts{host(1), host(2)};
    EnvoyLeastRequest lr(hosts, 1, 2, bias);
    std::string s;
    for (int i = 0; i < 4; ++i) {
      const auto h = lr.pick();
      ++hosts[h].active_requests;
      s += static_cast<char>('a' + h);
    }
    EXPECT_EQ(s, bias == 1.0 ? "baba" : "babb") << "bias " << bias;
  }
}

TEST(LbEnvoyLeastRequest, HostWeightFormula) {
  std::vector<EnvoyHost> hosts{host(6, "", "", 2), host(1)};
  EXPECT_DOUBLE_EQ(EnvoyLeastRequest(hosts, 1, 2, 1.0).host_weight(0), 2.0);
  EXPECT_DOUBLE_EQ(EnvoyLeastRequest(hosts, 1, 2, 0.5).host_weight(0), 6.0 / std::sqrt(3.0));
  EXPECT_DOUBLE_EQ(EnvoyLeastRequest(hosts, 1, 2, -1.0).host_weight(0), 2.0) << "negative bias → 1.0";
}

TEST(LbEnvoyLeastRequest, PowerOfTwoChoicesAvoidsTheBusiestHost) {
  std::vector<EnvoyHost> hosts(3, host(1));
  hosts[0].active_requests = 10;
  EnvoyLeastRequest lr(hosts, 42);
  int count[3] = {};
  const int n = 90000;
  for (int i = 0; i < n; ++i) ++count[lr.pick()];
  // Host 0 wins only when both draws are host 0: probability 1/9 (with replacement).
  EXPECT_NEAR(count[0] / static_cast<double>(n), 1.0 / 9, 0.01);
  // choice_count = 1 is plain random.
  EnvoyLeastRequest one(hosts, 42, 1);
  int c0 = 0;
  for (int i = 0; i < n; ++i) c0 += one.pick() == 0;
  EXPECT_NEAR(c0 / static_cast<double>(n), 1.0 / 3, 0.01);
}

TEST(LbEnvoyLeastRequest, TiesKeepTheFirstDraw) {
  std::vector<EnvoyHost> hosts(4, host(1));
  EnvoyLeastRequest two(hosts, 9);
  Rng draws(9);  // the same stream: random() % n per draw, two draws per pick
  for (int i = 0; i < 100; ++i) {
    const auto first = draws.next_u64() % 4;
    (void)draws.next_u64();
    EXPECT_EQ(two.pick(), first) << "all idle: the first draw wins";
  }
}

TEST(LbEnvoyRandom, UniformAndDeterministic) {
  EnvoyRandom r(4, 5), same(4, 5);
  int count[4] = {};
  for (int i = 0; i < 40000; ++i) {
    const auto h = r.pick();
    ASSERT_EQ(h, same.pick());
    ++count[h];
  }
  for (int c : count) EXPECT_NEAR(c, 10000, 400);
}

}  // namespace
}  // namespace scalebook::sim::lb
