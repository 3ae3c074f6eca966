// nginx limit_req: decisions and delays derived by hand from
// src/http/modules/ngx_http_limit_req_module.c (nginx/nginx, 1.15.7+):
//   ctx->rate   = N * 1000 / scale            (ngx_http_limit_req_zone; scale 60 for r/m)
//   burst/delay = value * 1000                (ngx_http_limit_req)
//   lookup:  ms = now - last; ms < -60000 → 1; ms < 0 → 0
//            excess = lr->excess - rate * ms / 1000 + 1000, clamped at 0
//            excess > burst → BUSY (node unchanged); else store excess, last = now if ms != 0
//   new node: excess = 0, last = now (never delayed)
//   account: excess > delay → delay_ms = (excess - delay) * 1000 / rate
#include <gtest/gtest.h>

#include <vector>

#include "sim/ratelimit/nginx_limit_req.h"

namespace rl = scalebook::sim::ratelimit;

namespace {
rl::NginxLimitReqDesc desc(int count, int period_s, int burst, int delay = 0, bool nodelay = false) {
  return {rl::RateSpec{count, period_s}, burst, delay, nodelay};
}
std::string show(const rl::Decision& d) {
  if (d.verdict == rl::Verdict::Delay) return "delay " + std::to_string(d.delay_us / 1000);
  return rl::verdict_name(d.verdict);
}
std::vector<std::string> run(rl::NginxLimitReq l, const std::vector<std::int64_t>& times_ms) {
  std::vector<std::string> out;
  for (auto t : times_ms) out.push_back(show(l.decide(t * 1000)));
  return out;
}
}  // namespace

TEST(RateLimitNginx, RateParsingUsesIntegerDivision) {
  EXPECT_EQ(rl::NginxLimitReq(desc(10, 1, 0)).rate_milli(), 10000);
  EXPECT_EQ(rl::NginxLimitReq(desc(600, 60, 0)).rate_milli(), 10000);
  EXPECT_EQ(rl::NginxLimitReq(desc(1, 60, 0)).rate_milli(), 16);  // 1000/60 = 16, not 16.67
  EXPECT_EQ(rl::NginxLimitReq(desc(1, 1, 5)).burst_milli(), 5000);
  rl::RateSpec r;
  EXPECT_EQ(rl::parse_rate("600r/m", r), "");
  EXPECT_EQ(r.count, 600);
  EXPECT_EQ(r.period_s, 60);
  EXPECT_NE(rl::parse_rate("10", r), "");
  EXPECT_NE(rl::parse_rate("0r/s", r), "");
  EXPECT_NE(rl::parse_rate("10r/h", r), "");
  EXPECT_NE(rl::parse_rate("-1r/s", r), "");
}

// rate=10r/s burst=5, a burst of 7 at t=0 then paced requests.
//  #1 new node → admit (excess 0)
//  #2..#6 ms = 0: excess 1000..5000 (≤ 5000), last unchanged; delay = excess*1000/10000 = 100..500 ms
//  #7 excess 6000 > 5000 → reject, node keeps 5000
//  t=100: 5000 - 10000*100/1000 + 1000 = 5000 → delay 500, last = 100
//  t=150: 5000 - 500 + 1000 = 5500 → reject;  t=199: 5000 - 990 + 1000 = 5010 → reject
//  t=200: 5000 - 1000 + 1000 = 5000 → delay 500 (rejections did not move `last`)
TEST(RateLimitNginx, BurstQueueDelaysAndRejects) {
  const std::vector<std::string> want = {"admit",    "delay 100", "delay 200", "delay 300", "delay 400", "delay 500",
                                         "reject",   "delay 500", "reject",    "reject",    "delay 500"};
  EXPECT_EQ(run(rl::NginxLimitReq(desc(10, 1, 5)), {0, 0, 0, 0, 0, 0, 0, 100, 150, 199, 200}), want);
}

// Same traffic with nodelay: delay = NGX_MAX_INT_T_VALUE/1000*1000, so excess never exceeds it.
TEST(RateLimitNginx, NodelayAdmitsTheBurstAtOnce) {
  const std::vector<std::string> want = {"admit", "admit", "admit", "admit", "admit", "admit",
                                         "reject", "admit", "reject", "reject", "admit"};
  EXPECT_EQ(run(rl::NginxLimitReq(desc(10, 1, 5, 0, true)), {0, 0, 0, 0, 0, 0, 0, 100, 150, 199, 200}), want);
}

// delay=2 (2000): excess 1000 and 2000 pass undelayed; 3000 → (3000-2000)*1000/10000 = 100 ms; ...
TEST(RateLimitNginx, DelayNLetsTheFirstNThrough) {
  const std::vector<std::string> want = {"admit", "admit", "admit", "delay 100", "delay 200", "delay 300", "reject"};
  EXPECT_EQ(run(rl::NginxLimitReq(desc(10, 1, 5, 2)), {0, 0, 0, 0, 0, 0, 0}), want);
}

