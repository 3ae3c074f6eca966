// Tests for src/sim/breaker/resilience4j.h.
// "Port:" tests reproduce the expectations of resilience4j's own tests
// (resilience4j @ af9e7c979f17804f23cc1b76dd7cf268fb58b5c7); the rest are Scalebook scenarios.
#include <gtest/gtest.h>

#include <cstdint>

#include "sim/breaker/resilience4j.h"

namespace r4j = scalebook::sim::breaker::r4j;
using r4j::CircuitBreaker;
using r4j::Config;
using r4j::Outcome;
using r4j::SlidingWindow;
using r4j::State;
using r4j::WindowType;

namespace {

constexpr std::int64_t kMs = 1000;
constexpr std::int64_t kSec = 1'000'000;
// MockClock.at(2019, 8, 4, 12, 0, 0, UTC) and MockClock.at(2019, 1, 1, 12, 0, 0, UTC).
constexpr std::int64_t kAug2019 = 1564920000LL * kSec;
constexpr std::int64_t kJan2019 = 1546344000LL * kSec;

// CircuitBreakerStateMachineTest.setUp()
Config state_machine_test_config() {
  Config c;
  c.failure_rate_threshold = 50;
  c.permitted_number_of_calls_in_half_open_state = 4;
  c.slow_call_duration_threshold_us = 4 * kSec;
  c.slow_call_rate_threshold = 50;
  c.max_wait_duration_in_half_open_state_us = 1 * kSec;
  c.sliding_window_type = WindowType::kTimeBased;
  c.sliding_window_size = 20;
  c.minimum_number_of_calls = 5;
  c.wait_duration_in_open_state_us = 5 * kSec;
  return c;
}

// assertCircuitBreakerMetricsEqualTo(failureRate, successful, buffered, failed, notPermitted)
void expect_metrics(CircuitBreaker& cb, std::int64_t now, float failure_rate, int successful,
                    int buffered, int failed, std::int64_t not_permitted) {
  auto& m = cb.metrics(now);
  auto s = m.snapshot(now);
  EXPECT_FLOAT_EQ(m.failure_rate(now), failure_rate);
  EXPECT_EQ(s.successful_calls(), successful);
  EXPECT_EQ(s.total_calls, buffered);
  EXPECT_EQ(s.failed_calls, failed);
  EXPECT_EQ(m.not_permitted_calls(), not_permitted);
}

}  // namespace

// ---------------------------------------------------------------- sliding windows

TEST(R4jFixedSizeWindow, Port_FixedSizeSlidingWindowMetricsTest_checkInitialBucketCreation) {
  SlidingWindow w(WindowType::kCountBased, 5, 0);
  auto s = w.snapshot(0);
  EXPECT_EQ(s.total_calls, 0);
  EXPECT_EQ(s.failed_calls, 0);
  EXPECT_EQ(s.slow_calls, 0);
  EXPECT_EQ(s.total_duration_ms, 0);
  EXPECT_EQ(s.failure_rate(), 0.0f);
}

TEST(R4jFixedSizeWindow, Port_FixedSizeSlidingWindowMetricsTest_testRecordSuccessErrorSlowSuccess) {
  {
    SlidingWindow w(WindowType::kCountBased, 5, 0);
    auto s = w.record(0, 100 * kMs, Outcome::kSuccess);
    EXPECT_EQ(s.total_calls, 1);
    EXPECT_EQ(s.successful_calls(), 1);
    EXPECT_EQ(s.total_duration_ms, 100);
    EXPECT_EQ(s.failure_rate(), 0.0f);
  }
  {
    SlidingWindow w(WindowType::kCountBased, 5, 0);
    auto s = w.record(0, 100 * kMs, Outcome::kError);
    EXPECT_EQ(s.failed_calls, 1);
    EXPECT_EQ(s.failure_rate(), 100.0f);
  }
  {
    SlidingWindow w(WindowType::kCountBased, 5, 0);
    auto s = w.record(0, 100 * kMs, Outcome::kSlowSuccess);
    EXPECT_EQ(s.successful_calls(), 1);
    EXPECT_EQ(s.slow_calls, 1);
    EXPECT_EQ(s.slow_calls - s.slow_failed_calls, 1);
    EXPECT_EQ(s.failure_rate(), 0.0f);
  }
}

