// Tests for src/sim/breaker/envoy_outlier.h.
// "Port_" tests reproduce expectations of Envoy's test/common/upstream/outlier_detection_impl_test.cc
// (post-1.31 version: the tests that need a 2-host ejection set max_ejection_percent to 100 through
// the runtime, as Envoy's do). The mock runtime there returns the config default for integers and
// the fixture forces featureEnabled(enforcing_consecutive_5xx, 100) to true; we use the config.
#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <stdexcept>

#include "sim/breaker/envoy_outlier.h"

namespace eo = scalebook::sim::breaker::envoy;
using eo::EjectionType;
using eo::HostState;
using eo::OutlierConfig;
using eo::OutlierDetector;

namespace {
constexpr std::int64_t kMs = 1000;
constexpr std::int64_t kSec = 1'000'000;

void load(OutlierDetector& d, int host, int n, int status, std::int64_t now_us) {
  for (int i = 0; i < n; ++i) d.on_response(host, now_us, status);
}

OutlierConfig max100() {
  OutlierConfig c;
  c.max_ejection_percent = 100;
  return c;
}
}  // namespace

// ---------------------------------------------------------------- config

TEST(EnvoyOutlierConfig, Port_OutlierDetectorImplTest_DetectorStaticConfigMaxDefaultValue) {
  OutlierConfig c;
  c.interval_us = 100 * kMs;
  c.base_ejection_time_us = 10 * kSec;
  OutlierDetector d(c, 1);
  EXPECT_EQ(d.max_ejection_time_us(), 300 * kSec);
  EXPECT_EQ(d.next_tick_us(), 100 * kMs);  // enableTimer(100ms)
}

TEST(EnvoyOutlierConfig, Port_OutlierDetectorImplTest_DetectorStaticConfigiInvalidMaxEjectTime) {
  OutlierConfig c;
  c.base_ejection_time_us = 10 * kSec;
  c.max_ejection_time_us = 3 * kSec;
  EXPECT_THROW(OutlierDetector(c, 1), std::invalid_argument);
}

TEST(EnvoyOutlierConfig, Port_OutlierDetectorImplTest_DetectorStaticConfigBaseLargerThanMaxNoMax) {
  OutlierConfig c;
  c.base_ejection_time_us = 400 * kSec;
  OutlierDetector d(c, 1);
  EXPECT_EQ(d.max_ejection_time_us(), 400 * kSec);
}

TEST(EnvoyOutlierConfig, DefaultsMatchTheProtoAndHeader) {
  OutlierConfig c;
  EXPECT_EQ(c.interval_us, 10 * kSec);
  EXPECT_EQ(c.base_ejection_time_us, 30 * kSec);
  EXPECT_EQ(c.consecutive_5xx, 5u);
  EXPECT_EQ(c.consecutive_gateway_failure, 5u);
  EXPECT_EQ(c.max_ejection_percent, 10u);
  EXPECT_EQ(c.enforcing_consecutive_5xx, 100u);
  EXPECT_EQ(c.enforcing_consecutive_gateway_failure, 0u);
  EXPECT_FALSE(c.always_eject_one_host);
}

// ---------------------------------------------------------------- ports

TEST(EnvoyOutlier, Port_OutlierDetectorImplTest_DestroyWithActive) {
  OutlierDetector d(max100(), 2);  // one primary, one failover host: counted together
  load(d, 0, 5, 500, 0);
  EXPECT_TRUE(d.ejected(0));
  EXPECT_EQ(d.stats().ejections_active, 1u);
  load(d, 1, 5, 500, 0);
  EXPECT_TRUE(d.ejected(1));
  EXPECT_EQ(d.stats().ejections_active, 2u);
  d.remove_host(0);
  d.remove_host(1);
  EXPECT_EQ(d.stats().ejections_active, 0u);
}

