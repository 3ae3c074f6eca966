// The fanout widget's Scenario (src/widgets/fanout/scenario.h): the summary, state and
// digest the legacy browser view produced (pinned from the page before the view moved onto
// Scenario + View), time splitting, the Run's determinism, the lanes against the model run
// on its own, compare = strategy and refused combinations, and every preset and book fence
// configuring and running.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sim/fanout/scenario.h"
#include "widgets/catalog.h"
#include "widgets/fanout/config.h"
#include "widgets/fanout/format.h"
#include "widgets/fanout/scenario.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/run.h"

namespace {

namespace fo = scalebook::sim::fanout;
namespace sw = scalebook::widgets;
namespace fw = scalebook::widgets::fanout;
namespace cfg = scalebook::widgets::fanout_config;

const sw::WidgetInfo& info() { return *sw::find_widget("fanout"); }

sw::ParamMap params(std::vector<std::pair<std::string, std::string>> edits) {
  sw::ParamMap p = sw::default_params(info());
  for (auto& [k, v] : edits) p[k] = v;
  return p;
}

// The book's fences (content/phase-4-real-world-designs.md, phase-8-practice.md).
sw::ParamMap chapter4() { return params({{"strategy", "hybrid"}, {"compare", "push"}, {"users", "30000"}, {"celebrity_followers", "25000"}}); }
sw::ParamMap chapter4_estimate() { return params({{"mode", "estimate"}}); }
sw::ParamMap chapter8() { return params({{"strategy", "push"}, {"compare", "pull"}}); }

struct Pinned {
  const char* what;
  sw::ParamMap params;
  std::uint64_t seed;
  std::int64_t t_us;
  const char* summary;
  const char* state;
  const char* digest;
};

// --- the summary, state and digest the legacy view gave on the page ------------------

// Recorded from the legacy view (make_fanout_legacy_view) in the browser before the port:
// the page's <scalebook-widget name="fanout" …> with these attributes and seed, paused,
// element.scalebook.seek(t), then summary(), the "model" of sb_state() and state().digest.
std::vector<Pinned> pinned() {
  return {
      {"defaults-0", params({}), 1, 0,
       R"J(push at 0.0 s: 0 posts made 0 timeline inserts (0.0 per post); 0 inserts queued; delivery p99 0 (target 5 s); a read fetches 0.0 lists on average; cache 0.)J",
       R"J({"time_us":0,"lanes":[{"strategy":"push","posts":0,"reads":0,"deliveries":0,"backlog":0,"backlog_peak":0,"delivery_p99_us":0,"timeline_digest":"cbf29ce484222325","chart":{"samples":0,"kept":0,"period_us":100000,"p50_ms":0,"p99_ms":0,"p99_ms_max":0,"backlog":0,"backlog_max":0,"memory_bytes":0,"write_amp_x100":0,"fan_in_x100":0}}]})J",
       "f0c2770ce9278b99"},
      {"defaults-2.5", params({}), 1, 2500000,
       R"J(push at 2.5 s: 49 posts made 1167 timeline inserts (23.8 per post); 119 inserts queued; delivery p99 203 ms (target 5 s); a read fetches 2.5 lists on average; cache 70.5 kB.)J",
       R"J({"time_us":2500000,"lanes":[{"strategy":"push","posts":49,"reads":762,"deliveries":1167,"backlog":119,"backlog_peak":214,"delivery_p99_us":202751,"timeline_digest":"eda9c0ce2c2156f9","chart":{"samples":26,"kept":26,"period_us":100000,"p50_ms":25,"p99_ms":211,"p99_ms_max":211,"backlog":119,"backlog_max":119,"memory_bytes":70500,"write_amp_x100":2382,"fan_in_x100":250}}]})J",
       "5f45616e2c4283a6"},
      {"defaults-8", params({}), 1, 8000000,
       R"J(push at 8.0 s: 146 posts made 10643 timeline inserts (72.9 per post); 4101 inserts queued; delivery p99 7.1 s (target 5 s); a read fetches 2.2 lists on average; cache 647 kB.)J",
       R"J({"time_us":8000000,"lanes":[{"strategy":"push","posts":146,"reads":2425,"deliveries":10643,"backlog":4101,"backlog_peak":7257,"delivery_p99_us":7143423,"timeline_digest":"9571bc1e3719261b","chart":{"samples":81,"kept":81,"period_us":100000,"p50_ms":4162,"p99_ms":4260,"p99_ms_max":7143,"backlog":4101,"backlog_max":7171,"memory_bytes":646680,"write_amp_x100":7290,"fan_in_x100":222}}]})J",
       "074ba369018292ce"},
      {"defaults-25", params({}), 1, 25000000,
       R"J(push at 25.0 s: 408 posts made 19914 timeline inserts (48.8 per post); 1372 inserts queued; delivery p99 7.1 s (target 5 s); a read fetches 1.8 lists on average; cache 1.22 MB.)J",
       R"J({"time_us":25000000,"lanes":[{"strategy":"push","posts":408,"reads":6081,"deliveries":19914,"backlog":1372,"backlog_peak":7257,"delivery_p99_us":7143423,"timeline_digest":"c2906c387843f271","chart":{"samples":201,"kept":201,"period_us":100000,"p50_ms":827,"p99_ms":1458,"p99_ms_max":7143,"backlog":1372,"backlog_max":7171,"memory_bytes":1218600,"write_amp_x100":4881,"fan_in_x100":184}}]})J",
       "d88086264528b97f"},
      {"ch4-8", params({{"strategy", "hybrid"}, {"compare", "push"}, {"users", "30000"}, {"celebrity_followers", "25000"}}), 1, 8000000,
       R"J(hybrid at 8.0 s: 146 posts made 5385 timeline inserts (36.9 per post); 495 inserts queued; delivery p99 1.1 s (target 5 s); a read fetches 14.2 lists on average; cache 324 kB. push at 8.0 s: 146 posts made 76944 timeline inserts (527.0 per post); 69578 inserts queued; delivery p99 72.1 s (target 5 s); a read fetches 3.1 lists on average; cache 4.63 MB.)J",
       R"J({"time_us":8000000,"lanes":[{"strategy":"hybrid","posts":146,"reads":2425,"deliveries":5385,"backlog":495,"backlog_peak":1135,"delivery_p99_us":1097727,"timeline_digest":"e857ed2555d0bcb3","chart":{"samples":81,"kept":81,"period_us":100000,"p50_ms":389,"p99_ms":614,"p99_ms_max":1130,"backlog":495,"backlog_max":1052,"memory_bytes":323880,"write_amp_x100":3688,"fan_in_x100":1419}},{"strategy":"push","posts":146,"reads":2425,"deliveries":76944,"backlog":69578,"backlog_peak":72146,"delivery_p99_us":72145419,"timeline_digest":"e857ed2555d0bcb3","chart":{"samples":81,"kept":81,"period_us":100000,"p50_ms":69716,"p99_ms":69716,"p99_ms_max":72145,"backlog":69578,"backlog_max":72126,"memory_bytes":4628340,"write_amp_x100":52701,"fan_in_x100":314}}]})J",
       "86d3ae27cad3bda6"},
      {"ch8-seed7-5", params({{"strategy", "push"}, {"compare", "pull"}}), 7, 5000000,
       R"J(push at 5.0 s: 106 posts made 10085 timeline inserts (95.1 per post); 6467 inserts queued; delivery p99 7.3 s (target 5 s); a read fetches 2.6 lists on average; cache 608 kB. pull at 5.0 s: 106 posts made 0 timeline inserts (0.0 per post); 0 inserts queued; delivery p99 0 (target 5 s); a read fetches 42.5 lists on average; cache 0.)J",
       R"J({"time_us":5000000,"lanes":[{"strategy":"push","posts":106,"reads":1579,"deliveries":10085,"backlog":6467,"backlog_peak":7318,"delivery_p99_us":7274495,"timeline_digest":"e2aef506cabbf1c0","chart":{"samples":51,"kept":51,"period_us":100000,"p50_ms":6619,"p99_ms":6881,"p99_ms_max":7274,"backlog":6467,"backlog_max":7286,"memory_bytes":608400,"write_amp_x100":9514,"fan_in_x100":257}},{"strategy":"pull","posts":106,"reads":1579,"deliveries":0,"backlog":0,"backlog_peak":0,"delivery_p99_us":0,"timeline_digest":"e2aef506cabbf1c0","chart":{"samples":51,"kept":51,"period_us":100000,"p50_ms":0,"p99_ms":0,"p99_ms_max":0,"backlog":0,"backlog_max":0,"memory_bytes":0,"write_amp_x100":0,"fan_in_x100":4254}}]})J",
       "723c71bb0c3465a7"},
      {"pull-seed3-4", params({{"strategy", "pull"}}), 3, 4000000,
       R"J(pull at 4.0 s: 99 posts made 0 timeline inserts (0.0 per post); 0 inserts queued; delivery p99 0 (target 5 s); a read fetches 42.1 lists on average; cache 0.)J",
       R"J({"time_us":4000000,"lanes":[{"strategy":"pull","posts":99,"reads":1209,"deliveries":0,"backlog":0,"backlog_peak":0,"delivery_p99_us":0,"timeline_digest":"09b6c6e824db62bc","chart":{"samples":41,"kept":41,"period_us":100000,"p50_ms":0,"p99_ms":0,"p99_ms_max":0,"backlog":0,"backlog_max":0,"memory_bytes":0,"write_amp_x100":0,"fan_in_x100":4210}}]})J",
       "48dcdb35b1d2ada2"},
      {"estimate-3", params({{"mode", "estimate"}}), 1, 3000000,
       R"J(push at 3.0 s: 62 posts made 3978 timeline inserts (64.2 per post); 2436 inserts queued; delivery p99 2.4 s (target 5 s); a read fetches 2.5 lists on average; cache 239 kB.)J",
       R"J({"time_us":3000000,"lanes":[{"strategy":"push","posts":62,"reads":898,"deliveries":3978,"backlog":2436,"backlog_peak":2436,"delivery_p99_us":2392063,"timeline_digest":"b7e3a755f0aeb2a5","chart":{"samples":31,"kept":31,"period_us":100000,"p50_ms":893,"p99_ms":2392,"p99_ms_max":2392,"backlog":2436,"backlog_max":2436,"memory_bytes":239280,"write_amp_x100":6416,"fan_in_x100":251}}]})J",
       "0b85471d4e19abee"},
      {"hybrid-odd", params({{"strategy", "hybrid"}, {"compare", "pull"}, {"threshold", "100"}, {"inactive_days", "0"}, {"workers", "2"}, {"celebrity_followers", "1500"}}), 42, 12345678,
       R"J(hybrid at 12.3 s: 244 posts made 5321 timeline inserts (21.8 per post); 0 inserts queued; delivery p99 942 ms (target 5 s); a read fetches 21.0 lists on average; cache 319 kB. pull at 12.3 s: 244 posts made 0 timeline inserts (0.0 per post); 0 inserts queued; delivery p99 0 (target 5 s); a read fetches 41.4 lists on average; cache 0.)J",
       R"J({"time_us":12345678,"lanes":[{"strategy":"hybrid","posts":244,"reads":3581,"deliveries":5321,"backlog":0,"backlog_peak":504,"delivery_p99_us":942079,"timeline_digest":"6531173f4d4377fa","chart":{"samples":124,"kept":124,"period_us":100000,"p50_ms":40,"p99_ms":150,"p99_ms_max":1007,"backlog":5,"backlog_max":489,"memory_bytes":319260,"write_amp_x100":2181,"fan_in_x100":2095}},{"strategy":"pull","posts":244,"reads":3581,"deliveries":0,"backlog":0,"backlog_peak":0,"delivery_p99_us":0,"timeline_digest":"6531173f4d4377fa","chart":{"samples":124,"kept":124,"period_us":100000,"p50_ms":0,"p99_ms":0,"p99_ms_max":0,"backlog":0,"backlog_max":0,"memory_bytes":0,"write_amp_x100":0,"fan_in_x100":4139}}]})J",
       "771d711e2c9cfb02"},
      {"nocelebs-7", params({{"celebrities", "0"}, {"duration_s", "5"}, {"compare", "hybrid"}}), 2, 7000000,
       R"J(push at 7.0 s: 120 posts made 7603 timeline inserts (63.4 per post); 2846 inserts queued; delivery p99 3.6 s (target 5 s); a read fetches 2.5 lists on average; cache 460 kB. hybrid at 7.0 s: 120 posts made 4805 timeline inserts (40.0 per post); 48 inserts queued; delivery p99 1.2 s (target 5 s); a read fetches 8.6 lists on average; cache 292 kB.)J",
       R"J({"time_us":7000000,"lanes":[{"strategy":"push","posts":120,"reads":1542,"deliveries":7603,"backlog":2846,"backlog_peak":3620,"delivery_p99_us":3571711,"timeline_digest":"b70cab626c39af9c","chart":{"samples":51,"kept":51,"period_us":100000,"p50_ms":3113,"p99_ms":3244,"p99_ms_max":3619,"backlog":2846,"backlog_max":3574,"memory_bytes":460380,"write_amp_x100":6336,"fan_in_x100":246}},{"strategy":"hybrid","posts":120,"reads":1542,"deliveries":4805,"backlog":48,"backlog_peak":1264,"delivery_p99_us":1228799,"timeline_digest":"b70cab626c39af9c","chart":{"samples":51,"kept":51,"period_us":100000,"p50_ms":291,"p99_ms":446,"p99_ms_max":1262,"backlog":48,"backlog_max":1214,"memory_bytes":291540,"write_amp_x100":4004,"fan_in_x100":862}}]})J",
       "60073e82dee44fc9"},
  };
}

TEST(FanoutScenario, SameSummaryStateAndDigestAsTheLegacyView) {
  for (const Pinned& c : pinned()) {
    sw::Run run(info(), sw::make_scenario("fanout"));
    run.configure(c.params, c.seed);
    run.seek(c.t_us);
    EXPECT_EQ(run.scenario().summary(), c.summary) << c.what;
    EXPECT_EQ(run.scenario().state_json(), c.state) << c.what;
    EXPECT_EQ(run.digest(), c.digest) << c.what;
    // The scenario on its own, in one advance, says the same (like the Run, no advance at 0:
    // advance(0) takes the sample at 0).
    fw::FanoutScenario s;
    s.configure(c.params, c.seed);
    if (c.t_us > 0) s.advance(c.t_us);
    EXPECT_EQ(s.state_json(), c.state) << c.what;
  }
}

// --- time splitting, determinism, the Run -------------------------------------------

void expect_same(const fw::FanoutScenario& a, const fw::FanoutScenario& b, const std::string& what) {
  EXPECT_EQ(a.time_us(), b.time_us()) << what;
  EXPECT_EQ(a.state_json(), b.state_json()) << what;
  EXPECT_EQ(a.summary(), b.summary()) << what;
  EXPECT_EQ(a.events_applied(), b.events_applied()) << what;
  ASSERT_EQ(a.lane_count(), b.lane_count()) << what;
  for (std::size_t i = 0; i < a.lane_count(); ++i) {
    const fw::Series &x = a.series(i), &y = b.series(i);
    ASSERT_EQ(x.p99_s.total(), y.p99_s.total()) << what;
    for (std::size_t k = 0; k < x.p99_s.size(); ++k) {
      EXPECT_EQ(x.p50_s[k], y.p50_s[k]) << what << " sample " << k;
      EXPECT_EQ(x.p99_s[k], y.p99_s[k]) << what << " sample " << k;
      EXPECT_EQ(x.backlog[k], y.backlog[k]) << what << " sample " << k;
      EXPECT_EQ(x.memory[k], y.memory[k]) << what << " sample " << k;
      EXPECT_EQ(x.write_amp[k], y.write_amp[k]) << what << " sample " << k;
      EXPECT_EQ(x.fan_in[k], y.fan_in[k]) << what << " sample " << k;
    }
    EXPECT_EQ(a.lane(i).deliveries().size(), b.lane(i).deliveries().size()) << what;
  }
}

std::vector<std::pair<std::string, sw::ParamMap>> cases() {
  return {{"defaults", sw::default_params(info())},
          {"chapter 8", chapter8()},
          {"estimate", chapter4_estimate()},
          {"hybrid vs pull", params({{"strategy", "hybrid"}, {"compare", "pull"}, {"threshold", "100"}, {"users", "2000"},
                                     {"celebrity_followers", "1500"}})},
          {"pull, long run", params({{"strategy", "pull"}, {"compare", "push"}, {"users", "500"}, {"celebrity_followers", "400"},
                                     {"duration_s", "90"}, {"reads_per_s", "50"}})}};
}

TEST(FanoutScenario, AdvanceSplitsGiveTheSameState) {
  for (const auto& [name, p] : cases()) {
    for (const auto& [a, b] : std::vector<std::pair<std::int64_t, std::int64_t>>{
             {1, 2'999'999}, {16'667, 3'483'333}, {100'000, 100'000}, {2'999'999, 2}, {2'450'000, 4'000'001},
             {7'000'000, 16'000'000}}) {
      fw::FanoutScenario split, whole;
      split.configure(p, 3);
      whole.configure(p, 3);
      split.advance(a);
      split.advance(b);
      whole.advance(a + b);
      expect_same(split, whole, name + " " + std::to_string(a) + "+" + std::to_string(b));
    }
    // 60 frames a second for 6 s against one jump.
    fw::FanoutScenario frames, jump;
    frames.configure(p, 3);
    jump.configure(p, 3);
    for (int k = 0; k < 360; ++k) frames.advance(16'667);
    jump.advance(360 * 16'667);
    expect_same(frames, jump, name + " frames");
  }
}

TEST(FanoutScenario, DeterministicAndTheSeedMatters) {
  auto digest = [](const sw::ParamMap& p, std::uint64_t seed, std::int64_t t) {
    sw::Run run(info(), sw::make_scenario("fanout"));
    run.configure(p, seed);
    run.seek(t);
    return std::make_pair(run.digest(), run.scenario().state_json());
  };
  for (const auto& [name, p] : cases()) {
    EXPECT_EQ(digest(p, 1, 5'000'000), digest(p, 1, 5'000'000)) << name;
    EXPECT_NE(digest(p, 1, 5'000'000).second, digest(p, 2, 5'000'000).second) << name;
  }
  // Two scenarios side by side, configured and advanced in the same steps, stay equal.
  fw::FanoutScenario a, b;
  a.configure(chapter8(), 11);
  b.configure(chapter8(), 11);
  for (int k = 0; k < 50; ++k) {
    a.advance(97'531);
    b.advance(97'531);
  }
  expect_same(a, b, "two runs");
  // A seek backwards replays to the same moment.
  sw::Run run(info(), sw::make_scenario("fanout"));
  run.configure(chapter8(), 5);
  run.seek(7'000'000);
  const std::string at7 = run.digest(), state7 = run.scenario().state_json();
  run.seek(2'000'000);
  run.seek(7'000'000);
  EXPECT_EQ(run.digest(), at7);
  EXPECT_EQ(run.scenario().state_json(), state7);
}

TEST(FanoutScenario, ConfigureStartsANewRun) {
  fw::FanoutScenario s, fresh;
  s.configure(chapter8(), 1);
  const auto first = s.run_id();
  s.advance(4'000'000);
  // Only the strategy changes: the graph and the posts are kept, the run starts over.
  s.configure(params({{"strategy", "hybrid"}, {"compare", "pull"}}), 1);
  EXPECT_NE(s.run_id(), first) << "the view restarts its particles";
  fresh.configure(params({{"strategy", "hybrid"}, {"compare", "pull"}}), 1);
  expect_same(s, fresh, "after configure");
  s.advance(5'000'000);
  fresh.advance(5'000'000);
  expect_same(s, fresh, "after configure, 5 s");
}

TEST(FanoutScenario, SummaryAndTime) {
  fw::FanoutScenario s;
  s.configure(sw::default_params(info()), 1);
  EXPECT_TRUE(s.animating());
  EXPECT_EQ(s.time_us(), 0);
  EXPECT_EQ(s.summary().rfind("push at 0.0 s: 0 posts made 0 timeline inserts (0.0 per post); 0 inserts queued;", 0), 0u)
      << s.summary();
  EXPECT_DOUBLE_EQ(s.sim_us_per_s(), 1e6);
  s.advance(5'000'000);
  EXPECT_FALSE(s.summary().empty());
  EXPECT_NE(s.summary().find("push at 5.0 s: "), std::string::npos) << s.summary();
  EXPECT_NE(s.summary().find("(target 5 s)"), std::string::npos) << s.summary();
  // Time runs on after the 20 s of workload (nothing more happens); frames stop 1 s after it.
  s.advance(15'500'000);
  EXPECT_TRUE(s.animating());
  EXPECT_EQ(s.series(0).p99_s.total(), 201u) << "samples at 0, 0.1, … 20 s";
  s.advance(600'000);
  EXPECT_FALSE(s.animating());
  EXPECT_EQ(s.time_us(), 21'100'000);
  EXPECT_EQ(s.series(0).p99_s.total(), 201u);
  EXPECT_EQ(s.events_applied(), s.events().size());
  // A long run samples less often: at most 400 samples.
  s.configure(params({{"duration_s", "600"}, {"users", "200"}, {"celebrity_followers", "150"}}), 1);
  EXPECT_EQ(s.sample_us(), 1'500'000);
  s.advance(600'000'000);
  EXPECT_EQ(s.series(0).p99_s.total(), 401u);
}

// --- the lanes against the model run on its own ---------------------------------------

TEST(FanoutScenario, LanesMatchTheModelRunOnItsOwn) {
  for (const sw::ParamMap& p : {chapter8(), params({{"strategy", "hybrid"}, {"compare", "push"}})}) {
    for (std::uint64_t seed : {1ull, 4ull}) {
      fw::FanoutScenario s;
      s.configure(p, seed);
      s.advance(30'000'000);
      const auto scenario = fo::build_scenario(cfg::graph_desc(p, seed), cfg::workload_desc(p, seed));
      auto desc = cfg::sim_desc(p);
      ASSERT_EQ(s.lane_count(), 2u);
      for (std::size_t i = 0; i < 2; ++i) {
        if (i == 1) desc.strategy = cfg::strategy_of(sw::get_text(p, "compare"));
        const auto alone = fo::run_scenario(scenario, desc);
        const auto &m = s.lane(i).metrics(), &n = alone.metrics();
        EXPECT_EQ(s.lane(i).desc().strategy, desc.strategy);
        EXPECT_EQ(m.posts, n.posts);
        EXPECT_EQ(m.reads, n.reads);
        EXPECT_EQ(m.deliveries, n.deliveries);
        EXPECT_EQ(m.fetches, n.fetches);
        EXPECT_EQ(m.backlog_peak_inserts, n.backlog_peak_inserts);
        EXPECT_EQ(m.timeline_digest.hex(), n.timeline_digest.hex());
      }
      // Lane 0 keeps its delivery log for the view, in visible-time order (the view relies on it).
      const auto& log = s.lane(0).deliveries();
      EXPECT_EQ(log.size(), s.lane(0).metrics().deliveries);
      for (std::size_t k = 1; k < log.size(); ++k) ASSERT_LE(log[k - 1].visible_at_us, log[k].visible_at_us);
      EXPECT_TRUE(s.lane(1).deliveries().empty());
    }
  }
}

// --- compare = strategy: one lane, as the legacy view ran it ---------------------------

TEST(FanoutScenario, CompareWithTheStrategyItselfRunsOneLane) {
  // Accepted by the one parameter path (`scalebook sim fanout` takes compare = strategy:
  // the book-claims test runs a compare lane as strategy=<compared> with compare kept),
  // and the scenario runs it once: the second lane would be the same run.
  sw::ParamMap p = sw::default_params(info());
  EXPECT_TRUE(sw::apply_edits(info(), p, {{"compare", "push"}}).applied());
  EXPECT_EQ(sw::check_params(info(), p), "");
  fw::FanoutScenario same, alone;
  same.configure(p, 1);
  alone.configure(sw::default_params(info()), 1);
  same.advance(6'000'000);
  alone.advance(6'000'000);
  EXPECT_EQ(same.lane_count(), 1u);
  EXPECT_EQ(same.state_json(), alone.state_json());
  EXPECT_EQ(same.summary(), alone.summary());
  // Parameters that cannot run together are refused (config.h cross_check) before any run.
  sw::ParamMap q = sw::default_params(info());
  const auto out = sw::apply_edits(info(), q, {{"users", "2000"}});
  EXPECT_EQ(out.result, sw::EditResult::Refused);
  EXPECT_EQ(out.message, "parameter 'celebrity_followers': must be less than users (2000)");
  EXPECT_TRUE(sw::apply_edits(info(), q, {{"users", "2000"}, {"celebrity_followers", "1500"}}).applied());
  // A scenario configured directly with such parameters says so instead of running.
  fw::FanoutScenario s;
  s.configure(params({{"users", "2000"}}), 1);
  EXPECT_EQ(s.error(), "parameter 'celebrity_followers': must be less than users (2000)");
  EXPECT_EQ(s.summary(), "Invalid parameters: parameter 'celebrity_followers': must be less than users (2000)");
  EXPECT_EQ(s.state_json(), "{\"time_us\":0,\"lanes\":[],\"error\":\"invalid parameters\"}");
  EXPECT_FALSE(s.animating());
  s.advance(1'000'000);
  EXPECT_EQ(s.time_us(), 0);
}

// --- every preset and book fence configures and runs ----------------------------------

TEST(FanoutScenario, EveryPresetAndBookFenceRuns) {
  std::vector<std::pair<std::string, sw::ParamMap>> all = {
      {"defaults", sw::default_params(info())}, {"chapter 4", chapter4()}, {"chapter 4 estimate", chapter4_estimate()},
      {"chapter 8", chapter8()}};
  for (const auto& pr : info().presets) all.emplace_back("preset " + std::string(pr.id), sw::preset_params(info(), pr));
  for (const auto& [name, p] : all) {
    ASSERT_EQ(sw::check_params(info(), p), "") << name;
    sw::Run run(info(), sw::make_scenario("fanout"));
    run.configure(p, 1);
    run.seek(6'000'000);
    const auto& s = static_cast<const fw::FanoutScenario&>(run.scenario());
    EXPECT_EQ(s.error(), "") << name;
    EXPECT_EQ(s.time_us(), 6'000'000) << name;
    EXPECT_GT(s.lane(0).metrics().posts, 0u) << name;
    EXPECT_GT(s.lane(0).metrics().reads, 0u) << name;
    EXPECT_EQ(s.series(0).p99_s.total(), 61u) << name;
    EXPECT_FALSE(s.summary().empty()) << name;
    EXPECT_TRUE(s.animating()) << name;
    EXPECT_EQ(s.lane_count(), sw::get_text(p, "compare") == "none" ? 1u : 2u) << name;
  }
}

TEST(FanoutScenario, CatalogNamesTheScenario) {
  EXPECT_NE(info().make_scenario, nullptr);
  auto s = sw::make_scenario("fanout");
  ASSERT_NE(s, nullptr);
  EXPECT_NE(dynamic_cast<fw::FanoutScenario*>(s.get()), nullptr);
}

// --- the summary's number formats are chart.h's -------------------------------------

TEST(FanoutScenario, NumberTextReadsLikeTheChartLabels) {
  EXPECT_EQ(fw::seconds_text(0), "0");
  EXPECT_EQ(fw::seconds_text(0.0004), "0 ms");
  EXPECT_EQ(fw::seconds_text(0.512), "512 ms");
  EXPECT_EQ(fw::seconds_text(1), "1 s");
  EXPECT_EQ(fw::seconds_text(1.44), "1.4 s");
  EXPECT_EQ(fw::seconds_text(72.1), "72.1 s");
  EXPECT_EQ(fw::seconds_text(599.9), "599.9 s");
  EXPECT_EQ(fw::seconds_text(600), "10 min");
  EXPECT_EQ(fw::seconds_text(4500), "75 min");
  EXPECT_EQ(fw::bytes_text(0), "0");
  EXPECT_EQ(fw::bytes_text(512), "512 B");
  EXPECT_EQ(fw::bytes_text(1000), "1 kB");
  EXPECT_EQ(fw::bytes_text(205'920), "206 kB");
  EXPECT_EQ(fw::bytes_text(4'512'345), "4.51 MB");
  EXPECT_EQ(fw::bytes_text(7.2e12), "7.2 TB");
  EXPECT_EQ(fw::count_text(3e10), "30 billion");
  EXPECT_EQ(fw::count_text(4.5e5), "450 thousand");
  EXPECT_EQ(fw::count_text(3e7), "30 million");
  EXPECT_EQ(fw::count_text(9999), "9999");
}

}  // namespace