TEST(R4jFixedSizeWindow, Port_FixedSizeSlidingWindowMetricsTest_testSlowCallsPercentage) {
  SlidingWindow w(WindowType::kCountBased, 5, 0);
  w.record(0, 10000 * kMs, Outcome::kSlowSuccess);
  w.record(0, 10000 * kMs, Outcome::kSlowError);
  for (int i = 0; i < 3; ++i) w.record(0, 100 * kMs, Outcome::kSuccess);
  auto s = w.snapshot(0);
  EXPECT_EQ(s.total_calls, 5);
  EXPECT_EQ(s.successful_calls(), 4);
  EXPECT_EQ(s.slow_calls, 2);
  EXPECT_EQ(s.slow_failed_calls, 1);
  EXPECT_EQ(s.total_duration_ms, 20300);
  EXPECT_EQ(s.total_duration_ms / s.total_calls, 4060);
  EXPECT_EQ(s.slow_call_rate(), 40.0f);
}

TEST(R4jFixedSizeWindow, Port_FixedSizeSlidingWindowMetricsTest_testSlidingWindowMetrics) {
  SlidingWindow w(WindowType::kCountBased, 4, 0);
  auto s = w.record(0, 100 * kMs, Outcome::kError);
  EXPECT_EQ(s.total_calls, 1); EXPECT_EQ(s.failure_rate(), 100.0f);
  s = w.record(0, 100 * kMs, Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 2); EXPECT_EQ(s.failure_rate(), 50.0f);
  s = w.record(0, 100 * kMs, Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 3); EXPECT_EQ(s.failure_rate(), 33.333332f);  // float, as in Java
  s = w.record(0, 100 * kMs, Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 4); EXPECT_EQ(s.failure_rate(), 25.0f); EXPECT_EQ(s.total_duration_ms, 400);
  s = w.record(0, 100 * kMs, Outcome::kSuccess);  // the error slides out
  EXPECT_EQ(s.total_calls, 4); EXPECT_EQ(s.successful_calls(), 4); EXPECT_EQ(s.failed_calls, 0);
  EXPECT_EQ(s.failure_rate(), 0.0f);
}

TEST(R4jFixedSizeWindow, Port_FixedSizeSlidingWindowMetricsTest_testSlidingWindowMetricsWithSlowCalls) {
  SlidingWindow w(WindowType::kCountBased, 2, 0);
  auto s = w.record(0, 100 * kMs, Outcome::kSlowError);
  EXPECT_EQ(s.total_calls, 1); EXPECT_EQ(s.slow_calls, 1); EXPECT_EQ(s.slow_failed_calls, 1);
  s = w.record(0, 100 * kMs, Outcome::kSlowSuccess);
  EXPECT_EQ(s.total_calls, 2); EXPECT_EQ(s.slow_calls, 2); EXPECT_EQ(s.failure_rate(), 50.0f);
  s = w.record(0, 100 * kMs, Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 2); EXPECT_EQ(s.slow_calls, 1); EXPECT_EQ(s.slow_failed_calls, 0);
  EXPECT_EQ(s.failed_calls, 0);
  s = w.record(0, 100 * kMs, Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 2); EXPECT_EQ(s.slow_calls, 0);
}