TEST(EnvoyOutlier, Port_OutlierDetectorImplTest_BasicFlow5xxViaHttpCodes) {
  OutlierDetector d(max100(), 1);
  d.add_host();
  load(d, 0, 1, 500, 0);
  load(d, 0, 1, 200, 0);
  load(d, 0, 4, 500, 0);
  EXPECT_FALSE(d.ejected(0));
  load(d, 0, 1, 500, 0);
  EXPECT_TRUE(d.ejected(0));
  EXPECT_EQ(d.stats().ejections_active, 1u);

  d.tick(9999 * kMs);  // interval that doesn't bring the host back in
  EXPECT_FALSE(d.last_unejection_us(0).has_value());
  EXPECT_EQ(d.next_tick_us(), 9999 * kMs + 10 * kSec);

  d.tick(30001 * kMs);  // does bring it back
  EXPECT_FALSE(d.ejected(0));
  EXPECT_TRUE(d.last_unejection_us(0).has_value());

  load(d, 0, 4, 500, 40000 * kMs);
  load(d, 0, 1, 500, 40000 * kMs);
  EXPECT_TRUE(d.ejected(0));
  EXPECT_EQ(d.stats().ejections_active, 1u);

  d.remove_host(0);
  d.remove_host(1);
  EXPECT_EQ(d.stats().ejections_active, 0u);
  EXPECT_EQ(d.stats().ejections_total, 2u);
  EXPECT_EQ(d.stats().ejections_consecutive_5xx, 2u);
  ASSERT_EQ(d.transitions().size(), 3u);
  EXPECT_EQ(d.transitions()[1].to, HostState::kHealthy);
  EXPECT_EQ(d.transitions()[1].time_us, 30001 * kMs);
}

TEST(EnvoyOutlier, Port_OutlierDetectorImplTest_BasicFlow5xxViaNonHttpCodes) {
  // Non-split mode maps LocalOriginConnectFailed to 503 (resultToHttpCode), so it is also a
  // gateway failure: that detector fires first (enforcing 0 %: logged, not enforced), then 5xx.
  OutlierDetector d(max100(), 2);
  load(d, 0, 1, 503, 0);
  load(d, 0, 1, 200, 0);
  load(d, 0, 4, 503, 0);
  load(d, 0, 1, 503, 0);
  EXPECT_TRUE(d.ejected(0));
  ASSERT_EQ(d.detections().size(), 2u);
  EXPECT_EQ(d.detections()[0].type, EjectionType::kConsecutiveGatewayFailure);
  EXPECT_FALSE(d.detections()[0].enforced);
  EXPECT_EQ(d.detections()[1].type, EjectionType::kConsecutive5xx);
  EXPECT_TRUE(d.detections()[1].enforced);

  d.tick(9999 * kMs);
  EXPECT_FALSE(d.last_unejection_us(0).has_value());
  d.tick(30001 * kMs);
  EXPECT_FALSE(d.ejected(0));

  load(d, 0, 4, 503, 40000 * kMs);
  load(d, 0, 1, 503, 40000 * kMs);
  EXPECT_TRUE(d.ejected(0));
  ASSERT_EQ(d.detections().size(), 4u);
  EXPECT_EQ(d.detections()[2].type, EjectionType::kConsecutiveGatewayFailure);
  EXPECT_FALSE(d.detections()[2].enforced);
  EXPECT_EQ(d.stats().ejections_total, 2u);
  EXPECT_EQ(d.stats().ejections_consecutive_5xx, 2u);
}

TEST(EnvoyOutlier, Port_OutlierDetectorImplTest_BasicFlowGatewayFailure) {
  OutlierConfig c = max100();
  c.enforcing_consecutive_gateway_failure = 100;  // the test forces featureEnabled(gw) = true
  c.enforcing_consecutive_5xx = 0;                // and featureEnabled(5xx) = false
  OutlierDetector d(c, 2);
  load(d, 0, 1, 503, 0);
  load(d, 0, 1, 500, 0);
  load(d, 0, 2, 503, 0);
  load(d, 0, 2, 503, 0);  // 5th 5xx: CONSECUTIVE_5XX detected, not enforced
  ASSERT_EQ(d.detections().size(), 1u);
  EXPECT_EQ(d.detections()[0].type, EjectionType::kConsecutive5xx);
  EXPECT_FALSE(d.detections()[0].enforced);
  EXPECT_FALSE(d.ejected(0));
  load(d, 0, 1, 503, 0);  // 5th consecutive gateway failure
  EXPECT_TRUE(d.ejected(0));
  EXPECT_EQ(d.stats().ejections_active, 1u);

  d.tick(9999 * kMs);
  EXPECT_FALSE(d.last_unejection_us(0).has_value());
  d.tick(30001 * kMs);
  EXPECT_FALSE(d.ejected(0));
  EXPECT_TRUE(d.last_unejection_us(0).has_value());

  load(d, 0, 4, 503, 40000 * kMs);
  load(d, 0, 1, 503, 40000 * kMs);  // gateway ejects; the 5xx detection then finds it ejected
  EXPECT_TRUE(d.ejected(0));
  EXPECT_EQ(d.stats().ejections_active, 1u);

  d.remove_host(0);
  d.remove_host(1);
  EXPECT_EQ(d.stats().ejections_active, 0u);
  EXPECT_EQ(d.stats().ejections_total, 1u);            // deprecated counter behaviour
  EXPECT_EQ(d.stats().ejections_enforced_total, 2u);
  EXPECT_EQ(d.stats().ejections_enforced_consecutive_gateway_failure, 2u);
  EXPECT_EQ(d.stats().ejections_detected_consecutive_gateway_failure, 2u);
  EXPECT_EQ(d.stats().ejections_enforced_consecutive_5xx, 0u);
  EXPECT_EQ(d.stats().ejections_detected_consecutive_5xx, 1u);
}

