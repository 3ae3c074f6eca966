// nginx's peer selection (sim/lb/nginx.h) against sequences derived by hand from
// nginx 1.22's ngx_http_upstream_round_robin.c, least_conn and ip_hash modules.
// The live cross-check against a running nginx is lb_nginx_oracle_test.cpp.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sim/lb/nginx.h"

namespace scalebook::sim::lb {
namespace {

std::vector<NginxServer> servers(const std::vector<int>& weights) {
  std::vector<NginxServer> v;
  for (std::size_t i = 0; i < weights.size(); ++i) v.push_back(NginxServer{.name = std::string(1, static_cast<char>('a' + i)), .weight = weights[i]});
  return v;
}

std::string sequence(NginxUpstream& u, int n, std::uint32_t ip = 0) {
  std::string s;
  for (int i = 0; i < n; ++i) s += static_cast<char>('a' + u.pick_and_release(ip, 0));
  return s;
}

constexpr std::uint32_t ipv4(int a, int b, int c, int d) {
  return static_cast<std::uint32_t>(a) << 24 | static_cast<std::uint32_t>(b) << 16 | static_cast<std::uint32_t>(c) << 8 |
         static_cast<std::uint32_t>(d);
}

TEST(LbNginxRoundRobin, Weights511GiveTheDocumentedSequence) {
  NginxUpstream u(servers({5, 1, 1}), NginxMethod::kRoundRobin);
  EXPECT_EQ(sequence(u, 14), "aabacaaaabacaa");
  for (int p = 0; p < 3; ++p) EXPECT_EQ(u.current_weight(p), 0) << "back to zero after two cycles";
}

// By hand: {3,2,1}: cw (3,2,1)→a; (0,4,2)→b; (3,0,3)→a (first wins a tie); (0,2,4)→c;
// (3,4,−1)→b; (6,0,0)→a; all zero again.
TEST(LbNginxRoundRobin, Weights321ByHand) {
  NginxUpstream u(servers({3, 2, 1}), NginxMethod::kRoundRobin);
  EXPECT_EQ(sequence(u, 12), "abacbaabacba");
}

// {1,2,4}: (1,2,4)→c; (2,4,1)→b; (3,−1,5)→c; (4,1,2)→a; (−2,3,6)→c; (−1,5,3)→b; (0,0,7)→c.
TEST(LbNginxRoundRobin, Weights124ByHand) {
  NginxUpstream u(servers({1, 2, 4}), NginxMethod::kRoundRobin);
  EXPECT_EQ(sequence(u, 14), "cbcacbccbcacbc");
}

TEST(LbNginxRoundRobin, EqualWeightsAlternateAndDownPeersAreSkipped) {
  NginxUpstream even(servers({2, 2}), NginxMethod::kRoundRobin);
  EXPECT_EQ(sequence(even, 6), "ababab");
  auto s = servers({1, 1, 1});
  s[1].down = true;
  NginxUpstream u(s, NginxMethod::kRoundRobin);
  EXPECT_EQ(sequence(u, 6), "acacac");
}

TEST(LbNginxRoundRobin, MaxConnsSkipsAFullPeer) {
  auto s = servers({1, 1});
  s[0].max_conns = 1;
  NginxUpstream u(s, NginxMethod::kRoundRobin);
  NginxRequest r1 = u.begin_request(), r2 = u.begin_request(), r3 = u.begin_request();
  EXPECT_EQ(u.pick(r1, 0), 0);
  EXPECT_EQ(u.pick(r2, 0), 1);
  EXPECT_EQ(u.pick(r3, 0), 1) << "a holds its one connection";
}

TEST(LbNginxPassive, FailedPeerIsSkippedForFailTimeoutThenTriedAgain) {
  auto s = servers({1, 1, 1});  // max_fails=1, fail_timeout=10 s: nginx's defaults
  NginxUpstream u(s, NginxMethod::kRoundRobin);
  NginxRequest r = u.begin_request();
  ASSERT_EQ(u.pick(r, 0), 0);
  u.release(0, /*failed=*/true, 0);
  EXPECT_EQ(u.fails(0), 1);
  EXPECT_EQ(u.effective_weight(0), 0) << "weight − weight/max_fails";
  // The same request's next try goes elsewhere (a is tried and failed).
  EXPECT_EQ(u.pick(r, 0), 1);
  u.release(1, false, 0);
  for (int t = 1; t <= 10; ++t) EXPECT_NE(u.pick_and_release(0, t * 1000000), 0) << "t=" << t;
  // After fail_timeout a takes part again, its effective weight climbing back by 1.
  std::string later;
  for (int i = 0; i < 6; ++i) later += static_cast<char>('a' + u.pick_and_release(0, 11 * 1000000));
  EXPECT_NE(later.find('a'), std::string::npos) << later;
  EXPECT_EQ(u.effective_weight(0), 1);
  EXPECT_EQ(u.fails(0), 0) << "a success after the re-check clears fails";
}

TEST(LbNginxPassive, MaxFailsThreeNeedsThreeFailures) {
  auto s = servers({3, 3});
  s[0].max_fails = 3;
  NginxUpstream u(s, NginxMethod::kRoundRobin);
  for (int i = 0; i < 2; ++i) {
    NginxRequest r = u.begin_request();
    r.tried = {false, true};  // force a
    ASSERT_EQ(u.pick(r, 0), 0);
    u.release(0, true, 0);
  }
  // Each failure takes weight/max_fails = 1; each pick first gives 1 back: 3 → 2 → 3 → 2.
  EXPECT_EQ(u.effective_weight(0), 2);
  NginxRequest r = u.begin_request();
  r.tried = {false, true};
  EXPECT_EQ(u.pick(r, 0), 0) << "two failures of three: still eligible";
  u.release(0, true, 0);
  NginxRequest q = u.begin_request();
  q.tried = {false, true};
  EXPECT_EQ(u.pick(q, 0), -1) << "third failure: a is out for 10 s, b excluded: NGX_BUSY";
}

TEST(LbNginxPassive, SinglePeerIsNeverMarkedFailed) {
  NginxUpstream u(servers({1}), NginxMethod::kRoundRobin);
  for (int i = 0; i < 5; ++i) {
    NginxRequest r = u.begin_request();
    ASSERT_EQ(u.pick(r, 0), 0);
    u.release(0, true, 0);
  }
  EXPECT_EQ(u.fails(0), 0);
}

TEST(LbNginxLeastConn, EqualWeightsTieBreakByRoundRobinAmongTheTied) {
  NginxUpstream u(servers({1, 1, 1}), NginxMethod::kLeastConn);
  std::vector<NginxRequest> held(4, u.begin_request());
  EXPECT_EQ(u.pick(held[0], 0), 0);  // all at 0 conns: round robin over a,b,c → a
  EXPECT_EQ(u.pick(held[1], 0), 1);  // b,c tied: round robin from b → b
  EXPECT_EQ(u.pick(held[2], 0), 2);  // c alone at 0
  u.release(1, false, 0);
  EXPECT_EQ(u.pick(held[3], 0), 1);  // b alone at 0; no current_weight moves
  // cw: (1,1,1) → a −3 → (−2,1,1); b,c tied: (2,2) → b −2 → (−2,0,2); then no tie moves them.
  EXPECT_EQ(u.current_weight(0), -2);
  EXPECT_EQ(u.current_weight(1), 0);
  EXPECT_EQ(u.current_weight(2), 2);
}

// Weights {2,1}: (0,0) tie → rr: a; a 1/2 vs b 0 → b; a 1/2 < b 1/1 → a;
// a 2/2 = b 1/1 tie → rr: cw a −1+2 = 1, b 1+1 = 2 → b.
TEST(LbNginxLeastConn, WeightedCompareConnsOverWeight) {
  NginxUpstream u(servers({2, 1}), NginxMethod::kLeastConn);
  std::string s;
  for (int i = 0; i < 4; ++i) {
    NginxRequest r = u.begin_request();
    s += static_cast<char>('a' + u.pick(r, 0));
  }
  EXPECT_EQ(s, "abab");
  EXPECT_EQ(u.conns(0), 2);
  EXPECT_EQ(u.conns(1), 2);
}

TEST(LbNginxLeastConn, NoConcurrencyMeansPlainWeightedRoundRobin) {
  NginxUpstream u(servers({5, 1, 1}), NginxMethod::kLeastConn);
  EXPECT_EQ(sequence(u, 7), "aabacaa");
}

// Hashes computed by hand from the fold: 127.0.0.1 → 4040, 127.0.1.1 → 4041,
// 127.1.2.3 → 4155, 192.168.1.77 → 154, 10.0.0.1 → 2565.
TEST(LbNginxIpHash, FoldUsesFirstThreeOctets) {
  EXPECT_EQ(NginxUpstream::ip_hash_fold(89, {127, 0, 0}), 4040u);
  EXPECT_EQ(NginxUpstream::ip_hash_fold(89, {127, 0, 1}), 4041u);
  EXPECT_EQ(NginxUpstream::ip_hash_fold(89, {127, 1, 2}), 4155u);
  EXPECT_EQ(NginxUpstream::ip_hash_fold(89, {192, 168, 1}), 154u);
  EXPECT_EQ(NginxUpstream::ip_hash_fold(89, {10, 0, 0}), 2565u);
}

TEST(LbNginxIpHash, EqualWeightsPickHashModThreeAndIgnoreTheLastOctet) {
  NginxUpstream u(servers({1, 1, 1}), NginxMethod::kIpHash);
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 0, 1), 0), 2);    // 4040 % 3
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 0, 200), 0), 2);  // same /24
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 1, 1), 0), 0);    // 4041 % 3
  EXPECT_EQ(u.pick_and_release(ipv4(192, 168, 1, 77), 0), 1); // 154 % 3
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 0, 1), 0), 2) << "sticky";
}