TEST(R4jTimeWindow, Port_SlidingTimeWindowMetricsTest_testSlowCallsPercentage) {
  SlidingWindow w(WindowType::kTimeBased, 5, kAug2019);
  w.record(kAug2019, 10000 * kMs, Outcome::kSlowSuccess);
  w.record(kAug2019, 10000 * kMs, Outcome::kSlowError);
  for (int i = 0; i < 3; ++i) w.record(kAug2019, 100 * kMs, Outcome::kSuccess);
  auto s = w.snapshot(kAug2019);
  EXPECT_EQ(s.total_calls, 5);
  EXPECT_EQ(s.total_duration_ms, 20300);
  EXPECT_EQ(s.slow_call_rate(), 40.0f);
}

TEST(R4jTimeWindow, Port_SlidingTimeWindowMetricsTest_shouldClearSlidingTimeWindowMetrics) {
  std::int64_t t = kAug2019;
  SlidingWindow w(WindowType::kTimeBased, 5, t);
  auto s = w.record(t, 100 * kMs, Outcome::kError);
  EXPECT_EQ(s.total_calls, 1);
  t += 100 * kMs;
  s = w.record(t, 100 * kMs, Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 2); EXPECT_EQ(s.failure_rate(), 50.0f);
  t += 700 * kMs;
  s = w.record(t, 1000 * kMs, Outcome::kSlowError);
  EXPECT_EQ(s.total_calls, 3); EXPECT_EQ(s.failed_calls, 2); EXPECT_EQ(s.slow_failed_calls, 1);
  EXPECT_EQ(s.total_duration_ms, 1200);
  t += 4 * kSec;
  s = w.snapshot(t);
  EXPECT_EQ(s.total_calls, 3);
  t += 1 * kSec;
  s = w.snapshot(t);
  EXPECT_EQ(s.total_calls, 0); EXPECT_EQ(s.total_duration_ms, 0); EXPECT_EQ(s.failure_rate(), 0.0f);
  t += 100 * kMs;
  s = w.record(t, 100 * kMs, Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 1); EXPECT_EQ(s.successful_calls(), 1);
  t += 5 * kSec;
  s = w.record(t, 100 * kMs, Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 1);
}

TEST(R4jTimeWindow, Port_SlidingTimeWindowMetricsTest_testSlidingTimeWindowMetrics) {
  std::int64_t t = kAug2019;
  SlidingWindow w(WindowType::kTimeBased, 5, t);
  auto rec = [&](Outcome o) { return w.record(t, 100 * kMs, o); };
  auto s = rec(Outcome::kError);
  EXPECT_EQ(s.total_calls, 1);
  t += 100 * kMs; s = rec(Outcome::kSuccess); EXPECT_EQ(s.total_calls, 2);
  t += 100 * kMs; s = rec(Outcome::kSuccess); EXPECT_EQ(s.total_calls, 3); EXPECT_EQ(s.failed_calls, 1);
  t += kSec; s = rec(Outcome::kSuccess); EXPECT_EQ(s.total_calls, 4);
  t += kSec; s = rec(Outcome::kSuccess); EXPECT_EQ(s.total_calls, 5);
  t += kSec; s = rec(Outcome::kError); EXPECT_EQ(s.total_calls, 6); EXPECT_EQ(s.failed_calls, 2);
  t += kSec; s = rec(Outcome::kSuccess); EXPECT_EQ(s.total_calls, 7);
  t += kSec; s = rec(Outcome::kSuccess);  // second 0 (3 calls) leaves the window
  EXPECT_EQ(s.total_calls, 5); EXPECT_EQ(s.successful_calls(), 4); EXPECT_EQ(s.failed_calls, 1);
  t += kSec; s = rec(Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 5); EXPECT_EQ(s.successful_calls(), 4); EXPECT_EQ(s.failed_calls, 1);
  t += 5 * kSec; s = rec(Outcome::kSuccess);
  EXPECT_EQ(s.total_calls, 1); EXPECT_EQ(s.failed_calls, 0);
}

