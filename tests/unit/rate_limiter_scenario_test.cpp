// The rate-limiter widget's Scenario (src/widgets/rate_limiter/scenario.h): its counts
// against the model run on its own (sim::ratelimit::run_limiter on the same experiment),
// each story preset's numbers as the preset texts state them, time splitting, the Run's
// determinism, and the summary / state / digest the legacy browser view produced
// (pinned from the page before the view moved onto Scenario + View).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/digest.h"
#include "sim/ratelimit/runner.h"
#include "widgets/catalog.h"
#include "widgets/params.h"
#include "widgets/rate_limiter/config.h"
#include "widgets/rate_limiter/scenario.h"
#include "widgets/run.h"

namespace {

namespace rl = scalebook::sim::ratelimit;
namespace sw = scalebook::widgets;
namespace rlw = scalebook::widgets::rate_limiter;
namespace cfg = scalebook::widgets::rate_limiter_config;

const sw::WidgetInfo& info() { return *sw::find_widget("rate-limiter"); }

sw::ParamMap preset(const char* id) {
  const sw::PresetSpec* p = sw::find_preset(info(), id);
  EXPECT_NE(p, nullptr) << id;
  return p ? sw::preset_params(info(), *p) : sw::default_params(info());
}

rlw::RateLimiterScenario run_to(const sw::ParamMap& params, std::uint64_t seed, std::int64_t t_us) {
  rlw::RateLimiterScenario s;
  s.configure(params, seed);
  s.advance(t_us);
  return s;
}

// Most admitted decisions within any `window_us` (sliding, by arrival time), from the lane's
// retained decisions (the whole run when it lasts at most 10 s).
std::int64_t max_admitted_per_window(const rlw::Lane& lane, std::int64_t window_us) {
  std::vector<std::int64_t> t;
  for (const rlw::Event& e : lane.recent)
    if (e.verdict != rl::Verdict::Reject) t.push_back(e.time_us + e.delay_us);
  std::sort(t.begin(), t.end());
  std::int64_t best = 0;
  for (std::size_t a = 0, b = 0; b < t.size(); ++b) {
    while (t[b] - t[a] >= window_us) ++a;
    best = std::max<std::int64_t>(best, static_cast<std::int64_t>(b - a + 1));
  }
  return best;
}

const char* const kPresets[] = {"burst", "boundary", "noisy-neighbour", "drift"};

// --- the scenario against the model on its own ---------------------------------------

TEST(RateLimiterScenario, CountsAndDigestsMatchTheModelRunOnItsOwn) {
  std::vector<sw::ParamMap> cases = {sw::default_params(info())};
  for (const char* id : kPresets) cases.push_back(preset(id));
  for (const auto& params : cases) {
    for (std::uint64_t seed : {1ull, 7ull}) {
      cfg::Experiment exp;
      ASSERT_EQ(cfg::build(params, seed, exp).param, "");
      const auto requests = rl::generate_traffic(exp.traffic);
      const auto s = run_to(params, seed, exp.traffic.duration_us);
      EXPECT_EQ(s.time_us(), exp.traffic.duration_us);
      EXPECT_FALSE(s.animating()) << "the run stops at the end of the traffic";
      EXPECT_EQ(s.requests_offered(), requests.size());
      ASSERT_EQ(s.lanes().size(), exp.limiters.size());
      for (std::size_t i = 0; i < exp.limiters.size(); ++i) {
        const rl::Run r = rl::run_limiter(exp.limiters[i], requests);
        const rlw::Lane& lane = s.lanes()[i];
        EXPECT_EQ(lane.algorithm(), exp.limiters[i].algorithm);
        EXPECT_EQ(lane.admitted, r.summary.admitted);
        EXPECT_EQ(lane.delayed, r.summary.delayed);
        EXPECT_EQ(lane.rejected, r.summary.rejected);
        scalebook::sim::TraceDigest d;
        for (const auto& dec : r.decisions) {
          d.add_byte(static_cast<std::uint8_t>(dec.verdict));
          d.add_i64(dec.delay_us);
        }
        EXPECT_EQ(lane.digest.hex(), d.hex()) << rl::algorithm_name(lane.algorithm());
      }
    }
  }
}

// --- the summary, state and digest the legacy view gave on the page ------------------

// Section 3.5's fence (content/phase-3-distributed-patterns.md), seed 1, paused and sought
// to 3 s: what element.scalebook.summary() / state() / digest() returned with the legacy view.
TEST(RateLimiterScenario, SameSummaryStateAndDigestAsTheLegacyView) {
  sw::ParamMap p = sw::default_params(info());
  p["compare"] = "token-bucket,fixed-window,sliding-counter";
  p["capacity"] = "10";
  p["rate"] = "5r/s";
  p["traffic"] = "spike";
  p["spike"] = "20";
  sw::Run run(info(), sw::make_scenario("rate-limiter"));
  run.configure(p, 1);
  run.seek(3'000'000);
  EXPECT_EQ(run.scenario().summary(),
            "At 3.0 s, 46 requests offered. token-bucket: 25 admitted, 0 delayed, 21 rejected (46%). fixed-window: 16 "
            "admitted, 0 delayed, 30 rejected (65%). sliding-counter: 14 admitted, 0 delayed, 32 rejected (70%).");
  EXPECT_EQ(run.scenario().state_json(),
            "{\"time_us\":3000000,\"requests\":46,\"lanes\":["
            "{\"algorithm\":\"token-bucket\",\"admitted\":25,\"delayed\":0,\"rejected\":21,\"digest\":\"9120487cf37b5bcf\"},"
            "{\"algorithm\":\"fixed-window\",\"admitted\":16,\"delayed\":0,\"rejected\":30,\"digest\":\"020f4072313e64a5\"},"
            "{\"algorithm\":\"sliding-counter\",\"admitted\":14,\"delayed\":0,\"rejected\":32,\"digest\":\"5e2543864ea8a1ed\"}]}");
  EXPECT_EQ(run.digest(), "47683b1b206fb3c7");
}

TEST(RateLimiterScenario, DefaultsAtTimeZeroAndAtTheEnd) {
  rlw::RateLimiterScenario s;
  s.configure(sw::default_params(info()), 1);
  EXPECT_EQ(s.summary(), "At 0.0 s, 0 requests offered. token-bucket: 0 admitted, 0 delayed, 0 rejected (0%).");
  EXPECT_EQ(s.state_json(),
            "{\"time_us\":0,\"requests\":0,\"lanes\":[{\"algorithm\":\"token-bucket\",\"admitted\":0,\"delayed\":0,"
            "\"rejected\":0,\"digest\":\"" + scalebook::sim::TraceDigest().hex() + "\"}]}");
  EXPECT_TRUE(s.animating());
  EXPECT_EQ(s.offered_samples().size(), 1u);  // the sample at 0
  EXPECT_DOUBLE_EQ(s.limit_per_s(), 10);
  s.advance(60'000'000);  // beyond the 10 s of traffic: time stops at the end
  EXPECT_EQ(s.time_us(), 10'000'000);
  EXPECT_FALSE(s.animating());
  // 15 r/s offered against 10 r/s with a bucket of 10: about a third rejected.
  const rlw::Lane& l = s.lanes()[0];
  EXPECT_EQ(l.total(), s.requests_offered());
  EXPECT_LE(l.admitted, 10u * 10u + 10u);
  EXPECT_GT(l.rejected, 0u);
  EXPECT_EQ(l.delayed, 0u);
  EXPECT_EQ(s.offered_samples().size(), rlw::kSamples);  // 0 … 10 s every 100 ms
  EXPECT_EQ(l.samples.size(), rlw::kSamples);
  EXPECT_EQ(s.last_sample_us(), 10'000'000);
  char want[200];
  std::snprintf(want, sizeof want, "At 10.0 s, %zu requests offered. token-bucket: %llu admitted, 0 delayed, %llu rejected",
                s.requests_offered(), static_cast<unsigned long long>(l.admitted),
                static_cast<unsigned long long>(l.rejected));
  EXPECT_EQ(s.summary().rfind(want, 0), 0u) << s.summary();
}

// --- each preset's story, in the scenario's own numbers ------------------------------

TEST(RateLimiterScenario, BurstPresetRejectsQueuesOrSmooths) {
  const auto s = run_to(preset("burst"), 1, 60'000'000);
  ASSERT_EQ(s.lanes().size(), 3u);
  const auto &tb = s.lanes()[0], &nginx = s.lanes()[1], &shaper = s.lanes()[2];
  EXPECT_EQ(tb.algorithm(), rl::Algorithm::TokenBucket);
  EXPECT_EQ(nginx.algorithm(), rl::Algorithm::Nginx);
  EXPECT_EQ(shaper.algorithm(), rl::Algorithm::Shaper);
  EXPECT_GE(tb.rejected, 15u);  // 30 in 10 ms: the 10 saved tokens, then rejections
  EXPECT_EQ(tb.delayed, 0u);
  EXPECT_GE(nginx.delayed, 5u);  // burst=10 delay=5: 5 straight through, 5 queued
  EXPECT_GE(nginx.rejected, 15u);
  EXPECT_GT(shaper.delayed, nginx.delayed);  // the shaper spaces everything out
  EXPECT_GE(shaper.rejected, 15u);
  // The shaper releases at exactly 5 r/s: never more than 5 admitted in any second.
  EXPECT_LE(max_admitted_per_window(shaper, 1'000'000), 5 + 1);
  EXPECT_NE(s.summary().find(" token-bucket: " + std::to_string(tb.admitted) + " admitted, 0 delayed, " +
                             std::to_string(tb.rejected) + " rejected"),
            std::string::npos)
      << s.summary();
}

TEST(RateLimiterScenario, BoundaryPresetFixedWindowAdmits20AgainstItsLimitOf10) {
  const auto s = run_to(preset("boundary"), 1, 60'000'000);
  ASSERT_EQ(s.lanes().size(), 3u);
  EXPECT_EQ(s.lanes()[0].algorithm(), rl::Algorithm::FixedWindow);
  EXPECT_DOUBLE_EQ(s.limit_per_s(), 10);
  EXPECT_EQ(max_admitted_per_window(s.lanes()[0], 1'000'000), 20);  // twice its limit, within microseconds
  EXPECT_LE(max_admitted_per_window(s.lanes()[1], 1'000'000), 10);  // sliding log: exact
  EXPECT_LE(max_admitted_per_window(s.lanes()[2], 1'000'000), 15);  // sliding counter: approximate
  EXPECT_EQ(s.lanes()[0].rejected, 0u) << "the fixed window admits every boundary request";
  EXPECT_GT(s.lanes()[1].rejected, 0u);
}

TEST(RateLimiterScenario, NoisyNeighbourPresetThrottlesOnlyClientZero) {
  const auto s = run_to(preset("noisy-neighbour"), 1, 60'000'000);
  ASSERT_EQ(s.lanes().size(), 1u);
  EXPECT_EQ(s.clients(), 20u);
  const rlw::BusiestClient b = s.busiest(0);
  ASSERT_TRUE(b.any);
  EXPECT_EQ(b.id, 0u) << "client 0 (top row) is the busiest";
  EXPECT_EQ(b.others + 1, s.lanes()[0].per_client.size());
  EXPECT_GE(b.others, 15u) << "most of the 20 clients send something";
  EXPECT_LE(b.others, 19u);
  EXPECT_GT(b.top.sent * 3, s.requests_offered()) << "client 0 sends over a third";
  EXPECT_GT(b.top.rejected * 3, b.top.sent) << "client 0 loses over a third of its requests";
  EXPECT_LT(b.rest.rejected * 50, b.rest.sent) << "the 19 light clients pass (fewer than 2% rejected)";
  EXPECT_EQ(b.top.sent + b.rest.sent, s.requests_offered());
}

TEST(RateLimiterScenario, DriftPresetGatewaysOverAdmitWhileTheCentralWindowHolds) {
  const auto s = run_to(preset("drift"), 1, 60'000'000);
  ASSERT_EQ(s.lanes().size(), 2u);
  EXPECT_EQ(s.lanes()[0].algorithm(), rl::Algorithm::FixedWindow);
  EXPECT_EQ(s.lanes()[1].algorithm(), rl::Algorithm::Distributed);
  EXPECT_FALSE(s.distributed_only());
  const std::int64_t limit = 10;
  EXPECT_LE(max_admitted_per_window(s.lanes()[0], 1'000'000), 2 * limit);  // central fixed window
  EXPECT_GE(max_admitted_per_window(s.lanes()[1], 1'000'000), 2 * limit) << "two to four times the limit";
  EXPECT_GT(s.lanes()[1].admitted, s.lanes()[0].admitted * 2);
  // The chart shows it too: the distributed lane's admitted rate peaks at twice the limit or more.
  const auto& d = s.lanes()[1].samples;
  EXPECT_GE(*std::max_element(d.begin(), d.end()), 2.0f * limit);
}

// --- time splitting and the Run ------------------------------------------------------

void expect_same(const rlw::RateLimiterScenario& a, const rlw::RateLimiterScenario& b, const std::string& what) {
  EXPECT_EQ(a.time_us(), b.time_us()) << what;
  EXPECT_EQ(a.state_json(), b.state_json()) << what;
  EXPECT_EQ(a.summary(), b.summary()) << what;
  EXPECT_EQ(a.offered_samples(), b.offered_samples()) << what;
  EXPECT_EQ(a.last_sample_us(), b.last_sample_us()) << what;
  EXPECT_EQ(a.last_client(), b.last_client()) << what;
  ASSERT_EQ(a.lanes().size(), b.lanes().size()) << what;
  for (std::size_t i = 0; i < a.lanes().size(); ++i) {
    EXPECT_EQ(a.lanes()[i].samples, b.lanes()[i].samples) << what;
    EXPECT_EQ(a.lanes()[i].recent.size(), b.lanes()[i].recent.size()) << what;
    EXPECT_DOUBLE_EQ(a.lanes()[i].delay_sum_us, b.lanes()[i].delay_sum_us) << what;
    EXPECT_DOUBLE_EQ(a.utilisation(i), b.utilisation(i)) << what;
  }
}

TEST(RateLimiterScenario, AdvanceSplitsGiveTheSameState) {
  std::vector<std::pair<std::string, sw::ParamMap>> cases = {{"defaults", sw::default_params(info())}};
  for (const char* id : kPresets) cases.emplace_back(id, preset(id));
  for (const auto& [name, params] : cases) {
    for (const auto& [a, b] : std::vector<std::pair<std::int64_t, std::int64_t>>{
             {1, 2'999'999}, {16'667, 1'483'333}, {100'000, 100'000}, {2'450'000, 4'000'001}, {7'000'000, 9'000'000}}) {
      rlw::RateLimiterScenario split, whole;
      split.configure(params, 3);
      whole.configure(params, 3);
      split.advance(a);
      split.advance(b);
      whole.advance(a + b);
      expect_same(split, whole, name + " " + std::to_string(a) + "+" + std::to_string(b));
    }
    // 60 frames a second for 5 s against one jump.
    rlw::RateLimiterScenario frames, jump;
    frames.configure(params, 3);
    jump.configure(params, 3);
    for (int k = 0; k < 300; ++k) frames.advance(16'667);
    jump.advance(300 * 16'667);
    expect_same(frames, jump, name + " frames");
  }
}

TEST(RateLimiterScenario, ConfigureResetsTheRun) {
  rlw::RateLimiterScenario s, fresh;
  s.configure(preset("burst"), 1);
  s.advance(4'000'000);
  s.configure(sw::default_params(info()), 1);
  fresh.configure(sw::default_params(info()), 1);
  expect_same(s, fresh, "after configure");
  s.advance(2'000'000);
  fresh.advance(2'000'000);
  expect_same(s, fresh, "after configure, 2 s");
}

TEST(RateLimiterScenario, RunIsDeterministicAndTheSeedMattersWhereTrafficIsRandom) {
  auto digest = [](const sw::ParamMap& params, std::uint64_t seed) {
    sw::Run run(info(), sw::make_scenario("rate-limiter"));
    run.configure(params, seed);
    run.seek(5'000'000);
    return run.digest();
  };
  std::vector<std::pair<std::string, sw::ParamMap>> cases = {{"defaults", sw::default_params(info())}};
  for (const char* id : kPresets) cases.emplace_back(id, preset(id));
  for (const auto& [name, params] : cases) EXPECT_EQ(digest(params, 1), digest(params, 1)) << name;
  // Poisson (defaults, drift) and Zipf clients (noisy-neighbour) draw from the seed.
  for (const char* name : {"noisy-neighbour", "drift"}) EXPECT_NE(digest(preset(name), 1), digest(preset(name), 2)) << name;
  EXPECT_NE(digest(sw::default_params(info()), 1), digest(sw::default_params(info()), 2));
  // A seek backwards replays to the same moment.
  sw::Run run(info(), sw::make_scenario("rate-limiter"));
  run.configure(preset("drift"), 5);
  run.seek(7'000'000);
  const std::string at7 = run.digest(), state7 = run.scenario().state_json();
  run.seek(2'000'000);
  run.seek(7'000'000);
  EXPECT_EQ(run.digest(), at7);
  EXPECT_EQ(run.scenario().state_json(), state7);
}

TEST(RateLimiterScenario, CatalogNamesTheScenario) {
  EXPECT_NE(info().make_scenario, nullptr);
  auto s = sw::make_scenario("rate-limiter");
  ASSERT_NE(s, nullptr);
  EXPECT_NE(dynamic_cast<rlw::RateLimiterScenario*>(s.get()), nullptr);
  EXPECT_DOUBLE_EQ(s->sim_us_per_s(), 1e6);
}

}  // namespace

// Issue #18 item 7: the chart never plots outside its axis. For the defaults and every
// preset, at every 0.25 s of the run, every offered and admitted sample lies in
// [0, chart_y_max()] (the view clips at the zero axis and draws it over the series, so a
// zero rate never shows below it either) and the axis holds the limit line.
TEST(RateLimiterScenario, EveryChartSampleStaysInsideTheAxisForEveryPreset) {
  std::vector<std::pair<std::string, sw::ParamMap>> runs = {{"defaults", sw::default_params(info())}};
  for (const char* id : kPresets) runs.push_back({id, preset(id)});
  for (const auto& [name, params] : runs) {
    rlw::RateLimiterScenario s;
    s.configure(params, 7);
    int checked = 0;
    for (int step = 0; step < 48; ++step) {
      s.advance(250000);
      const double hi = s.chart_y_max();
      ASSERT_GE(hi, s.limit_per_s()) << name;
      auto inside = [&](const std::vector<float>& v, const char* what) {
        for (float x : v) {
          ASSERT_GE(x, 0.0f) << name << " " << what << " at " << s.time_us();
          ASSERT_LE(x, hi) << name << " " << what << " at " << s.time_us();
          ++checked;
        }
      };
      inside(s.offered_samples(), "offered");
      for (const rlw::Lane& l : s.lanes()) inside(l.samples, "admitted");
    }
    EXPECT_GT(checked, 1000) << name;
  }
}