TEST(EnvoyOutlier, Port_OutlierDetectorImplTest_Overflow) {
  OutlierConfig c;
  c.max_ejection_percent = 60;
  OutlierDetector d(c, 2);
  load(d, 0, 4, 500, 0);
  d.on_response(0, 0, 500);
  EXPECT_TRUE(d.ejected(0));      // 100 * 1 / 2 = 50 <= 60
  load(d, 1, 5, 500, 0);
  EXPECT_FALSE(d.ejected(1));     // 100 * 2 / 2 = 100 > 60
  EXPECT_EQ(d.stats().ejections_active, 1u);
  EXPECT_EQ(d.stats().ejections_overflow, 1u);
}

TEST(EnvoyOutlier, Port_OutlierDetectorImplTest_NotEnforcing) {
  OutlierConfig c;
  c.max_ejection_percent = 35;
  // The test turns featureEnabled(enforcing_consecutive_5xx) off before the 5th 503.
  OutlierConfig off = c;
  off.enforcing_consecutive_5xx = 0;
  OutlierDetector d2(off, 3);
  load(d2, 0, 5, 503, 0);
  EXPECT_FALSE(d2.ejected(0));
  EXPECT_EQ(d2.stats().ejections_active, 0u);
  ASSERT_EQ(d2.detections().size(), 2u);  // CONSECUTIVE_GATEWAY_FAILURE and CONSECUTIVE_5XX, both unenforced
  EXPECT_FALSE(d2.detections()[0].enforced);
  EXPECT_FALSE(d2.detections()[1].enforced);
  EXPECT_EQ(d2.stats().ejections_enforced_total, 0u);
  EXPECT_EQ(d2.stats().ejections_detected_consecutive_5xx, 1u);
  EXPECT_EQ(d2.stats().ejections_detected_consecutive_gateway_failure, 1u);
}

TEST(EnvoyOutlier, Port_OutlierDetectorImplTest_EjectTimeBackoff) {
  OutlierConfig c = max100();
  c.base_ejection_time_us = 10 * kSec;
  OutlierDetector d(c, 1);
  load(d, 0, 5, 500, 0);
  EXPECT_TRUE(d.ejected(0));
  d.tick(10 * kSec);                 // 1st ejection: back after 10 s
  EXPECT_FALSE(d.ejected(0));

  load(d, 0, 5, 500, 10 * kSec);     // 2nd: 20 s
  EXPECT_EQ(d.stats().ejections_active, 1u);
  d.tick(20 * kSec);
  EXPECT_TRUE(d.ejected(0));
  d.tick(30 * kSec);
  EXPECT_FALSE(d.ejected(0));

  load(d, 0, 5, 500, 30 * kSec);     // 3rd: 30 s
  d.tick(40 * kSec); EXPECT_TRUE(d.ejected(0));
  d.tick(50 * kSec); EXPECT_TRUE(d.ejected(0));
  d.tick(60 * kSec); EXPECT_FALSE(d.ejected(0));

  d.tick(70 * kSec);                 // two healthy intervals: backoff 3 -> 1
  d.tick(80 * kSec);
  EXPECT_EQ(d.eject_time_backoff(0), 1u);

  load(d, 0, 5, 500, 80 * kSec);     // ejected for 20 s
  d.tick(90 * kSec); EXPECT_TRUE(d.ejected(0));
  d.tick(100 * kSec); EXPECT_FALSE(d.ejected(0));

  for (int i = 1; i <= 50; ++i) d.tick((100 + i * 10) * kSec);  // long healthy period
  EXPECT_EQ(d.eject_time_backoff(0), 0u);

  load(d, 0, 5, 500, 610 * kSec);    // back to 1 x base
  EXPECT_TRUE(d.ejected(0));
  d.tick(620 * kSec);
  EXPECT_FALSE(d.ejected(0));
  EXPECT_EQ(d.stats().ejections_active, 0u);
}

// ---------------------------------------------------------------- Scalebook scenarios