TEST(R4jTimeWindow, BucketsByEpochSecondNotByElapsedTime) {
  // A 1-second window: a call at .999 is gone at the next whole second, 1 ms later.
  const std::int64_t t0 = 10 * kSec;
  SlidingWindow w(WindowType::kTimeBased, 1, t0);
  w.record(t0 + 999 * kMs, 0, Outcome::kError);
  EXPECT_EQ(w.snapshot(t0 + 999 * kMs).total_calls, 1);
  EXPECT_EQ(w.snapshot(t0 + kSec).total_calls, 0);
}

// ---------------------------------------------------------------- state machine (ports)

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldThrowCallNotPermittedExceptionWhenStateIsOpen) {
  CircuitBreaker cb(state_machine_test_config(), kJan2019);
  cb.transition_to_open(kJan2019);
  EXPECT_FALSE(cb.allow(kJan2019));
  EXPECT_EQ(cb.metrics(kJan2019).not_permitted_calls(), 1);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldThrowCallNotPermittedExceptionWhenStateIsForcedOpen) {
  CircuitBreaker cb(state_machine_test_config(), kJan2019);
  cb.transition_to_forced_open(kJan2019);
  EXPECT_FALSE(cb.allow(kJan2019));
  EXPECT_EQ(cb.metrics(kJan2019).not_permitted_calls(), 1);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldThrowCallNotPermittedExceptionWhenNotFurtherTestCallsArePermitted) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_open(t);
  cb.transition_to_half_open(t);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(cb.allow(t));
  EXPECT_FALSE(cb.allow(t));
  EXPECT_EQ(cb.metrics(t).not_permitted_calls(), 1);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldOnlyPermitFourCallsInHalfOpenState) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  for (int round = 0; round < 2; ++round) {
    cb.transition_to_open(t);
    cb.transition_to_half_open(t);
    EXPECT_EQ(cb.state(t), State::kHalfOpen);
    for (int i = 0; i < 4; ++i) EXPECT_TRUE(cb.allow(t));
    EXPECT_FALSE(cb.allow(t));
    EXPECT_FALSE(cb.allow(t));
  }
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldIncreaseCounterOnReleasePermission) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_open(t);
  cb.transition_to_half_open(t);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(cb.allow(t));
  cb.release_permission(t);
  EXPECT_TRUE(cb.allow(t));
  EXPECT_FALSE(cb.allow(t));
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldOpenAfterFailureRateThresholdExceeded2) {
  std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.on_result(t, true, 0); t += kSec;
  cb.on_result(t, true, 0); t += kSec;
  cb.on_result(t, true, 0); t += kSec;
  cb.on_result(t, false, 0); t += kSec;
  cb.on_result(t, false, 0);
  EXPECT_EQ(cb.state(t), State::kClosed);  // 2/5 = 40 %
  t += kSec;
  EXPECT_EQ(cb.state(t), State::kClosed);
  cb.on_result(t, false, 0);                // 3/6 = 50 % >= 50 %
  EXPECT_EQ(cb.state(t), State::kOpen);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldOpenAfterFailureRateThresholdExceeded) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  EXPECT_TRUE(cb.allow(t));
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, false, 0);
  EXPECT_EQ(cb.state(t), State::kClosed); expect_metrics(cb, t, -1.0f, 0, 1, 1, 0);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, false, 0);
  expect_metrics(cb, t, -1.0f, 0, 2, 2, 0);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, false, 0);
  expect_metrics(cb, t, -1.0f, 0, 3, 3, 0);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, true, 0);
  EXPECT_EQ(cb.state(t), State::kClosed); expect_metrics(cb, t, -1.0f, 1, 4, 3, 0);
  cb.on_result(t, true, 0);
  EXPECT_EQ(cb.state(t), State::kOpen);
  expect_metrics(cb, t, 60.0f, 2, 5, 3, 0);
  EXPECT_FALSE(cb.allow(t));
  expect_metrics(cb, t, 60.0f, 2, 5, 3, 1);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldOpenAfterSlowCallRateThresholdExceeded) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.on_result(t, false, 5 * kSec);
  cb.on_result(t, true, 5 * kSec);
  cb.on_result(t, false, 100 * kMs);
  cb.on_result(t, true, 100 * kMs);
  EXPECT_EQ(cb.state(t), State::kClosed);
  cb.on_result(t, true, 5 * kSec);
  EXPECT_EQ(cb.state(t), State::kOpen);
  auto s = cb.metrics(t).snapshot(t);
  EXPECT_EQ(s.total_calls, 5);
  EXPECT_EQ(s.slow_calls, 3);
  EXPECT_FLOAT_EQ(cb.metrics(t).slow_call_rate(t), 60.0f);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldOpenAfterSlowCallRateThresholdExceededUsingMockClock) {
  // decorateConsumer(mockClock::advanceBySeconds): the call itself advances the clock.
  std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  auto call = [&](int secs) {
    ASSERT_TRUE(cb.allow(t));
    t += secs * kSec;
    cb.on_result(t, true, secs * kSec);
  };
  call(5); call(5); call(1); call(1);
  EXPECT_EQ(cb.metrics(t).snapshot(t).total_calls, 4);
  EXPECT_EQ(cb.state(t), State::kClosed);
  call(5);
  EXPECT_EQ(cb.state(t), State::kOpen);
  EXPECT_EQ(cb.metrics(t).snapshot(t).slow_calls, 3);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldTransitionToHalfOpenAfterWaitDuration) {
  std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_open(t);
  EXPECT_FALSE(cb.allow(t));
  t += 3 * kSec;
  EXPECT_EQ(cb.state(t), State::kOpen);
  EXPECT_FALSE(cb.allow(t));
  expect_metrics(cb, t, -1.0f, 0, 0, 0, 2);
  t += 3 * kSec;
  EXPECT_TRUE(cb.allow(t));
  EXPECT_EQ(cb.state(t), State::kHalfOpen);
  expect_metrics(cb, t, -1.0f, 0, 0, 0, 0);  // fresh HALF_OPEN metrics
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldTransitionToHalfOpenAfterPassedWaitDuration) {
  std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_open_for(t, 2 * 3600 * kSec);
  EXPECT_FALSE(cb.allow(t));
  t += 3600 * kSec;
  EXPECT_FALSE(cb.allow(t));
  expect_metrics(cb, t, -1.0f, 0, 0, 0, 2);
  t += 3600 * kSec;
  t += kSec;
  EXPECT_TRUE(cb.allow(t));
  EXPECT_EQ(cb.state(t), State::kHalfOpen);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldTransitionToHalfOpenAfterWaitInterval) {
  Config c;
  c.failure_rate_threshold = 50;
  c.sliding_window_size = 5;
  c.permitted_number_of_calls_in_half_open_state = 4;
  // IntervalFunction.ofExponentialBackoff(5000L): 5000 * 1.5^(attempt-1) ms
  c.wait_interval_us = [](int attempts) {
    double ms = 5000.0;
    for (int i = 1; i < attempts; ++i) ms *= 1.5;
    return static_cast<std::int64_t>(ms) * kMs;
  };
  std::int64_t t = kJan2019;
  CircuitBreaker cb(c, t);
  cb.transition_to_open(t);
  EXPECT_FALSE(cb.allow(t));
  t += 3 * kSec;
  EXPECT_FALSE(cb.allow(t));
  t += 3 * kSec;
  EXPECT_TRUE(cb.allow(t));
  EXPECT_EQ(cb.state(t), State::kHalfOpen);
  cb.transition_to_open(t);  // attempts 2 -> 7.5 s
  EXPECT_EQ(cb.attempts(), 2);
  t += 6 * kSec;
  EXPECT_FALSE(cb.allow(t));
  t += 5 * kSec;
  EXPECT_TRUE(cb.allow(t));
  EXPECT_EQ(cb.state(t), State::kHalfOpen);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldTransitionBackToOpenStateWhenFailureRateIsAboveThreshold) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_open(t);
  cb.transition_to_half_open(t);
  expect_metrics(cb, t, -1.0f, 0, 0, 0, 0);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, false, 0);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, false, 0);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, true, 0);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, false, 0);
  EXPECT_EQ(cb.state(t), State::kOpen);
  expect_metrics(cb, t, 75.0f, 1, 4, 3, 0);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldTransitionBackToOpenStateWhenSlowCallRateIsAboveThreshold) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_open(t);
  cb.transition_to_half_open(t);
  for (int i = 0; i < 3; ++i) { EXPECT_TRUE(cb.allow(t)); cb.on_result(t, true, 5 * kSec); }
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, true, 1 * kSec);
  EXPECT_EQ(cb.state(t), State::kOpen);
  EXPECT_EQ(cb.metrics(t).snapshot(t).slow_calls, 3);
  EXPECT_FLOAT_EQ(cb.metrics(t).slow_call_rate(t), 75.0f);
  EXPECT_FLOAT_EQ(cb.metrics(t).failure_rate(t), 0.0f);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldTransitionBackToClosedStateWhenFailureIsBelowThreshold) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_open(t);
  cb.transition_to_half_open(t);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, false, 0);
  for (int i = 0; i < 3; ++i) { EXPECT_TRUE(cb.allow(t)); cb.on_result(t, true, 0); }
  EXPECT_TRUE(cb.allow(t));
  EXPECT_EQ(cb.state(t), State::kClosed);
  expect_metrics(cb, t, -1.0f, 0, 0, 0, 0);
  EXPECT_TRUE(cb.allow(t)); cb.on_result(t, true, 0);
  expect_metrics(cb, t, -1.0f, 1, 1, 0, 0);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldDisableCircuitBreaker) {
  const std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_disabled(t);
  EXPECT_EQ(cb.state(t), State::kDisabled);
  for (int i = 0; i < 10; ++i) { EXPECT_TRUE(cb.allow(t)); cb.on_result(t, false, 0); }
  EXPECT_EQ(cb.state(t), State::kDisabled);
  expect_metrics(cb, t, -1.0f, 0, 0, 0, 0);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldForceOpenCircuitBreaker) {
  std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);
  cb.transition_to_forced_open(t);
  EXPECT_EQ(cb.state(t), State::kForcedOpen);
  t += 6 * kSec;  // no wait duration applies
  EXPECT_FALSE(cb.allow(t));
  EXPECT_EQ(cb.state(t), State::kForcedOpen);
  expect_metrics(cb, t, -1.0f, 0, 0, 0, 1);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_shouldNotAllowTransitionFromClosedToHalfOpen) {
  CircuitBreaker cb(state_machine_test_config(), kJan2019);
  EXPECT_FALSE(cb.transition_to_half_open(kJan2019));
  EXPECT_EQ(cb.state(kJan2019), State::kClosed);
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_circuitBreakerTransitionsToOpenAfterWaitDurationInHalfOpenState) {
  std::int64_t t = kJan2019;
  CircuitBreaker cb(state_machine_test_config(), t);  // maxWaitDurationInHalfOpenState = 1 s
  cb.transition_to_open(t);
  cb.transition_to_half_open(t);
  t += 999 * kMs;
  EXPECT_EQ(cb.state(t), State::kHalfOpen);
  t += 1 * kMs;
  EXPECT_EQ(cb.state(t), State::kOpen);
  EXPECT_EQ(cb.log().back().reason, "maxWaitDurationInHalfOpenState elapsed");
}

