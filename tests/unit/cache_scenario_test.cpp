// The cache widget's Scenario (src/widgets/cache): replay, the curve against independent
// runs, the drawn slots against the cache, the checks on every path, the presets' stories.
#include <gtest/gtest.h>

#include <string>

#include "cli/sim_args.h"
#include "sim/cache/workload.h"
#include "widgets/cache/scenario.h"
#include "widgets/catalog.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/run.h"

#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace scalebook::widgets {
namespace {

using cache::CacheScenario;
namespace sc = sim::cache;

const WidgetInfo& info() { return *find_widget("cache"); }

ParamMap with(std::initializer_list<std::pair<const char*, const char*>> edits, const char* preset = nullptr) {
  ParamMap p = preset ? preset_params(info(), *find_preset(info(), preset)) : default_params(info());
  for (const auto& [k, v] : edits) p[k] = v;
  return p;
}

CacheScenario run_to(const ParamMap& p, std::int64_t t_us, std::uint64_t seed = 1) {
  CacheScenario s;
  s.configure(p, seed);
  EXPECT_EQ(s.error(), "");
  s.advance(t_us);
  return s;
}

TEST(CacheScenario, AdvanceSplitsFreelyForEveryPreset) {
  for (const auto& preset : info().presets) {
    const ParamMap p = preset_params(info(), preset);
    CacheScenario a;
    a.configure(p, 7);
    CacheScenario b;
    b.configure(p, 7);
    for (int i = 0; i < 37; ++i) a.advance(123457 + i * 1000);
    b.advance(37 * 123457 + 1000 * (36 * 37 / 2));
    EXPECT_EQ(a.state_json(), b.state_json()) << preset.id;
    EXPECT_EQ(a.summary(), b.summary()) << preset.id;
  }
}

TEST(CacheScenario, TheRunPlaysInTenSecondsAndEndsWithEveryRequest) {
  CacheScenario s;
  s.configure(default_params(info()), 1);
  EXPECT_EQ(s.duration_us(), 10'000'000);  // 20,000 requests at 2,000/s
  EXPECT_DOUBLE_EQ(s.sim_us_per_s(), 1e6);
  s.advance(5'000'000);
  EXPECT_EQ(s.requests_done(), 10001u);  // requests at 0, 0.5 ms, …, 5 s inclusive
  EXPECT_TRUE(s.animating());
  s.advance(100'000'000);
  EXPECT_EQ(s.time_us(), 10'000'000);
  EXPECT_EQ(s.requests_done(), 20000u);
  EXPECT_FALSE(s.animating());
  // A slow rate stretches simulated time, not the playback.
  CacheScenario slow;
  slow.configure(with({{"rate", "10"}}), 1);
  EXPECT_EQ(slow.duration_us(), 2000'000'000);
  EXPECT_DOUBLE_EQ(slow.sim_us_per_s(), 2e8);
}

TEST(CacheScenario, EveryLaneAndEveryCurvePointEqualsAnIndependentRun) {
  for (const char* policies : {"lru", "w-tinylfu", "redis-lfu", "memcached", "fifo"}) {
    const ParamMap p = with({{"policy", policies}, {"keys", "3000"}, {"requests", "6000"}, {"rate", "3000"}});
    CacheScenario s = run_to(p, 1'000'000'000);
    cache::Setup setup;
    ASSERT_EQ(cache::build_setup(p, 1, setup), "");
    const auto trace = sc::generate(setup.workload);
    ASSERT_EQ(s.requests_done(), trace.size());
    for (std::size_t l = 0; l < s.lanes().size(); ++l) {
      sc::PolicyDesc d = setup.policies[0];
      d.kind = s.lanes()[l].kind;
      for (std::size_t k = 0; k < s.sizes().size(); ++k) {
        d.capacity = s.sizes()[k];
        sc::Cache c(d, trace);
        for (std::size_t i = 0; i < trace.size(); ++i) c.access(trace[i], cache::arrival_us(i, 3000));
        EXPECT_DOUBLE_EQ(s.curve_hit_ratio(l, k), c.stats().hit_ratio()) << policies << " lane " << l << " size " << d.capacity;
        if (d.capacity == s.capacity()) {
          EXPECT_EQ(s.lanes()[l].stats(), c.stats());
        }
      }
    }
  }
}

TEST(CacheScenario, TheDrawnSlotsHoldExactlyTheResidentKeys) {
  for (const char* policy : {"lru", "opt", "w-tinylfu", "memcached", "redis-lru"}) {
    CacheScenario s = run_to(with({{"policy", policy}, {"workload", "scan"}}), 4'321'000);
    const cache::Lane& lane = s.lanes()[0];
    std::size_t filled = 0;
    for (const auto& slot : lane.slots) {
      if (!slot.filled) continue;
      ++filled;
      EXPECT_TRUE(lane.cache().contains(slot.key)) << policy;
    }
    EXPECT_EQ(filled, lane.cache().size()) << policy;
    EXPECT_EQ(filled + lane.free_slots.size(), lane.slots.size()) << policy;
  }
  // A cache larger than the drawing: the first kMaxSlots slots, still resident keys only.
  CacheScenario big = run_to(with({{"capacity", "5000"}, {"keys", "20000"}}), 10'000'000);
  EXPECT_EQ(big.lanes()[0].slots.size(), cache::kMaxSlots);
  for (const auto& slot : big.lanes()[0].slots) {
    if (!slot.filled) continue;
    EXPECT_TRUE(big.lanes()[0].cache().contains(slot.key));
  }
}

TEST(CacheScenario, OptIsTheCeilingAtEverySize) {
  for (const auto& preset : info().presets) {
    CacheScenario s = run_to(preset_params(info(), preset), 1'000'000'000);
    ASSERT_TRUE(s.has_ceiling());
    const std::size_t opt = s.lanes().size() - 1;
    for (std::size_t l = 0; l < s.policy_lanes(); ++l)
      for (std::size_t k = 0; k < s.sizes().size(); ++k)
        EXPECT_GE(s.curve_hit_ratio(opt, k), s.curve_hit_ratio(l, k)) << preset.id << " size " << s.sizes()[k];
  }
}

TEST(CacheScenario, ThePresetsTellTheirStories) {
  auto final_ratio = [](const char* preset, std::size_t lane) {
    return run_to(preset_params(info(), *find_preset(info(), preset)), 1'000'000'000).lanes()[lane].stats().hit_ratio();
  };
  // A scan wipes out LRU: W-TinyLFU keeps at least 8 points more.
  EXPECT_GT(final_ratio("scan", 1), final_ratio("scan", 0) + 0.08);
  // LFU clings to yesterday: exact LFU below LRU, W-TinyLFU above both.
  EXPECT_LT(final_ratio("shift", 1), final_ratio("shift", 0) - 0.1);
  EXPECT_GT(final_ratio("shift", 2), final_ratio("shift", 0));
  // TinyLFU keeps the head: well above LRU and Redis's sampled LRU.
  EXPECT_GT(final_ratio("tinylfu", 1), final_ratio("tinylfu", 0) + 0.1);
  EXPECT_GT(final_ratio("tinylfu", 1), final_ratio("tinylfu", 2) + 0.1);
  // LRU's worst case: LRU, FIFO and LFU never hit; OPT almost always does.
  for (std::size_t l = 0; l < 3; ++l) EXPECT_EQ(final_ratio("loop", l), 0.0);
  EXPECT_GT(final_ratio("loop", 3), 0.98);
}

TEST(CacheScenario, TheSummarySaysTheNumbers) {
  CacheScenario s = run_to(with({{"compare", "w-tinylfu"}}), 1'000'000'000);
  const std::string sum = s.summary();
  EXPECT_NE(sum.find("After all 20,000 requests with room for 100 items: LRU hits 47.7 %, W-TinyLFU hits"), std::string::npos) << sum;
  EXPECT_NE(sum.find("OPT, which knows the future, would hit 69.0 %."), std::string::npos) << sum;
}

TEST(CacheScenario, BadCombinationsAreRefusedOnEveryPathAndTheCommandLineTakesMore) {
  auto refused = [&](ParamEdits edits) {
    ParamMap v = default_params(info());
    return apply_edits(info(), v, edits);
  };
  auto r = refused({{"compare", "lru"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  EXPECT_NE(r.message.find("'lru' is already the main policy"), std::string::npos) << r.message;
  r = refused({{"compare", "fifo,fifo"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  r = refused({{"compare", "fifo,lfu,opt"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  EXPECT_NE(r.message.find("at most 2"), std::string::npos) << r.message;
  r = refused({{"compare", "arc"}});
  EXPECT_NE(r.message.find("unknown policy 'arc'"), std::string::npos) << r.message;
  r = refused({{"sizes", "10,5"}});
  EXPECT_NE(r.message.find("increasing order"), std::string::npos) << r.message;
  r = refused({{"sizes", "10,x"}});
  EXPECT_NE(r.message.find("got 'x'"), std::string::npos) << r.message;
  r = refused({{"capacity", "20000"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  EXPECT_NE(r.message.find("the widget draws caches of at most 10000 items"), std::string::npos) << r.message;
  // The command line draws nothing and takes the schema's whole range.
  std::string out, err;
  EXPECT_EQ(cli::run_sim({"cache", "--set", "capacity=20000", "--set", "keys=50000", "--set", "requests=30000", "--json"}, out, err), 0) << err;
  EXPECT_EQ(cli::run_sim({"cache", "--set", "compare=lru"}, out, err), 2);
  EXPECT_NE(err.find("'lru' is already the main policy"), std::string::npos) << err;
}

TEST(CacheScenario, ARunIsDeterministicPerSeedAndTheSeedMatters) {
  const ParamMap p = with({{"compare", "redis-lru,w-tinylfu"}});
  const auto a = run_to(p, 3'000'000, 5).state_json(), b = run_to(p, 3'000'000, 5).state_json();
  EXPECT_EQ(a, b);
  EXPECT_NE(a, run_to(p, 3'000'000, 6).state_json());
  // Through a Run (the page's path): seek back replays to the same state.
  widgets::Run run(info(), make_scenario("cache"));
  run.configure(p, 5, {});
  run.seek(7'000'000);
  run.seek(3'000'000);
  EXPECT_EQ(run.scenario().state_json(), a);
}

}  // namespace
}  // namespace scalebook::widgets

namespace scalebook::widgets {
namespace {

// Issue #18 item 7 for this widget: every plotted value stays inside its chart's axis for
// every preset at every sample (hit ratio 0–100 % on the run chart, 0–1 on the curve).
TEST(CacheScenario, EveryPlottedValueStaysInsideItsAxis) {
  for (const auto& preset : info().presets) {
    CacheScenario s;
    s.configure(preset_params(info(), preset), 1);
    for (int step = 0; step < 40; ++step) {
      s.advance(250'000);
      for (std::size_t l = 0; l < s.lanes().size(); ++l) {
        const auto& ring = s.lanes()[l].hit_samples;
        for (std::size_t i = 0; i < ring.size(); ++i) {
          ASSERT_GE(ring[i], 0.0f) << preset.id;
          ASSERT_LE(ring[i], 100.0f) << preset.id;
        }
        for (std::size_t k = 0; k < s.sizes().size(); ++k) {
          ASSERT_GE(s.curve_hit_ratio(l, k), 0.0) << preset.id;
          ASSERT_LE(s.curve_hit_ratio(l, k), 1.0) << preset.id;
        }
      }
    }
  }
}

}  // namespace
}  // namespace scalebook::widgets