TEST(EnvoyOutlierScenario, CodeNotDocs_DefaultTenPercentEjectsNothingBelowTenHosts) {
  OutlierDetector d(OutlierConfig{}, 5);
  load(d, 0, 5, 500, 0);
  EXPECT_FALSE(d.ejected(0));  // 100 * 1 / 5 = 20 > 10
  EXPECT_EQ(d.stats().ejections_overflow, 1u);
  EXPECT_EQ(d.consecutive_5xx(0), 0u);  // counter reset even though nothing was ejected
}

TEST(EnvoyOutlierScenario, AlwaysEjectOneHostLetsExactlyOneGo) {
  OutlierConfig c; c.always_eject_one_host = true;
  OutlierDetector d(c, 5);
  load(d, 0, 5, 500, 0);
  load(d, 1, 5, 500, 0);
  EXPECT_TRUE(d.ejected(0));
  EXPECT_FALSE(d.ejected(1));
  EXPECT_EQ(d.stats().ejections_overflow, 1u);
}

TEST(EnvoyOutlierScenario, LegacyRuleAlwaysLetTheFirstHostGo) {
  OutlierConfig c; c.legacy_pre_1_31_rule = true;
  OutlierDetector d(c, 5);
  load(d, 0, 5, 500, 0);
  load(d, 1, 5, 500, 0);
  EXPECT_TRUE(d.ejected(0));   // 0 % < 10 %
  EXPECT_FALSE(d.ejected(1));  // 20 % >= 10 %
}

TEST(EnvoyOutlierScenario, TenHostsDefaultEjectOneThenOverflow) {
  OutlierDetector d(OutlierConfig{}, 10);
  load(d, 3, 5, 502, 0);
  load(d, 7, 5, 500, 0);
  EXPECT_TRUE(d.ejected(3));
  EXPECT_FALSE(d.ejected(7));
}

TEST(EnvoyOutlierScenario, MaxEjectionTimeCapsTheBackoff) {
  OutlierConfig c = max100();
  c.base_ejection_time_us = 10 * kSec;
  c.max_ejection_time_us = 30 * kSec;
  OutlierDetector d(c, 1);
  std::int64_t t = 0;
  std::vector<std::int64_t> durations;
  for (int i = 0; i < 5; ++i) {
    load(d, 0, 5, 500, t);
    durations.push_back(d.detections().back().ejection_duration_us);
    while (d.ejected(0)) { t += 1 * kSec; d.tick(t); }
  }
  EXPECT_EQ(durations, (std::vector<std::int64_t>{10 * kSec, 20 * kSec, 30 * kSec, 30 * kSec, 30 * kSec}));
  EXPECT_EQ(d.eject_time_backoff(0), 4u);  // stops once backoff*base >= max+base
}

TEST(EnvoyOutlierScenario, UnejectionWaitsForTheIntervalTimer) {
  OutlierDetector d(max100(), 1);       // timer at 10, 20, 30, 40 s; base 30 s
  d.run_timers_until(3 * kSec);
  load(d, 0, 5, 500, 3 * kSec);
  d.run_timers_until(39 * kSec);
  EXPECT_TRUE(d.ejected(0));            // at 30 s only 27 s had passed
  d.run_timers_until(40 * kSec);
  EXPECT_FALSE(d.ejected(0));           // ejected 37 s for a 30 s base
  EXPECT_EQ(d.transitions().back().time_us, 40 * kSec);
}

TEST(EnvoyOutlierScenario, EnforcementIsASeededDrawAndJitterASecondDraw) {
  std::deque<std::uint64_t> draws{149, 50, 7};  // 149%100=49 < 50: enforced; jitter 50 % 1001 ms
  OutlierConfig c = max100();
  c.enforcing_consecutive_5xx = 50;
  c.max_ejection_time_jitter_us = 1000 * kMs;
  OutlierDetector d(c, 1, 0, [&] { auto v = draws.front(); draws.pop_front(); return v; });
  load(d, 0, 5, 500, 0);
  EXPECT_TRUE(d.ejected(0));
  EXPECT_EQ(d.detections().back().ejection_duration_us, 30 * kSec + 50 * kMs);
  d.tick(30 * kSec + 49 * kMs);
  EXPECT_TRUE(d.ejected(0));
  d.tick(30 * kSec + 50 * kMs);
  EXPECT_FALSE(d.ejected(0));
  draws = {50};  // 50 % 100 = 50, not < 50: detected, not enforced
  load(d, 0, 5, 500, 40 * kSec);
  EXPECT_FALSE(d.ejected(0));
  EXPECT_FALSE(d.detections().back().enforced);
}