TEST(R4jStateMachine, Port_CircuitBreakerStateMachineTest_circuitBreakerTransitionsToClosedAfterWaitDurationInHalfOpenState) {
  Config c = state_machine_test_config();
  c.transition_to_state_after_wait_duration = State::kClosed;
  std::int64_t t = kJan2019;
  CircuitBreaker cb(c, t);
  cb.transition_to_open(t);
  cb.transition_to_half_open(t);
  t += 2 * kSec;
  EXPECT_EQ(cb.state(t), State::kClosed);
}

// ---------------------------------------------------------------- Scalebook scenarios

TEST(R4jScenario, DefaultsTripAtExactlyTheHundredthCallWhenSixtyPercentFail) {
  CircuitBreaker cb(Config{}, 0);  // defaults: COUNT_BASED 100, min 100, 50 %
  std::int64_t t = 0;
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(cb.allow(t));
    cb.on_result(t, (i % 5) >= 3, 1000);  // 3 of every 5 fail
    if (i < 99) {
      ASSERT_EQ(cb.state_no_advance(), State::kClosed) << "call " << i;
    }
    t += 10 * kMs;
  }
  EXPECT_EQ(cb.state_no_advance(), State::kOpen);
  ASSERT_EQ(cb.log().size(), 1u);
  EXPECT_EQ(cb.log()[0].time_us, 99 * 10 * kMs);
  EXPECT_FLOAT_EQ(cb.metrics(t).failure_rate(t), 60.0f);
}

