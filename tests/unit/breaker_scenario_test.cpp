// The circuit-breaker widget's Scenario (src/widgets/breaker): the parameters mapped one to
// one onto resilience4j's config, replay (advance splits freely, a Run replays its action
// log to the same digest), the request path (pool, breaker, dependency) against arithmetic
// done by hand, every action applied and refused, and the presets' stories in the model.
#include <gtest/gtest.h>

#include <string>

#include "widgets/breaker/scenario.h"
#include "widgets/catalog.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/run.h"
#include "scenario_support.h"

namespace scalebook::widgets {
namespace {

using breaker::BreakerScenario;
using breaker::Mark;
namespace r4j = sim::breaker::r4j;

const WidgetInfo& info() { return *find_widget("breaker"); }

ParamMap with(ParamEdits edits) { return testing::params_with(info(), std::move(edits)); }

Action action(std::int64_t t_us, std::string name, std::vector<std::string> args = {}) {
  return testing::checked_action(info(), t_us, std::move(name), std::move(args));
}

// Runs to `until_us`, taking each action when the run reaches its time.
void run_to(BreakerScenario& s, std::vector<Action> actions, std::int64_t until_us) {
  for (const Action& a : actions) {
    s.advance(a.time_us - s.time_us());
    ASSERT_EQ(s.act(a), "") << a.name;
  }
  s.advance(until_us - s.time_us());
}

std::int64_t first_transition(const BreakerScenario& s, r4j::State to, std::int64_t after_us = 0) {
  for (const auto& t : s.transitions())
    if (t.to == to && t.time_us >= after_us) return t.time_us;
  return -1;
}

TEST(BreakerScenario, ParametersMapOneToOneOntoResilience4jsConfig) {
  BreakerScenario s;
  s.configure(with({{"failure_threshold", "40"}, {"window_type", "count"}, {"window_size", "30"},
                    {"minimum_calls", "12"}, {"wait_s", "2.5"}, {"half_open_calls", "4"}, {"auto_half_open", "true"},
                    {"slow_ms", "300"}, {"slow_threshold", "80"}}),
              1);
  ASSERT_TRUE(s.ok()) << s.error();
  const r4j::Config& c = s.config();
  EXPECT_EQ(c.failure_rate_threshold, 40.0f);
  EXPECT_EQ(c.sliding_window_type, r4j::WindowType::kCountBased);
  EXPECT_EQ(c.sliding_window_size, 30);
  EXPECT_EQ(c.minimum_number_of_calls, 12);
  EXPECT_EQ(c.wait_duration_in_open_state_us, 2'500'000);
  EXPECT_EQ(c.permitted_number_of_calls_in_half_open_state, 4);
  EXPECT_TRUE(c.automatic_transition_from_open_to_half_open_enabled);
  EXPECT_EQ(c.slow_call_duration_threshold_us, 300'000);
  EXPECT_EQ(c.slow_call_rate_threshold, 80.0f);
  EXPECT_EQ(s.mark(), Mark::Closed);
  EXPECT_EQ(s.minimum_calls(), 12);
  // The defaults are the section's example: 50 % of at least 20 calls in a 10-second window.
  BreakerScenario d;
  d.configure(default_params(info()), 1);
  EXPECT_EQ(d.config().sliding_window_type, r4j::WindowType::kTimeBased);
  EXPECT_EQ(d.config().sliding_window_size, 10);
  EXPECT_EQ(d.config().minimum_number_of_calls, 20);
  EXPECT_EQ(d.config().failure_rate_threshold, 50.0f);
  // The library-defaults preset is CircuitBreakerConfig.ofDefaults() (r4j::Config{}).
  BreakerScenario l;
  l.configure(preset_params(info(), *find_preset(info(), "library-defaults")), 1);
  const r4j::Config lib;
  EXPECT_EQ(l.config().sliding_window_type, lib.sliding_window_type);
  EXPECT_EQ(l.config().sliding_window_size, lib.sliding_window_size);
  EXPECT_EQ(l.config().minimum_number_of_calls, lib.minimum_number_of_calls);
  EXPECT_EQ(l.config().wait_duration_in_open_state_us, lib.wait_duration_in_open_state_us);
  EXPECT_EQ(l.config().permitted_number_of_calls_in_half_open_state, lib.permitted_number_of_calls_in_half_open_state);
  EXPECT_EQ(l.config().failure_rate_threshold, lib.failure_rate_threshold);
  EXPECT_EQ(l.config().slow_call_rate_threshold, lib.slow_call_rate_threshold);
  EXPECT_EQ(l.config().slow_call_duration_threshold_us, lib.slow_call_duration_threshold_us);
  EXPECT_EQ(l.config().automatic_transition_from_open_to_half_open_enabled,
            lib.automatic_transition_from_open_to_half_open_enabled);
}

TEST(BreakerScenario, AdvanceSplitsFreelyForEveryPresetWithFaultsTaken) {
  std::vector<ParamMap> configs = {default_params(info())};
  for (const auto& preset : info().presets) configs.push_back(preset_params(info(), preset));
  for (const ParamMap& p : configs) {
    BreakerScenario a, b;
    a.configure(p, 4);
    b.configure(p, 4);
    const std::vector<Action> faults = {action(5'000'000, "slow", {"2000"}), action(20'000'000, "recover")};
    // a: 100 ms steps; b: one odd step size, faults taken at the same times.
    for (const Action& f : faults) {
      while (a.time_us() < f.time_us) a.advance(std::min<std::int64_t>(100'000, f.time_us - a.time_us()));
      while (b.time_us() < f.time_us) b.advance(std::min<std::int64_t>(1'234'567, f.time_us - b.time_us()));
      ASSERT_EQ(a.act(f), "");
      ASSERT_EQ(b.act(f), "");
    }
    for (int i = 0; i < 300; ++i) a.advance(100'000);
    b.advance(30'000'000);
    EXPECT_EQ(a.state_json(), b.state_json()) << get_text(p, "window_type");
    EXPECT_EQ(a.summary(), b.summary());
    EXPECT_EQ(a.marks(), b.marks());
    EXPECT_EQ(a.failure_rate().total(), b.failure_rate().total());
  }
}

TEST(BreakerScenario, HealthyTheBreakerStaysClosedAndEveryRequestIsServed) {
  BreakerScenario s;
  s.configure(default_params(info()), 1);
  s.advance(20'000'000);
  EXPECT_EQ(s.mark(), Mark::Closed);
  EXPECT_TRUE(s.transitions().empty());
  const auto& t = s.totals();
  // 100 requests/s for 20 s, Poisson: 2,000 ± a few standard deviations (√2000 ≈ 45).
  EXPECT_NEAR(static_cast<double>(t.requests), 2000, 150);
  EXPECT_EQ(t.errors + t.timeouts + t.fallback + t.turned_away, 0u);
  // Little's law: 100/s × 20 ms = 2 threads busy on average; never near 50.
  EXPECT_LT(s.max_busy(), 15);
  // The time window holds the last 10 epoch seconds (9 whole ones plus the current).
  EXPECT_NEAR(s.window().total_calls, 1000, 120);
}

TEST(BreakerScenario, ASlowDependencyFillsThePoolAndATimeWindowOpensOnlyAsOldSuccessesAgeOut) {
  BreakerScenario s;
  s.configure(default_params(info()), 1);
  run_to(s, {action(10'000'000, "slow", {"2000"})}, 40'000'000);
  // Every call now takes 1-3 s and is given up at 1 s: 50 threads / 1 s = 50 calls a second
  // get through, the other ~50 a second are turned away; the pool is full within 0.5 s.
  EXPECT_EQ(s.max_busy(), 50);
  EXPECT_GT(s.totals().turned_away, 250u);
  // The first timeouts reach the breaker at 11 s, into a window still holding ~1,000 successes
  // of the last 10 seconds. Failures (50/s) catch up with the successes left in the window
  // (100/s × (10 − τ)) at τ ≈ 7 s: 1000 − 100τ = 50(τ − 1).
  const std::int64_t open = first_transition(s, r4j::State::kOpen);
  EXPECT_GT(open, 16'500'000);
  EXPECT_LT(open, 17'500'000);
  // Once open nothing is turned away: the breaker answers at once and the threads drain.
  std::uint64_t turned_before = 0;
  {
    BreakerScenario t;
    t.configure(default_params(info()), 1);
    run_to(t, {action(10'000'000, "slow", {"2000"})}, open + 1);
    turned_before = t.totals().turned_away;
  }
  EXPECT_EQ(s.totals().turned_away, turned_before);
  EXPECT_GT(s.totals().fallback, 1500u);
  // Every 5 s a call after the wait becomes the first of 10 trials; each times out, so
  // HALF_OPEN -> OPEN about 1.1 s later, and again.
  const std::int64_t half = first_transition(s, r4j::State::kHalfOpen);
  EXPECT_GT(half, open + 5'000'000);
  EXPECT_LT(half, open + 5'100'000);
  const std::int64_t reopen = first_transition(s, r4j::State::kOpen, half);
  EXPECT_GT(reopen, half + 1'000'000);
  EXPECT_LT(reopen, half + 1'300'000);
  EXPECT_GE(s.attempts(), 4);
}

TEST(BreakerScenario, ACountWindowOpensAFractionOfASecondAfterTheFirstFailures) {
  BreakerScenario s;
  s.configure(preset_params(info(), *find_preset(info(), "count-window")), 1);
  run_to(s, {action(10'000'000, "slow", {"2000"})}, 15'000'000);
  const std::int64_t open = first_transition(s, r4j::State::kOpen);
  // The first timeout reaches it at 11 s; ten failures among the last twenty calls at
  // ~50 failures a second take another ~0.2 s.
  EXPECT_GT(open, 11'000'000);
  EXPECT_LT(open, 11'400'000);
}

TEST(BreakerScenario, RecoveryClosesOnTheNextTrialAndTheOpenBreakerDelaysIt) {
  BreakerScenario s;
  s.configure(default_params(info()), 1);
  run_to(s, {action(10'000'000, "slow", {"2000"}), action(30'000'000, "recover")}, 60'000'000);
  const std::int64_t closed = first_transition(s, r4j::State::kClosed);
  ASSERT_GT(closed, 30'000'000);
  // The breaker learns of the recovery only at its next trial: at most one wait (5 s) plus
  // the ten trial calls later.
  EXPECT_LT(closed, 30'000'000 + 5'000'000 + 300'000);
  EXPECT_EQ(s.mark(), Mark::Closed);
  // Between the recovery and the close, the fallback answered requests the dependency
  // could have served.
  BreakerScenario at;
  at.configure(default_params(info()), 1);
  run_to(at, {action(10'000'000, "slow", {"2000"}), action(30'000'000, "recover")}, 30'000'000);
  EXPECT_GT(s.totals().fallback - at.totals().fallback, 50u);
}

TEST(BreakerScenario, WithoutABreakerHalfTheRequestsAreTurnedAwayForAsLongAsTheDependencyIsSlow) {
  BreakerScenario s;
  s.configure(preset_params(info(), *find_preset(info(), "no-breaker")), 1);
  EXPECT_FALSE(s.has_breaker());
  EXPECT_EQ(s.mark(), Mark::Off);
  run_to(s, {action(10'000'000, "slow", {"2000"})}, 30'000'000);
  const auto& t = s.totals();
  EXPECT_EQ(t.fallback, 0u);
  // 20 s slow at 100/s: ~2,000 requests; 50 threads × 1 s timeout = 50/s get a thread (and
  // time out), the rest are turned away.
  EXPECT_NEAR(static_cast<double>(t.turned_away), 1000, 150);
  EXPECT_NEAR(static_cast<double>(t.timeouts), 950, 100);
  // The pool stays (nearly) full: a thread freed by a timeout is taken by the next arrival.
  EXPECT_EQ(s.max_busy(), 50);
  EXPECT_GE(s.busy(), 40);
  EXPECT_NE(s.summary().find("there is no circuit breaker"), std::string::npos) << s.summary();
  EXPECT_NE(s.state_json().find("\"breaker\":null"), std::string::npos);
}

TEST(BreakerScenario, FastErrorsOpenItWithoutFillingThePool) {
  BreakerScenario s;
  s.configure(default_params(info()), 1);
  run_to(s, {action(10'000'000, "fail", {"100"})}, 20'000'000);
  EXPECT_LT(s.max_busy(), 15);  // errors come back as fast as successes did
  EXPECT_EQ(s.totals().turned_away, 0u);
  EXPECT_EQ(s.totals().timeouts, 0u);
  // With no pool limit in the way, 100 failures a second against 100 successes a second
  // leaving the window: equal at τ ≈ 5 s.
  const std::int64_t open = first_transition(s, r4j::State::kOpen);
  EXPECT_GT(open, 14'000'000);
  EXPECT_LT(open, 16'000'000);
}

TEST(BreakerScenario, HalfOpenDecidesAfterMinOfMinimumCallsAndTrialCalls) {
  // The code, not the docs: with minimum_calls (3) below the trial calls (10), HALF_OPEN
  // judges after 3 results.
  BreakerScenario s;
  s.configure(with({{"window_type", "count"}, {"window_size", "20"}, {"minimum_calls", "3"}}), 1);
  run_to(s, {action(10'000'000, "fail", {"100"})}, 30'000'000);
  const std::int64_t half = first_transition(s, r4j::State::kHalfOpen);
  ASSERT_GT(half, 0);
  const std::int64_t reopen = first_transition(s, r4j::State::kOpen, half);
  // Three trial calls at ~100/s, each answered in ~20 ms: back to OPEN within ~60 ms.
  EXPECT_LT(reopen - half, 100'000);
}

TEST(BreakerScenario, AutomaticHalfOpenHappensAtTheInstantTheWaitEnds) {
  for (const bool automatic : {false, true}) {
    BreakerScenario s;
    s.configure(with({{"window_type", "count"}, {"window_size", "20"}, {"auto_half_open", automatic ? "true" : "false"}}),
                1);
    run_to(s, {action(10'000'000, "fail", {"100"})}, 20'000'000);
    const std::int64_t open = first_transition(s, r4j::State::kOpen);
    const std::int64_t half = first_transition(s, r4j::State::kHalfOpen);
    if (automatic)
      EXPECT_EQ(half - open, 5'000'000);
    else {
      EXPECT_GT(half - open, 5'000'000);  // the first call strictly after the wait
      EXPECT_LT(half - open, 5'100'000);
    }
  }
}

TEST(BreakerScenario, SlowCallsTripItAlthoughEveryCallSucceeds) {
  BreakerScenario s;
  s.configure(preset_params(info(), *find_preset(info(), "slow-calls")), 1);
  run_to(s, {action(10'000'000, "slow", {"500"})}, 25'000'000);
  EXPECT_EQ(s.totals().errors + s.totals().timeouts, 0u);
  const std::int64_t open = first_transition(s, r4j::State::kOpen);
  ASSERT_GT(open, 10'000'000);
  EXPECT_NE(s.transitions().front().reason.find("slow call rate"), std::string::npos) << s.transitions().front().reason;
}

TEST(BreakerScenario, EveryActionAppliesOrIsRefusedWithAReason) {
  BreakerScenario s;
  s.configure(default_params(info()), 1);
  EXPECT_EQ(s.act(action(0, "recover")), "action 'recover': the dependency is already healthy");
  EXPECT_EQ(s.act(action(0, "reset")), "action 'reset': the breaker is already CLOSED (a reset would only clear its window)");
  EXPECT_EQ(s.act(action(0, "fail")), "");
  EXPECT_EQ(s.act(action(0, "fail", {"100"})), "");  // the same fault again: taken, nothing changes
  EXPECT_EQ(s.events().back(), "0.00 s: the dependency keeps failing 100% of its calls");
  EXPECT_EQ(s.act(action(0, "fail", {"30"})), "");
  EXPECT_EQ(s.fail_percent(), 30);
  EXPECT_EQ(s.act(action(0, "slow")), "");
  EXPECT_EQ(s.events().back(), "0.00 s: the dependency slowed to about 2,000 ms (beyond the 1,000 ms timeout)");
  EXPECT_EQ(s.act(action(0, "slow", {"2000"})), "");
  ASSERT_EQ(s.events().size(), 5u);
  EXPECT_EQ(s.events().back(), "0.00 s: the dependency still answers in about 2,000 ms (beyond the 1,000 ms timeout)");
  EXPECT_EQ(s.act(action(0, "recover")), "");
  EXPECT_EQ(s.act(action(0, "fail")), "");
  s.advance(20'000'000);
  ASSERT_EQ(s.mark(), Mark::Open);
  EXPECT_EQ(s.act(action(s.time_us(), "reset")), "");
  EXPECT_EQ(s.mark(), Mark::Closed);
  EXPECT_EQ(s.window().total_calls, 0);
  BreakerScenario off;
  off.configure(with({{"breaker", "false"}}), 1);
  EXPECT_EQ(off.act(action(0, "reset")), "action 'reset': this run has no circuit breaker");
  s.advance(60'000'000);
  EXPECT_FALSE(s.animating());
  EXPECT_EQ(s.act(action(s.time_us(), "recover")), "action 'recover': the run is over");
}

TEST(BreakerScenario, ARunReplaysItsFaultsToTheSameDigestAndSummary) {
  const std::vector<Action> faults = {action(8'000'000, "slow", {"1500"}), action(25'000'000, "recover")};
  widgets::Run run(info(), make_scenario("breaker"));
  run.configure(default_params(info()), 7, faults);
  run.seek(40'000'000);
  widgets::Run again(info(), make_scenario("breaker"));
  again.configure(default_params(info()), 7, faults);
  for (int i = 0; i < 80; ++i) again.advance(500'000);
  EXPECT_EQ(again.digest(), run.digest());
  EXPECT_EQ(again.scenario().summary(), run.scenario().summary());
  run.seek(3'000'000);
  run.seek(40'000'000);
  EXPECT_EQ(again.digest(), run.digest());
  // Another seed is another run.
  widgets::Run other(info(), make_scenario("breaker"));
  other.configure(default_params(info()), 8, faults);
  other.seek(40'000'000);
  EXPECT_NE(other.digest(), run.digest());
}

TEST(BreakerScenario, SummaryAndStateSayWhatTheReaderSees) {
  BreakerScenario s;
  s.configure(default_params(info()), 1);
  run_to(s, {action(10'000'000, "slow", {"2000"})}, 18'000'000);
  ASSERT_EQ(s.mark(), Mark::Open);
  const std::string sum = s.summary();
  EXPECT_EQ(sum.rfind("At 18.00 s the dependency is slow (about 2,000 ms) and the breaker is OPEN since 17.", 0), 0u)
      << sum;
  EXPECT_NE(sum.find("the first call after 22."), std::string::npos) << sum;
  EXPECT_NE(sum.find("answered by the fallback"), std::string::npos) << sum;
  const std::string js = s.state_json();
  EXPECT_NE(js.find("\"state\":\"OPEN\""), std::string::npos) << js;
  EXPECT_NE(js.find("\"opened\":1"), std::string::npos) << js;
  // The samples: one per 100 ms from 0.
  EXPECT_EQ(s.marks().size(), 181u);
  EXPECT_EQ(s.marks()[100], Mark::Closed);
  EXPECT_EQ(s.marks().back(), Mark::Open);
}

}  // namespace
}  // namespace scalebook::widgets
