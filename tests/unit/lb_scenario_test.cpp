// The load-balancing widget's Scenario (src/widgets/lb): replay, determinism, the lanes
// against the closed forms and the pickers, the checks on every path, the presets' stories.
#include <gtest/gtest.h>

#include <string>

#include "cli/sim_args.h"
#include "sim/lb/erlang.h"
#include "widgets/catalog.h"
#include "widgets/lb/scenario.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/run.h"

namespace scalebook::widgets {
namespace {

using lb::LbScenario;

const WidgetInfo& info() { return *find_widget("lb"); }

ParamMap with(std::initializer_list<std::pair<const char*, const char*>> edits, const char* preset = nullptr) {
  ParamMap p = preset ? preset_params(info(), *find_preset(info(), preset)) : default_params(info());
  for (const auto& [k, v] : edits) p[k] = v;
  return p;
}

LbScenario run_to_end(const ParamMap& p, std::uint64_t seed = 1) {
  LbScenario s;
  s.configure(p, seed);
  EXPECT_EQ(s.error(), "");
  s.advance(s.duration_us());
  return s;
}

std::uint64_t p99(const LbScenario& s, std::size_t lane) { return s.lanes()[lane].latency_us.quantile(0.99); }
std::uint64_t p50(const LbScenario& s, std::size_t lane) { return s.lanes()[lane].latency_us.quantile(0.5); }

TEST(LbScenario, AdvanceSplitsFreelyForEveryPreset) {
  for (const auto& preset : info().presets) {
    ParamMap p = preset_params(info(), preset);
    p["requests"] = "4000";
    LbScenario a, b;
    a.configure(p, 7);
    b.configure(p, 7);
    const std::int64_t step = a.duration_us() / 41 + 12345;
    std::int64_t total = 0;
    for (int i = 0; i < 37; ++i) {
      a.advance(step + i * 1000);
      total += step + i * 1000;
    }
    b.advance(total);
    EXPECT_EQ(a.state_json(), b.state_json()) << preset.id;
    EXPECT_EQ(a.summary(), b.summary()) << preset.id;
    for (std::size_t l = 0; l < a.lanes().size(); ++l) {
      ASSERT_EQ(a.lanes()[l].p99_ms.total(), b.lanes()[l].p99_ms.total()) << preset.id;
      for (std::size_t k = 0; k < a.lanes()[l].p99_ms.size(); ++k) EXPECT_EQ(a.lanes()[l].p99_ms[k], b.lanes()[l].p99_ms[k]);
    }
  }
}

TEST(LbScenario, TheRunEndsWhenEveryRequestIsServed) {
  LbScenario s = run_to_end(with({{"requests", "3000"}}));
  EXPECT_FALSE(s.animating());
  EXPECT_EQ(s.requests_arrived(), 3000u);
  ASSERT_EQ(s.lanes().size(), 2u);
  for (const auto& lane : s.lanes()) {
    EXPECT_EQ(lane.latency_us.count(), 3000u);
    std::uint64_t picked = 0;
    for (const auto& b : lane.backends) {
      picked += b.picked;
      EXPECT_EQ(b.picked, b.completed);
      EXPECT_EQ(b.queued + b.busy, 0u);
    }
    EXPECT_EQ(picked, 3000u);
  }
  // Plain round robin over 4 equal backends: 750 each.
  for (const auto& b : s.lanes()[0].backends) EXPECT_EQ(b.picked, 750u);
  EXPECT_NEAR(s.sim_us_per_s() * lb::kPlaySeconds, static_cast<double>(s.duration_us()), 1.0);
}

TEST(LbScenario, ARunIsDeterministicPerSeedAndTheSeedMatters) {
  const ParamMap p = with({{"requests", "5000"}, {"algorithm", "random"}, {"compare", "envoy-p2c"}});
  LbScenario a;
  a.configure(p, 5);
  a.advance(a.duration_us() / 2);
  LbScenario b;
  b.configure(p, 5);
  b.advance(b.duration_us() / 2);
  EXPECT_EQ(a.state_json(), b.state_json());
  LbScenario c;
  c.configure(p, 6);
  c.advance(c.duration_us() / 2);
  EXPECT_NE(a.state_json(), c.state_json());
  // Through a Run (the page's path): seek back replays to the same state.
  widgets::Run run(info(), make_scenario("lb"));
  run.configure(p, 5, {});
  run.seek(a.duration_us());
  run.seek(a.duration_us() / 2);
  EXPECT_EQ(run.scenario().state_json(), a.state_json());
}

TEST(LbScenario, RandomSplitIsSeparateMM1QueuesAsErlangCPredicts) {
  // Poisson arrivals split at random: each backend is an M/M/1 queue at rho, mean 10 ms / (1 - 0.7).
  const LbScenario s = run_to_end(with({{"algorithm", "random"}, {"compare", "none"}, {"requests", "200000"}}));
  const double predicted_us = 1000 * s.separate_mean_ms();
  EXPECT_NEAR(predicted_us, 10000 / 0.3, 1);
  EXPECT_NEAR(s.lanes()[0].latency_us.mean(), predicted_us, 0.08 * predicted_us);
  // Least-connections is close to the pooled M/M/4 queue (it is never worse than random).
  const LbScenario lc = run_to_end(with({{"algorithm", "least-conn"}, {"compare", "none"}, {"requests", "200000"}}));
  EXPECT_LT(lc.lanes()[0].latency_us.mean(), 0.6 * s.lanes()[0].latency_us.mean());
  EXPECT_GT(lc.lanes()[0].latency_us.mean(), 0.95 * 1000 * lc.pooled_mean_ms());
}

TEST(LbScenario, WeightsSetTheBackendsAndSwrrFollowsNginx) {
  const LbScenario s = run_to_end(with({{"algorithm", "nginx-swrr"}, {"weights", "5,1,1"}, {"requests", "700"}}));
  ASSERT_EQ(s.lanes()[0].backends.size(), 3u);
  EXPECT_EQ(s.lanes()[0].backends[0].picked, 500u);
  EXPECT_EQ(s.lanes()[0].backends[1].picked, 100u);
  EXPECT_EQ(s.lanes()[0].backends[2].picked, 100u);
  const std::vector<std::uint8_t> first(s.lanes()[0].run.pick.begin(), s.lanes()[0].run.pick.begin() + 7);
  EXPECT_EQ(first, (std::vector<std::uint8_t>{0, 0, 1, 0, 2, 0, 0}));
}

TEST(LbScenario, SlowServerPresetLeastConnAndTwoChoicesAvoidTheSlowBackend) {
  const LbScenario s = run_to_end(with({}, "slow-server"));
  ASSERT_EQ(s.lanes().size(), 2u);
  EXPECT_EQ(s.lanes()[0].algorithm, lb::Algorithm::kRoundRobin);
  EXPECT_EQ(s.lanes()[1].algorithm, lb::Algorithm::kLeastConn);
  // Round robin gives the slow backend a quarter; least_conn far less.
  EXPECT_EQ(s.lanes()[0].backends[0].picked, 5000u);
  EXPECT_LT(s.lanes()[1].backends[0].picked, 2500u);
  EXPECT_GT(p99(s, 0), 10 * p99(s, 1));
  const LbScenario t = run_to_end(with({{"compare", "envoy-p2c"}}, "slow-server"));
  EXPECT_GT(p99(t, 0), 10 * p99(t, 1));
}

TEST(LbScenario, TwoChoicesPresetCutsTheTail) {
  const LbScenario s = run_to_end(with({}, "two-choices"));
  EXPECT_EQ(s.lanes()[0].algorithm, lb::Algorithm::kRandom);
  EXPECT_EQ(s.lanes()[1].algorithm, lb::Algorithm::kEnvoyP2c);
  EXPECT_LT(2 * p99(s, 1), p99(s, 0));
  EXPECT_LT(p50(s, 1), p50(s, 0));
}

TEST(LbScenario, KneePresetLatencyClimbsWithTheLoad) {
  const LbScenario s = run_to_end(with({}, "knee"));
  // Chart points over the arrivals (load 0.5 → 0.97, linear in time): mean p99 in the
  // first fifth, the middle fifth (load ≈ 0.73) and the last tenth (load ≈ 0.95).
  const double arrivals_s = static_cast<double>(s.arrivals_end_us()) / 1e6;
  const auto points = static_cast<std::size_t>(arrivals_s / s.sample_period_s());
  const std::size_t fifth = points / 5;
  for (const auto& lane : s.lanes()) {
    auto mean_p99 = [&](std::size_t from, std::size_t n) {
      double sum = 0;
      for (std::size_t k = from; k < from + n; ++k) sum += lane.p99_ms[k];
      return sum / static_cast<double>(n);
    };
    const double early = mean_p99(1, fifth), middle = mean_p99(2 * fifth, fifth), late = mean_p99(points - fifth / 2, fifth / 2);
    EXPECT_LT(middle, 2 * early) << lb::algorithm_name(lane.algorithm) << " " << early << " " << middle << " " << late;
    EXPECT_GT(late, 2.5 * middle) << lb::algorithm_name(lane.algorithm) << " " << early << " " << middle << " " << late;
  }
}

TEST(LbScenario, BadCombinationsAreRefusedOnEveryPathAndTheCommandLineTakesMore) {
  auto refused = [&](ParamEdits edits) {
    ParamMap v = default_params(info());
    return apply_edits(info(), v, edits);
  };
  auto r = refused({{"compare", "round-robin"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  EXPECT_NE(r.message.find("'round-robin' is already the algorithm"), std::string::npos) << r.message;
  r = refused({{"weights", "5,x"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  EXPECT_NE(r.message.find("got 'x'"), std::string::npos) << r.message;
  r = refused({{"weights", "5"}});
  EXPECT_NE(r.message.find("one weight per backend"), std::string::npos) << r.message;
  r = refused({{"requests", "60000"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  EXPECT_NE(r.message.find("the widget runs at most 50,000 requests"), std::string::npos) << r.message;
  r = refused({{"utilisation", "1.2"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  // The command line draws nothing and takes the schema's whole range.
  std::string out, err;
  EXPECT_EQ(cli::run_sim({"lb", "--set", "requests=60000", "--set", "compare=none", "--json"}, out, err), 0) << err;
  EXPECT_EQ(cli::run_sim({"lb", "--set", "compare=round-robin"}, out, err), 2);
  EXPECT_NE(err.find("parameter 'compare'"), std::string::npos) << err;
}

}  // namespace
}  // namespace scalebook::widgets