TEST(R4jScenario, HealthyThenSixtyPercentFailingTripsWhenTheWindowReachesFifty) {
  CircuitBreaker cb(Config{}, 0);
  std::int64_t t = 0;
  for (int i = 0; i < 100; ++i) { cb.allow(t); cb.on_result(t, true, 1000); t += kMs; }
  int k = 0;  // calls into the failing phase
  while (cb.state_no_advance() == State::kClosed && k < 1000) {
    cb.allow(t);
    cb.on_result(t, (k % 5) >= 3, 1000);
    ++k; t += kMs;
  }
  // failures in the first k bad calls: 3*(k/5) + min(k%5, 3); first k with >= 50 of the last 100 is 82.
  EXPECT_EQ(k, 82);
  EXPECT_FLOAT_EQ(cb.metrics(t).failure_rate(t), 50.0f);
}

TEST(R4jScenario, RecoveryThroughHalfOpenWithDefaults) {
  CircuitBreaker cb(Config{}, 0);
  std::int64_t t = 0;
  for (int i = 0; i < 100; ++i) { cb.allow(t); cb.on_result(t, false, 1000); }
  ASSERT_EQ(cb.state_no_advance(), State::kOpen);
  const std::int64_t opened = t;
  EXPECT_FALSE(cb.allow(opened + 60 * kSec));            // not strictly after
  EXPECT_EQ(cb.state_no_advance(), State::kOpen);
  t = opened + 60 * kSec + 1;
  EXPECT_TRUE(cb.allow(t));                               // moves to HALF_OPEN and takes a permit
  EXPECT_EQ(cb.state_no_advance(), State::kHalfOpen);
  for (int i = 0; i < 9; ++i) EXPECT_TRUE(cb.allow(t));
  EXPECT_FALSE(cb.allow(t));                              // 11th: not permitted
  for (int i = 0; i < 9; ++i) {
    cb.on_result(t, i >= 4, 1000);                        // 4 failures, 5 successes so far
    EXPECT_EQ(cb.state_no_advance(), State::kHalfOpen);   // 9 < 10: not evaluated
  }
  cb.on_result(t, true, 1000);                            // 4/10 = 40 %
  EXPECT_EQ(cb.state_no_advance(), State::kClosed);
  ASSERT_EQ(cb.log().size(), 3u);
  EXPECT_EQ(cb.log()[1].from, State::kOpen);
  EXPECT_EQ(cb.log()[1].to, State::kHalfOpen);
  EXPECT_EQ(cb.log()[1].time_us, t);
  EXPECT_EQ(cb.log()[2].to, State::kClosed);
  EXPECT_EQ(cb.not_permitted_total(), 2);
}