TEST(EnvoyOutlierScenario, CountersKeepClimbingWhileEjectedAndDoNotRefire) {
  OutlierDetector d(max100(), 1);
  load(d, 0, 5, 500, 0);
  ASSERT_TRUE(d.ejected(0));
  load(d, 0, 7, 500, 1 * kSec);  // in-flight failures while ejected
  EXPECT_EQ(d.consecutive_5xx(0), 7u);
  EXPECT_EQ(d.detections().size(), 1u);
  d.tick(30 * kSec);
  EXPECT_EQ(d.consecutive_5xx(0), 0u);  // un-ejection resets
}

TEST(EnvoyOutlierScenario, FourHundredIsNotAFailureAnd500ResetsOnlyTheGatewayCounter) {
  OutlierDetector d(max100(), 1);
  load(d, 0, 3, 503, 0);
  d.on_response(0, 0, 500);
  EXPECT_EQ(d.consecutive_5xx(0), 4u);
  EXPECT_EQ(d.consecutive_gateway_failure(0), 0u);
  d.on_response(0, 0, 404);
  EXPECT_EQ(d.consecutive_5xx(0), 0u);
}

// ---------------------------------------------------------------- success rate (statistical)

TEST(EnvoyOutlier, Port_OutlierDetectorImplTest_BasicFlowSuccessRateExternalOrigin) {
  OutlierConfig c = max100();
  c.enforcing_consecutive_5xx = 0;  // 5xx detection off, to test SR in isolation
  OutlierDetector d(c, 5);
  for (int h = 0; h < 5; ++h) load(d, h, 200, 200, 0);
  load(d, 4, 200, 503, 0);
  std::size_t consecutive_logs = d.detections().size();
  EXPECT_EQ(consecutive_logs, 80u);  // 40 x CONSECUTIVE_5XX + 40 x GATEWAY_FAILURE, unenforced

  d.tick(10000 * kMs);
  EXPECT_DOUBLE_EQ(d.host_success_rate(4), 50.0);
  EXPECT_DOUBLE_EQ(d.success_rate_average(), 90.0);
  EXPECT_DOUBLE_EQ(d.success_rate_ejection_threshold(), 52.0);
  EXPECT_TRUE(d.ejected(4));
  EXPECT_EQ(d.detections().back().type, EjectionType::kSuccessRate);
  EXPECT_EQ(d.stats().ejections_active, 1u);

  d.tick(19999 * kMs);
  EXPECT_TRUE(d.ejected(4));
  d.tick(50001 * kMs);
  EXPECT_FALSE(d.ejected(4));
  EXPECT_EQ(d.stats().ejections_active, 0u);

  for (int h = 0; h < 5; ++h) load(d, h, 25, 200, 50001 * kMs);
  load(d, 4, 25, 503, 50001 * kMs);
  d.tick(60001 * kMs);
  EXPECT_EQ(d.stats().ejections_active, 0u);
  EXPECT_DOUBLE_EQ(d.host_success_rate(4), 50.0);  // computed: volume 50 >= failure-percentage volume
  EXPECT_DOUBLE_EQ(d.success_rate_average(), -1.0);
  EXPECT_DOUBLE_EQ(d.success_rate_ejection_threshold(), -1.0);
}

TEST(EnvoyOutlierScenario, CodeNotDocs_SuccessRateOutlierAmongFiveHostsOverflowsAtDefaultPercent) {
  OutlierConfig c;
  c.enforcing_consecutive_5xx = 0;
  OutlierDetector d(c, 5);
  for (int h = 0; h < 5; ++h) load(d, h, 200, 200, 0);
  load(d, 4, 200, 503, 0);
  d.tick(10 * kSec);
  EXPECT_DOUBLE_EQ(d.success_rate_ejection_threshold(), 52.0);
  EXPECT_FALSE(d.ejected(4));  // 100 * 1 / 5 = 20 % > 10 %
  EXPECT_EQ(d.stats().ejections_detected_success_rate, 1u);
  EXPECT_GE(d.stats().ejections_overflow, 1u);
}

TEST(EnvoyOutlierScenario, FailurePercentageEjectsWhenEnforced) {
  OutlierConfig c = max100();
  c.enforcing_consecutive_5xx = 0;
  c.enforcing_success_rate = 0;
  c.enforcing_failure_percentage = 100;
  OutlierDetector d(c, 5);
  for (int h = 0; h < 5; ++h) load(d, h, 50, h == 2 ? 500 : 200, 0);  // host 2: 100 % failures
  d.tick(10 * kSec);
  EXPECT_TRUE(d.ejected(2));
  EXPECT_EQ(d.detections().back().type, EjectionType::kFailurePercentage);
  EXPECT_EQ(d.stats().ejections_enforced_failure_percentage, 1u);
}