TEST(LbNginxIpHash, WeightsWalkHashModTotalWeight) {
  NginxUpstream u(servers({5, 1, 1}), NginxMethod::kIpHash);
  // hash % 7: 127.0.0.1 → 1 (a), 127.0.4.1 → 5 (b), 127.0.5.1 → 6 (c), 127.0.6.1 → 0 (a).
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 0, 1), 0), 0);
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 4, 1), 0), 1);
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 5, 1), 0), 2);
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 6, 1), 0), 0);
}

// 127.0.0.1: 4040 % 3 = 2 (c, down) → fold again 5510 % 3 = 2 (c) → 4957 % 3 = 1 (b).
TEST(LbNginxIpHash, DownPeerRehashesWithTheCarriedHash) {
  auto s = servers({1, 1, 1});
  s[2].down = true;
  NginxUpstream u(s, NginxMethod::kIpHash);
  EXPECT_EQ(u.pick_and_release(ipv4(127, 0, 0, 1), 0), 1);
}

TEST(LbNginxIpHash, TwentyOneMissesFallBackToRoundRobin) {
  auto s = servers({1, 1});
  s[0].down = true;
  s.push_back(NginxServer{.name = "c", .weight = 1, .down = true});
  // Only b (index 1) is up; an address whose chain never lands on b still gets b via round robin.
  NginxUpstream u(s, NginxMethod::kIpHash);
  for (int oct = 0; oct < 50; ++oct) EXPECT_EQ(u.pick_and_release(ipv4(10, 1, oct, 1), 0), 1);
  // All down: round robin finds nobody either.
  for (auto& x : s) x.down = true;
  NginxUpstream none(s, NginxMethod::kIpHash);
  EXPECT_EQ(none.pick_and_release(ipv4(10, 1, 1, 1), 0), -1);
}

}  // namespace
}  // namespace scalebook::sim::lb