TEST(R4jScenario, HalfOpenFailingAgainReopensAndCountsAttempts) {
  Config c; c.sliding_window_size = 10; c.minimum_number_of_calls = 10;
  c.permitted_number_of_calls_in_half_open_state = 4;
  CircuitBreaker cb(c, 0);
  for (int i = 0; i < 10; ++i) cb.on_result(0, false, 0);
  ASSERT_EQ(cb.attempts(), 1);
  std::int64_t t = 60 * kSec + 1;
  ASSERT_TRUE(cb.allow(t));
  cb.on_result(t, true, 0); cb.on_result(t, true, 0); cb.on_result(t, false, 0);
  EXPECT_EQ(cb.state_no_advance(), State::kHalfOpen);
  cb.on_result(t, false, 0);  // 2/4 = 50 %
  EXPECT_EQ(cb.state_no_advance(), State::kOpen);
  EXPECT_EQ(cb.attempts(), 2);
  EXPECT_EQ(cb.open_until_us(), t + 60 * kSec);
}

TEST(R4jScenario, CodeNotDocs_HalfOpenDecidesAfterMinimumNumberOfCallsWhenSmaller) {
  Config c; c.sliding_window_size = 10; c.minimum_number_of_calls = 2;
  c.permitted_number_of_calls_in_half_open_state = 10;
  CircuitBreaker cb(c, 0);
  cb.on_result(0, false, 0); cb.on_result(0, false, 0);
  ASSERT_EQ(cb.state_no_advance(), State::kOpen);
  const std::int64_t t = 60 * kSec + 1;
  ASSERT_TRUE(cb.allow(t));
  cb.on_result(t, true, 0);
  EXPECT_EQ(cb.state_no_advance(), State::kHalfOpen);
  cb.on_result(t, true, 0);  // 2 of 10 permitted calls are enough
  EXPECT_EQ(cb.state_no_advance(), State::kClosed);
}