// rate=1r/m → ctx->rate = 16. With burst=0 a second request needs 16*ms/1000 >= 1000, i.e.
// ms >= 62500: a request exactly 60 s later is rejected (60000 ms drains only 960).
TEST(RateLimitNginx, PerMinuteRateTruncationIsVisible) {
  EXPECT_EQ(run(rl::NginxLimitReq(desc(1, 60, 0)), {0, 60000, 62499, 62500}),
            (std::vector<std::string>{"admit", "reject", "reject", "admit"}));
}

// rate=3r/s (3000), burst=1: #2 at t=0: excess 1000 → delay 1000*1000/3000 = 333 (truncated).
// t=1: 1000 - 3 + 1000 = 1997 → reject.  t=333: 1000 - 999 + 1000 = 1001 → reject.
// t=334: 1000 - 1002 + 1000 = 998 → delay 998*1000/3000 = 332.
TEST(RateLimitNginx, IntegerTruncationInDrainAndDelay) {
  EXPECT_EQ(run(rl::NginxLimitReq(desc(3, 1, 1)), {0, 0, 1, 333, 334}),
            (std::vector<std::string>{"admit", "delay 333", "reject", "reject", "delay 332"}));
}

// Time is ngx_current_msec: 0.5 ms floors to 0 → ms = 0, `last` stays 0;
// at 1.5 ms (now = 1): excess = 1000 - 10000*1/1000 + 1000 = 1990 → delay 199.
TEST(RateLimitNginx, MillisecondGranularityAndLastOnlyMovesWhenMsNonZero) {
  rl::NginxLimitReq l(desc(10, 1, 5));
  EXPECT_EQ(show(l.decide(0)), "admit");
  EXPECT_EQ(show(l.decide(500)), "delay 100");
  EXPECT_EQ(l.node().last_ms, 0u);
  EXPECT_EQ(show(l.decide(1500)), "delay 199");
  EXPECT_EQ(l.node().last_ms, 1u);
  EXPECT_EQ(l.node().excess, 1990);
}

TEST(RateLimitNginx, NegativeElapsedIsClampedLikeNginx) {
  rl::NginxLimitReq l(desc(10, 1, 5));
  rl::NginxNode n{100000, 2000};
  // now < last by 50 ms → ms = 0: excess + 1000, last unchanged.
  auto o = l.lookup(n, 99950);
  EXPECT_EQ(o.excess, 3000);
  EXPECT_EQ(n.last_ms, 100000u);
  // now < last by more than 60 s → ms = 1: 3000 - 10 + 1000 = 3990, last = now.
  o = l.lookup(n, 100000 - 70000);
  EXPECT_EQ(o.excess, 3990);
  EXPECT_EQ(n.last_ms, 30000u);
}

TEST(RateLimitNginx, RejectionLeavesStoredStateUnchanged) {
  rl::NginxLimitReq l(desc(1, 1, 0));
  rl::NginxNode n{5000, 0};
  auto o = l.lookup(n, 5100);  // 0 - 100 + 1000 = 900 > 0 → busy
  EXPECT_EQ(o.decision.verdict, rl::Verdict::Reject);
  EXPECT_EQ(o.excess, 900);
  EXPECT_EQ(n.excess, 0);
  EXPECT_EQ(n.last_ms, 5000u);
}

// Zone expiry (ngx_http_limit_req_expire(ctx, 1) on a new key): key A idle >= 60 s with
// drained excess (0 - 16*61000/1000 <= 0) is freed when key B arrives, so A comes back
// as a new node (admitted). Without B, A at 61001 ms would get 0 - 976 + 1000 = 24 > 0 → reject.
TEST(RateLimitNginx, ZoneExpiresIdleDrainedKeys) {
  rl::NginxZone with_b(desc(1, 60, 0), 100);
  EXPECT_EQ(with_b.decide(0, 1).verdict, rl::Verdict::Admit);
  EXPECT_EQ(with_b.decide(61000 * 1000, 2).verdict, rl::Verdict::Admit);
  EXPECT_EQ(with_b.decide(61001 * 1000, 1).verdict, rl::Verdict::Admit);
  EXPECT_EQ(with_b.expirations(), 1u);

  rl::NginxZone alone(desc(1, 60, 0), 100);
  EXPECT_EQ(alone.decide(0, 1).verdict, rl::Verdict::Admit);
  EXPECT_EQ(alone.decide(61001 * 1000, 1).verdict, rl::Verdict::Reject);
}

// A full zone frees its least recently used node by force (expire(ctx, 0)).
TEST(RateLimitNginx, FullZoneEvictsLeastRecentlyUsed) {
  rl::NginxZone z(desc(1, 1, 0), 1);
  EXPECT_EQ(z.decide(0, 1).verdict, rl::Verdict::Admit);
  EXPECT_EQ(z.decide(0, 1).verdict, rl::Verdict::Reject);  // excess 1000 > burst 0
  EXPECT_EQ(z.decide(1000, 2).verdict, rl::Verdict::Admit);
  EXPECT_EQ(z.evictions(), 1u);
  EXPECT_EQ(z.decide(2000, 1).verdict, rl::Verdict::Admit);  // forgotten: new node again
  EXPECT_EQ(z.evictions(), 2u);
}
