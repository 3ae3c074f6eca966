// The stampede widget's Scenario (src/widgets/stampede): replay, the revealed counts
// against the model's own totals, the presets' stories, refusals.
#include <gtest/gtest.h>

#include <string>

#include "widgets/catalog.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/stampede/scenario.h"

namespace scalebook::widgets {
namespace {

using stampede::StampedeScenario;

const WidgetInfo& info() { return *find_widget("stampede"); }

StampedeScenario at(const ParamMap& p, std::int64_t t_us, std::uint64_t seed = 1) {
  StampedeScenario s;
  s.configure(p, seed);
  EXPECT_EQ(s.error(), "");
  s.advance(t_us);
  return s;
}

TEST(StampedeScenario, AdvanceSplitsFreelyForEveryPreset) {
  for (const auto& preset : info().presets) {
    const ParamMap p = preset_params(info(), preset);
    StampedeScenario a, b;
    a.configure(p, 3);
    b.configure(p, 3);
    for (int i = 0; i < 29; ++i) a.advance(333'333);
    b.advance(29 * 333'333);
    EXPECT_EQ(a.state_json(), b.state_json()) << preset.id;
    EXPECT_EQ(a.summary(), b.summary()) << preset.id;
  }
}

TEST(StampedeScenario, TheTimelineRevealsTheModelsBucketsAndEndsWithItsTotals) {
  const ParamMap herd = preset_params(info(), *find_preset(info(), "herd"));
  const StampedeScenario mid = at(herd, 4'250'000);
  const auto& lane = mid.lanes()[0];
  std::uint64_t q = 0;
  for (std::size_t k = 0; k < 42; ++k) q += lane.result.buckets[k].queries_started;  // buckets ended by 4.25 s
  EXPECT_EQ(lane.queries_so_far, q);
  EXPECT_EQ(lane.queries.size(), 42u);
  EXPECT_TRUE(mid.animating());
  const StampedeScenario end = at(herd, 60'000'000);
  EXPECT_FALSE(end.animating());
  for (const auto& l : end.lanes()) {
    std::uint64_t total = 0;
    for (const auto& b : l.result.buckets) total += b.queries_started;
    EXPECT_EQ(l.queries_so_far, total);
    EXPECT_EQ(l.reads_so_far, l.result.reads);
  }
  // Leases: exactly one query per expiry.
  EXPECT_EQ(end.lanes()[1].result.db_queries, end.lanes()[1].result.expiries);
  EXPECT_NE(end.summary().find("With leases the database took 4 queries, at most 1 at once"), std::string::npos) << end.summary();
}

TEST(StampedeScenario, ThePresetsTellTheirStories) {
  auto run = [](const char* id) { return at(preset_params(info(), *find_preset(info(), id)), 60'000'000); };
  const auto herd = run("herd");
  EXPECT_GT(herd.lanes()[0].result.db_queries, 40 * herd.lanes()[0].result.expiries);
  const auto co = run("coalesce");
  EXPECT_LE(co.lanes()[1].result.peak_in_flight, 8u);
  const auto stale = run("stale");
  EXPECT_GT(stale.lanes()[1].result.stale_reads, 0u);
  EXPECT_EQ(stale.lanes()[1].result.latency_percentile_us(99), 500);
  const auto xf = run("xfetch");
  EXPECT_GT(xf.lanes()[1].result.early_recomputes, 0u);
  const auto w = run("writes");
  EXPECT_GT(w.lanes()[0].result.stale_sets, 100u);
  EXPECT_EQ(w.lanes()[1].result.stale_sets, 0u);
}

TEST(StampedeScenario, DeterministicPerSeedAndRefusals) {
  const ParamMap p = preset_params(info(), *find_preset(info(), "herd"));
  EXPECT_EQ(at(p, 5'000'000, 4).state_json(), at(p, 5'000'000, 4).state_json());
  EXPECT_NE(at(p, 5'000'000, 4).state_json(), at(p, 5'000'000, 5).state_json());
  ParamMap v = default_params(info());
  auto r = apply_edits(info(), v, {{"compare", "lease"}, {"strategy", "lease"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  EXPECT_NE(r.message.find("'lease' is already the main strategy"), std::string::npos) << r.message;
  r = apply_edits(info(), v, {{"rate", "100000"}, {"duration", "60"}});
  EXPECT_EQ(r.result, EditResult::Refused);
  EXPECT_NE(r.message.find("at most 2,000,000 readers"), std::string::npos) << r.message;
}

}  // namespace
}  // namespace scalebook::widgets