TEST(R4jScenario, AutomaticTransitionHappensAtTheDueTimeWithoutACall) {
  Config c; c.sliding_window_size = 2; c.minimum_number_of_calls = 2;
  c.automatic_transition_from_open_to_half_open_enabled = true;
  CircuitBreaker cb(c, 0);
  cb.on_result(5 * kSec, false, 0); cb.on_result(5 * kSec, false, 0);
  EXPECT_EQ(cb.state(65 * kSec - 1), State::kOpen);
  EXPECT_EQ(cb.state(70 * kSec), State::kHalfOpen);
  EXPECT_EQ(cb.log().back().time_us, 65 * kSec);  // stamped with the scheduled time
}

TEST(R4jScenario, SlowCallIsStrictlyLongerThanTheThreshold) {
  Config c; c.sliding_window_size = 2; c.minimum_number_of_calls = 2;
  c.slow_call_duration_threshold_us = 100 * kMs; c.slow_call_rate_threshold = 50;
  CircuitBreaker cb(c, 0);
  cb.on_result(0, true, 100 * kMs);
  cb.on_result(0, true, 100 * kMs);
  EXPECT_EQ(cb.state_no_advance(), State::kClosed);
  cb.on_result(0, true, 100 * kMs + 1);
  EXPECT_EQ(cb.state_no_advance(), State::kOpen);
}

TEST(R4jScenario, TimeBasedMinimumIsNotCappedByWindowSize) {
  Config c; c.sliding_window_type = WindowType::kTimeBased; c.sliding_window_size = 5;
  c.minimum_number_of_calls = 10;
  CircuitBreaker cb(c, 0);
  for (int i = 0; i < 9; ++i) cb.on_result(0, false, 0);
  EXPECT_EQ(cb.state_no_advance(), State::kClosed);
  cb.on_result(0, false, 0);
  EXPECT_EQ(cb.state_no_advance(), State::kOpen);
}
