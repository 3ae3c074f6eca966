// The sharding widget's Scenario (src/widgets/sharding/scenario.h): the state, summary and
// digest the legacy browser view produced (pinned from the page — element.scalebook and
// sb_state/sb_summary — before the view moved onto Scenario + View), time splitting,
// determinism, the timeline, the fences of the book, every preset, and the parameters the
// widget refuses instead of substituting (the cross-parameter check), on every path.
#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "cli/sim_args.h"
#include "site/widget_fence.h"
#include "widgets/catalog.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/run.h"
#include "widgets/sharding/scenario.h"

namespace {

namespace sw = scalebook::widgets;
namespace shw = scalebook::widgets::sharding;

const sw::WidgetInfo& info() { return *sw::find_widget("sharding"); }

sw::ParamMap with(const std::map<std::string, std::string>& overrides) {
  sw::ParamMap p = sw::default_params(info());
  for (const auto& [k, v] : overrides) p[k] = v;
  return p;
}

shw::ShardingScenario run_to(const sw::ParamMap& p, std::uint64_t seed, std::int64_t t_us) {
  shw::ShardingScenario s;
  s.configure(p, seed);
  s.advance(t_us);
  return s;
}

// --- what the legacy view gave on the page -----------------------------------------

struct Pin {
  std::map<std::string, std::string> params;  // over the defaults
  std::uint64_t seed;
  std::int64_t t_us;
  const char* digest;   // Run::digest(): covers the state_json byte for byte
  const char* state;    // nullptr: not pinned in full (the digest still is)
  const char* summary;  // nullptr: not pinned
};

// Recorded from the legacy bundle (build/site before the port) through the page's C API:
// sb_set_params (every parameter), sb_set_seed, sb_seek, then sb_state's "model" and
// digest and sb_summary. The book's three fences, the e2e fixture's, and one case per
// strategy and operation, before, during and after the move.
const Pin kPins[] = {
    {{}, 1, 0, "ac4d6dd240299922",
     "{\"time_us\":0,\"applied\":false,\"phase\":\"before\",\"operation\":\"add-node\",\"runs\":[{\"strategy\":\"ring\",\"nodes_before\":5,\"nodes_after\":6,\"moved\":1834,\"keys\":10000,\"moved_fraction\":0.183400,\"ideal_fraction\":0.166667,\"drawn\":1200,\"drawn_moved\":222,\"keys_max_over_mean\":1.1004,\"keys_cv\":0.0681,\"requests_max_over_mean\":1.1004}],\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}}",
     nullptr},
    {{}, 1, 1500000, "6fc6c679bdbc0126",
     nullptr,
     "ring, 5 nodes: busiest node holds 1.06 times the mean. Next: add-node 10.0.0.6:11211."},
    {{}, 1, 2000000, "6beb7174b77695ea",
     nullptr,
     nullptr},
    {{}, 1, 2500000, "e0ffd973742bd980",
     nullptr,
     "ring: add-node 10.0.0.6:11211 moved 1,834 of 10,000 keys, 18.3% (ideal 16.7%); busiest node holds 1.10 times the mean."},
    {{}, 1, 2950000, "2cbf339278a9f38a",
     "{\"time_us\":2950000,\"applied\":true,\"phase\":\"moving\",\"operation\":\"add-node\",\"runs\":[{\"strategy\":\"ring\",\"nodes_before\":5,\"nodes_after\":6,\"moved\":1834,\"keys\":10000,\"moved_fraction\":0.183400,\"ideal_fraction\":0.166667,\"drawn\":1200,\"drawn_moved\":222,\"keys_max_over_mean\":1.1004,\"keys_cv\":0.0681,\"requests_max_over_mean\":1.1004}],\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}}",
     nullptr},
    {{}, 1, 3000000, "c7716de8b2cf6fb4",
     nullptr,
     nullptr},
    {{}, 1, 5000000, "36af0171caf74e8c",
     nullptr,
     nullptr},
    {{{"strategy", "ketama"}, {"compare", "ring"}, {"node_count", "4"}, {"vnodes", "1"}, {"operation", "add-node"}}, 1, 1000000, "e284fb47e85ca445",
     nullptr,
     "ketama, 4 nodes: busiest node holds 1.13 times the mean. Next: add-node 10.0.0.5:11211. ring, 4 nodes: busiest node holds 3.00 times the mean. Next: add-node 10.0.0.5:11211."},
    {{{"strategy", "ketama"}, {"compare", "ring"}, {"node_count", "4"}, {"vnodes", "1"}, {"operation", "add-node"}}, 1, 2400000, "7d366daff0799443",
     nullptr,
     nullptr},
    {{{"strategy", "ketama"}, {"compare", "ring"}, {"node_count", "4"}, {"vnodes", "1"}, {"operation", "add-node"}}, 1, 4000000, "5077342a35ad6867",
     "{\"time_us\":4000000,\"applied\":true,\"phase\":\"after\",\"operation\":\"add-node\",\"runs\":[{\"strategy\":\"ketama\",\"nodes_before\":4,\"nodes_after\":5,\"moved\":1884,\"keys\":10000,\"moved_fraction\":0.188400,\"ideal_fraction\":0.200000,\"drawn\":1200,\"drawn_moved\":239,\"keys_max_over_mean\":1.1565,\"keys_cv\":0.0886,\"requests_max_over_mean\":1.1565},{\"strategy\":\"ring\",\"nodes_before\":4,\"nodes_after\":5,\"moved\":970,\"keys\":10000,\"moved_fraction\":0.097000,\"ideal_fraction\":0.200000,\"drawn\":1200,\"drawn_moved\":123,\"keys_max_over_mean\":3.7525,\"keys_cv\":1.3902,\"requests_max_over_mean\":3.7525}],\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}}",
     "ketama: add-node 10.0.0.5:11211 moved 1,884 of 10,000 keys, 18.8% (ideal 20.0%); busiest node holds 1.16 times the mean. ring: add-node 10.0.0.5:11211 moved 970 of 10,000 keys, 9.7% (ideal 20.0%); busiest node holds 3.75 times the mean."},
    {{{"strategy", "ketama"}, {"compare", "mod-n"}, {"node_count", "10"}, {"operation", "add-node"}}, 1, 1000000, "c464e12d9034a883",
     nullptr,
     "ketama, 10 nodes: busiest node holds 1.09 times the mean. Next: add-node 10.0.0.11:11211. mod-n, 10 nodes: busiest node holds 1.03 times the mean. Next: add-node 10.0.0.11:11211."},
    {{{"strategy", "ketama"}, {"compare", "mod-n"}, {"node_count", "10"}, {"operation", "add-node"}}, 1, 2700000, "2332a0efc3958cbb",
     nullptr,
     nullptr},
    {{{"strategy", "ketama"}, {"compare", "mod-n"}, {"node_count", "10"}, {"operation", "add-node"}}, 1, 4000000, "427542f675fee0dd",
     "{\"time_us\":4000000,\"applied\":true,\"phase\":\"after\",\"operation\":\"add-node\",\"runs\":[{\"strategy\":\"ketama\",\"nodes_before\":10,\"nodes_after\":11,\"moved\":950,\"keys\":10000,\"moved_fraction\":0.095000,\"ideal_fraction\":0.090909,\"drawn\":1200,\"drawn_moved\":120,\"keys_max_over_mean\":1.1407,\"keys_cv\":0.0674,\"requests_max_over_mean\":1.1407},{\"strategy\":\"mod-n\",\"nodes_before\":10,\"nodes_after\":11,\"moved\":9084,\"keys\":10000,\"moved_fraction\":0.908400,\"ideal_fraction\":0.090909,\"drawn\":1200,\"drawn_moved\":1089,\"keys_max_over_mean\":1.0296,\"keys_cv\":0.0141,\"requests_max_over_mean\":1.0296}],\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}}",
     "ketama: add-node 10.0.0.11:11211 moved 950 of 10,000 keys, 9.5% (ideal 9.1%); busiest node holds 1.14 times the mean. mod-n: add-node 10.0.0.11:11211 moved 9,084 of 10,000 keys, 90.8% (ideal 9.1%); busiest node holds 1.03 times the mean."},
    {{{"strategy", "ring"}, {"compare", "mod-n"}, {"node_count", "4"}, {"operation", "add-node"}}, 3, 2600000, "54c69bd69ecb5ea7",
     nullptr,
     nullptr},
    {{{"strategy", "ring"}, {"compare", "mod-n"}, {"node_count", "4"}, {"operation", "add-node"}}, 3, 4000000, "16b3ddfca5b349ab",
     nullptr,
     nullptr},
    {{{"strategy", "range"}, {"operation", "split-hot-range"}, {"skew", "1.1"}, {"hot_range", "true"}}, 7, 1000000, "a332d23712bc864a",
     nullptr,
     "range, 5 nodes: busiest node holds 1.00 times the mean. Busiest node by requests 4.47 times the mean. Next: split-hot-range ."},
    {{{"strategy", "range"}, {"operation", "split-hot-range"}, {"skew", "1.1"}, {"hot_range", "true"}}, 7, 2500000, "2c68184e08de11aa",
     "{\"time_us\":2500000,\"applied\":true,\"phase\":\"moving\",\"operation\":\"split-hot-range\",\"runs\":[{\"strategy\":\"range\",\"nodes_before\":5,\"nodes_after\":5,\"moved\":1985,\"keys\":10000,\"moved_fraction\":0.198500,\"ideal_fraction\":0.000000,\"drawn\":1200,\"drawn_moved\":252,\"keys_max_over_mean\":1.9925,\"keys_cv\":0.6277,\"requests_max_over_mean\":2.2839}],\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}}",
     nullptr},
    {{{"strategy", "range"}, {"operation", "split-hot-range"}, {"skew", "1.1"}, {"hot_range", "true"}}, 7, 4000000, "10039ba07a65fb50",
     nullptr,
     "range: split-hot-range  moved 1,985 of 10,000 keys, 19.9% (ideal 0.0%); busiest node holds 1.99 times the mean. Busiest node by requests 2.28 times the mean."},
    {{{"strategy", "maglev"}, {"compare", "jump"}, {"table_size", "251"}, {"operation", "remove-node"}, {"target", "2"}, {"node_count", "6"}}, 2, 1999999, "629b1beb8afa7450",
     nullptr,
     "maglev, 6 nodes: busiest node holds 1.03 times the mean. Next: remove-node 10.0.0.3:11211. jump, 6 nodes: busiest node holds 1.05 times the mean. Next: remove-node 10.0.0.3:11211."},
    {{{"strategy", "maglev"}, {"compare", "jump"}, {"table_size", "251"}, {"operation", "remove-node"}, {"target", "2"}, {"node_count", "6"}}, 2, 2000000, "0a95253e948aea90",
     nullptr,
     nullptr},
    {{{"strategy", "maglev"}, {"compare", "jump"}, {"table_size", "251"}, {"operation", "remove-node"}, {"target", "2"}, {"node_count", "6"}}, 2, 3600000, "563dcc43fa6c12e4",
     "{\"time_us\":3600000,\"applied\":true,\"phase\":\"after\",\"operation\":\"remove-node\",\"runs\":[{\"strategy\":\"maglev\",\"nodes_before\":6,\"nodes_after\":5,\"moved\":1927,\"keys\":10000,\"moved_fraction\":0.192700,\"ideal_fraction\":0.166667,\"drawn\":1200,\"drawn_moved\":232,\"keys_max_over_mean\":1.0280,\"keys_cv\":0.0202,\"requests_max_over_mean\":1.0280},{\"strategy\":\"jump\",\"nodes_before\":6,\"nodes_after\":5,\"moved\":6302,\"keys\":10000,\"moved_fraction\":0.630200,\"ideal_fraction\":0.166667,\"drawn\":1200,\"drawn_moved\":746,\"keys_max_over_mean\":1.0470,\"keys_cv\":0.0278,\"requests_max_over_mean\":1.0470}],\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}}",
     "maglev: remove-node 10.0.0.3:11211 moved 1,927 of 10,000 keys, 19.3% (ideal 16.7%); busiest node holds 1.03 times the mean. jump: remove-node 10.0.0.3:11211 moved 6,302 of 10,000 keys, 63.0% (ideal 16.7%); busiest node holds 1.05 times the mean."},
    {{{"strategy", "bounded"}, {"compare", "rendezvous"}, {"operation", "set-weight"}, {"target", "0"}, {"weight", "3"}, {"skew", "0.8"}, {"epsilon", "0.1"}}, 5, 500000, "14e8d65930b6f947",
     nullptr,
     "bounded, 5 nodes: busiest node holds 1.07 times the mean. Busiest node by requests 1.16 times the mean. Next: set-weight 10.0.0.1:11211. rendezvous, 5 nodes: busiest node holds 1.03 times the mean. Busiest node by requests 1.07 times the mean. Next: set-weight 10.0.0.1:11211."},
    {{{"strategy", "bounded"}, {"compare", "rendezvous"}, {"operation", "set-weight"}, {"target", "0"}, {"weight", "3"}, {"skew", "0.8"}, {"epsilon", "0.1"}}, 5, 2300000, "95adcc2b1d73e46f",
     nullptr,
     nullptr},
    {{{"strategy", "bounded"}, {"compare", "rendezvous"}, {"operation", "set-weight"}, {"target", "0"}, {"weight", "3"}, {"skew", "0.8"}, {"epsilon", "0.1"}}, 5, 4000000, "b02204d017d7427b",
     "{\"time_us\":4000000,\"applied\":true,\"phase\":\"after\",\"operation\":\"set-weight\",\"runs\":[{\"strategy\":\"bounded\",\"nodes_before\":5,\"nodes_after\":5,\"moved\":2374,\"keys\":10000,\"moved_fraction\":0.237400,\"ideal_fraction\":0.228571,\"drawn\":1200,\"drawn_moved\":266,\"keys_max_over_mean\":1.0535,\"keys_cv\":0.0507,\"requests_max_over_mean\":1.2062},{\"strategy\":\"rendezvous\",\"nodes_before\":5,\"nodes_after\":5,\"moved\":2310,\"keys\":10000,\"moved_fraction\":0.231000,\"ideal_fraction\":0.228571,\"drawn\":1200,\"drawn_moved\":286,\"keys_max_over_mean\":1.0297,\"keys_cv\":0.0188,\"requests_max_over_mean\":1.0952}],\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}}",
     "bounded: set-weight 10.0.0.1:11211 moved 2,374 of 10,000 keys, 23.7% (ideal 22.9%); busiest node holds 1.05 times the mean. Busiest node by requests 1.21 times the mean. rendezvous: set-weight 10.0.0.1:11211 moved 2,310 of 10,000 keys, 23.1% (ideal 22.9%); busiest node holds 1.03 times the mean. Busiest node by requests 1.10 times the mean."},
    {{{"strategy", "directory"}, {"compare", "ketama"}, {"nodes", "10.0.0.1:11211,10.0.0.2:11211:2,10.0.0.3:11300"}, {"operation", "add-node"}, {"weight", "2"}}, 1, 1000000, "8fa230b6c41b4af1",
     nullptr,
     nullptr},
    {{{"strategy", "directory"}, {"compare", "ketama"}, {"nodes", "10.0.0.1:11211,10.0.0.2:11211:2,10.0.0.3:11300"}, {"operation", "add-node"}, {"weight", "2"}}, 1, 4000000, "54821c2025121e3f",
     nullptr,
     "directory: add-node 10.0.0.4:11211 moved 3,333 of 10,000 keys, 33.3% (ideal 33.3%); busiest node holds 1.00 times the mean. ketama: add-node 10.0.0.4:11211 moved 3,323 of 10,000 keys, 33.2% (ideal 33.3%); busiest node holds 1.09 times the mean."},
    {{{"strategy", "mod-n"}, {"compare", "jump"}, {"buckets", "20"}, {"keys", "50000"}}, 42, 1000000, "f7223794e17f48c0",
     nullptr,
     nullptr},
    {{{"strategy", "mod-n"}, {"compare", "jump"}, {"buckets", "20"}, {"keys", "50000"}}, 42, 2800000, "b1038f9628ba3212",
     nullptr,
     nullptr},
    {{{"strategy", "mod-n"}, {"compare", "jump"}, {"buckets", "20"}, {"keys", "50000"}}, 42, 4000000, "19acb0f45d73afe6",
     nullptr,
     nullptr},
    {{{"strategy", "ring"}, {"skew", "1"}, {"keys", "800"}, {"vnodes", "40"}, {"compare", "ketama"}}, 9, 1000000, "3cc0a3331fc1a18e",
     nullptr,
     "ring, 5 nodes: busiest node holds 1.16 times the mean. Busiest node by requests 1.70 times the mean. Next: add-node 10.0.0.6:11211. ketama, 5 nodes: busiest node holds 1.20 times the mean. Busiest node by requests 1.20 times the mean. Next: add-node 10.0.0.6:11211."},
    {{{"strategy", "ring"}, {"skew", "1"}, {"keys", "800"}, {"vnodes", "40"}, {"compare", "ketama"}}, 9, 2500000, "21337bf70b2b1226",
     nullptr,
     nullptr},
    {{{"strategy", "ring"}, {"skew", "1"}, {"keys", "800"}, {"vnodes", "40"}, {"compare", "ketama"}}, 9, 4000000, "d6a1e810910a3e8c",
     "{\"time_us\":4000000,\"applied\":true,\"phase\":\"after\",\"operation\":\"add-node\",\"runs\":[{\"strategy\":\"ring\",\"nodes_before\":5,\"nodes_after\":6,\"moved\":130,\"keys\":800,\"moved_fraction\":0.162500,\"ideal_fraction\":0.166667,\"drawn\":800,\"drawn_moved\":130,\"keys_max_over_mean\":1.2000,\"keys_cv\":0.1053,\"requests_max_over_mean\":1.9275},{\"strategy\":\"ketama\",\"nodes_before\":5,\"nodes_after\":6,\"moved\":152,\"keys\":800,\"moved_fraction\":0.190000,\"ideal_fraction\":0.166667,\"drawn\":800,\"drawn_moved\":152,\"keys_max_over_mean\":1.1775,\"keys_cv\":0.1312,\"requests_max_over_mean\":1.3455}],\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}}",
     "ring: add-node 10.0.0.6:11211 moved 130 of 800 keys, 16.2% (ideal 16.7%); busiest node holds 1.20 times the mean. Busiest node by requests 1.93 times the mean. ketama: add-node 10.0.0.6:11211 moved 152 of 800 keys, 19.0% (ideal 16.7%); busiest node holds 1.18 times the mean. Busiest node by requests 1.35 times the mean."},
    {{{"strategy", "jump"}, {"node_count", "1"}, {"operation", "add-node"}}, 1, 4000000, "ae4a4399d3b1b622",
     nullptr,
     nullptr},
    {{{"strategy", "rendezvous"}, {"operation", "remove-node"}, {"node_count", "2"}, {"target", "0"}, {"compare", "range"}}, 11, 2200000, "5c0806482315e0f4",
     nullptr,
     "rendezvous: remove-node 10.0.0.1:11211 moved 5,046 of 10,000 keys, 50.5% (ideal 50.0%); busiest node holds 1.00 times the mean. range: remove-node 10.0.0.1:11211 moved 5,000 of 10,000 keys, 50.0% (ideal 50.0%); busiest node holds 1.00 times the mean."},
    {{{"strategy", "rendezvous"}, {"operation", "remove-node"}, {"node_count", "2"}, {"target", "0"}, {"compare", "range"}}, 11, 4000000, "7ea09dd8c2f50852",
     nullptr,
     "rendezvous: remove-node 10.0.0.1:11211 moved 5,046 of 10,000 keys, 50.5% (ideal 50.0%); busiest node holds 1.00 times the mean. range: remove-node 10.0.0.1:11211 moved 5,000 of 10,000 keys, 50.0% (ideal 50.0%); busiest node holds 1.00 times the mean."},
    {{{"strategy", "ring"}, {"keys", "1"}, {"node_count", "3"}}, 1, 4000000, "2aa62a440ed3d2f8",
     nullptr,
     "ring: add-node 10.0.0.4:11211 moved 0 of 1 keys, 0.0% (ideal 25.0%); busiest node holds 4.00 times the mean."},
};

TEST(ShardingScenario, SameStateSummaryAndDigestAsTheLegacyView) {
  for (const Pin& pin : kPins) {
    SCOPED_TRACE("seed " + std::to_string(pin.seed) + " t " + std::to_string(pin.t_us) + " " +
                 std::to_string(pin.params.size()) + " overrides, " +
                 (pin.params.count("strategy") ? pin.params.at("strategy") : std::string("ring")));
    const sw::ParamMap p = with(pin.params);
    ASSERT_EQ(sw::check_params(info(), p), "");
    sw::Run run(info(), sw::make_scenario("sharding"));
    run.configure(p, pin.seed);
    run.seek(pin.t_us);
    EXPECT_EQ(run.digest(), pin.digest) << run.scenario().state_json();
    if (pin.state) { EXPECT_EQ(run.scenario().state_json(), pin.state); }
    if (pin.summary) { EXPECT_EQ(run.scenario().summary(), pin.summary); }
    // The scenario on its own, in one advance, says the same.
    const auto s = run_to(p, pin.seed, pin.t_us);
    EXPECT_EQ(s.state_json(), run.scenario().state_json());
    EXPECT_EQ(s.summary(), run.scenario().summary());
  }
}

// --- time ---------------------------------------------------------------------------

TEST(ShardingScenario, AdvanceSplitsFreely) {
  const std::vector<sw::ParamMap> cases = {
      with({}), with({{"strategy", "ketama"}, {"compare", "mod-n"}, {"node_count", "10"}}),
      with({{"strategy", "range"}, {"operation", "split-hot-range"}, {"skew", "1.1"}, {"hot_range", "true"}})};
  const std::int64_t ends[] = {1'000'000, 2'000'000, 2'100'000, 2'400'000, 2'950'000, 3'600'000, 10'000'000};
  for (const auto& p : cases) {
    for (std::int64_t end : ends) {
      const auto whole = run_to(p, 4, end);
      for (std::int64_t a : {std::int64_t{1}, std::int64_t{16'667}, end / 3, end / 2, end - 1}) {
        shw::ShardingScenario split;
        split.configure(p, 4);
        split.advance(a);
        split.advance(end - a);
        EXPECT_EQ(split.state_json(), whole.state_json()) << end << " split at " << a;
        EXPECT_EQ(split.summary(), whole.summary()) << end << " split at " << a;
      }
      // Many small steps (60 frames a second).
      shw::ShardingScenario frames;
      frames.configure(p, 4);
      for (std::int64_t t = 0; t < end;) {
        const std::int64_t dt = std::min<std::int64_t>(16'667, end - t);
        frames.advance(dt);
        t += dt;
      }
      EXPECT_EQ(frames.state_json(), whole.state_json()) << end;
    }
  }
}

TEST(ShardingScenario, TimelineBeforeMovingAfterThenIdle) {
  shw::ShardingScenario s;
  s.configure(with({}), 1);
  EXPECT_TRUE(s.animating());
  EXPECT_FALSE(s.applied());
  EXPECT_NE(s.state_json().find("\"phase\":\"before\""), std::string::npos);
  s.advance(1'999'999);
  EXPECT_NE(s.state_json().find("\"phase\":\"before\""), std::string::npos);
  s.advance(1);
  EXPECT_TRUE(s.applied());
  EXPECT_NE(s.state_json().find("\"phase\":\"moving\""), std::string::npos);
  EXPECT_TRUE(s.animating());
  s.advance(949'999);  // 2.949999 s: the last keys still fly
  EXPECT_TRUE(s.animating());
  s.advance(2);        // just past 2.95 s (kLandedS): all landed
  EXPECT_FALSE(s.animating());
  EXPECT_NE(s.state_json().find("\"phase\":\"after\""), std::string::npos);
  // Every mover leaves within the stagger and lands by kLandedS; the progress agrees.
  for (const shw::Lane& lane : s.lanes()) {
    for (std::size_t k = 0; k < lane.run.from.size(); ++k) {
      if (lane.run.from[k] == lane.run.to[k]) {
        EXPECT_EQ(lane.depart[k], 0.0f);
        continue;
      }
      EXPECT_GE(lane.depart[k], shw::kOperationAtS);
      EXPECT_LE(lane.depart[k] + shw::kFlightS, shw::kLandedS + 1e-6);
    }
    const auto before = s.progress(lane, 1.0), after = s.progress(lane, shw::kLandedS);
    EXPECT_EQ(before.now, lane.slots.count_before);
    EXPECT_EQ(before.departed, 0u);
    EXPECT_EQ(after.now, lane.slots.count_after);
    EXPECT_EQ(after.departed, lane.slots.moved);
  }
}

TEST(ShardingScenario, DeterministicPerSeedAndTheSeedMatters) {
  const sw::ParamMap p = with({{"strategy", "ring"}, {"compare", "mod-n"}, {"skew", "0.8"}});
  const auto a = run_to(p, 7, 3'000'000), b = run_to(p, 7, 3'000'000), c = run_to(p, 8, 3'000'000);
  EXPECT_EQ(a.state_json(), b.state_json());
  EXPECT_EQ(a.summary(), b.summary());
  EXPECT_NE(a.state_json(), c.state_json());
  // Reconfiguring the same object starts over from the same place.
  shw::ShardingScenario s;
  s.configure(p, 8);
  s.advance(5'000'000);
  s.configure(p, 7);
  s.advance(3'000'000);
  EXPECT_EQ(s.state_json(), a.state_json());
  EXPECT_NE(s.generation(), a.generation()) << "each configure is a new run for the view";
}

// --- the book's fences and every preset configure and run ---------------------------

TEST(ShardingScenario, TheBooksFencesAndEveryPresetRunTheirStory) {
  std::vector<std::pair<std::string, sw::ParamMap>> cases = {
      {"phase-2", with({{"strategy", "ketama"}, {"compare", "ring"}, {"node_count", "4"}, {"vnodes", "1"},
                        {"operation", "add-node"}})},
      {"phase-4", with({{"strategy", "ketama"}, {"compare", "mod-n"}, {"node_count", "10"}, {"operation", "add-node"}})},
      {"phase-8", with({{"strategy", "ring"}, {"compare", "mod-n"}, {"node_count", "4"}, {"operation", "add-node"}})},
  };
  for (const auto& preset : info().presets) cases.emplace_back(std::string(preset.id), sw::preset_params(info(), preset));
  for (const auto& [name, p] : cases) {
    SCOPED_TRACE(name);
    ASSERT_EQ(sw::check_params(info(), p), "");
    shw::ShardingScenario s;
    s.configure(p, 1);
    EXPECT_EQ(s.error(), "");
    EXPECT_FALSE(s.summary().empty());
    ASSERT_FALSE(s.lanes().empty());
    for (std::int64_t t : {0, 1'000'000, 500'000, 500'000, 450'000, 600'000}) {
      s.advance(t);
      EXPECT_FALSE(s.summary().empty());
    }
    EXPECT_FALSE(s.animating());
    for (const shw::Lane& lane : s.lanes()) {
      EXPECT_EQ(lane.run.moves.keys, 10000u);
      EXPECT_GT(lane.run.moves.moved, 0u) << "the operation moved keys";
      EXPECT_EQ(lane.run.from.size(), shw::kMaxDrawnKeys);
    }
  }
  // Section 4's text: ketama moves 9.5 % of the keys for the eleventh server, mod-n 90.8 %.
  const auto s = run_to(cases[1].second, 1, 4'000'000);
  EXPECT_NE(s.summary().find("ketama: add-node 10.0.0.11:11211 moved 950 of 10,000 keys, 9.5% (ideal 9.1%)"),
            std::string::npos)
      << s.summary();
  EXPECT_NE(s.summary().find("mod-n: add-node 10.0.0.11:11211 moved 9,084 of 10,000 keys, 90.8%"), std::string::npos)
      << s.summary();
}

TEST(ShardingScenario, OperationNoneStillAnimatesAnAddAndTheNodeButtonsFollowTheParameters) {
  const auto s = run_to(with({{"operation", "none"}}), 1, 3'000'000);
  EXPECT_EQ(s.operation().op, scalebook::sim::sharding::Operation::AddNode);
  EXPECT_NE(s.state_json().find("\"operation\":\"add-node\""), std::string::npos);
  EXPECT_NE(s.state_json().find("\"node_buttons\":{\"param\":\"node_count\",\"can_add\":true,\"can_remove\":true}"),
            std::string::npos);
  EXPECT_NE(run_to(with({{"buckets", "9"}}), 1, 0).state_json().find("\"node_buttons\":{\"param\":\"buckets\""),
            std::string::npos);
  EXPECT_NE(run_to(with({{"nodes", "10.0.0.1:11211,10.0.0.2:11211"}}), 1, 0).state_json().find("\"node_buttons\":null"),
            std::string::npos);
}

// --- refused, never substituted ------------------------------------------------------

TEST(ShardingScenario, CombinationsTheModelCannotRunAreRefusedOnEveryPath) {
  const std::vector<std::pair<std::map<std::string, std::string>, std::string>> refused = {
      {{{"strategy", "ring"}, {"operation", "split-hot-range"}},
       "parameter 'operation': split-hot-range needs strategy=range"},
      {{{"strategy", "range"}, {"compare", "ring"}, {"operation", "split-hot-range"}},
       "parameter 'operation': split-hot-range needs strategy=range"},
      {{{"node_count", "1"}, {"operation", "remove-node"}}, "parameter 'operation': cannot remove the only node"},
      {{{"node_count", "4"}, {"operation", "set-weight"}, {"target", "4"}},
       "parameter 'target': node 4 does not exist (there are 4 nodes)"},
      {{{"strategy", "maglev"}, {"node_count", "300"}, {"table_size", "251"}},
       "parameter 'table_size': Maglev needs a table at least as large as the node count (300)"},
      // What the widget cannot show (the command line takes these: see below).
      {{{"keys", "200001"}}, "parameter 'keys': the widget places at most 200,000 keys (scalebook sim sharding takes more)"},
      {{{"strategy", "jump"}, {"buckets", "1001"}},
       "parameter 'buckets': the widget draws at most 1000 nodes (scalebook sim sharding takes more)"},
  };
  for (const auto& [overrides, message] : refused) {
    SCOPED_TRACE(message);
    // The one parameter path (the page, the DOM controls, permalinks, the in-canvas panel).
    sw::ParamMap p = sw::default_params(info());
    sw::ParamEdits edits(overrides.begin(), overrides.end());
    const auto out = sw::apply_edits(info(), p, edits);
    EXPECT_EQ(out.result, sw::EditResult::Refused);
    EXPECT_EQ(out.message, message);
    EXPECT_EQ(p, sw::default_params(info())) << "nothing changed";
    // A fence: the build fails at the named parameter's line.
    std::string body;
    int line = 0, named = 0;
    const std::string key = message.substr(11, message.find('\'', 11) - 11);
    for (const auto& [k, v] : overrides) {
      body += k + " = " + v + "\n";
      ++line;
      if (k == key) named = line;
    }
    scalebook::site::WidgetFence fence;
    std::vector<scalebook::site::Diagnostic> errors;
    scalebook::site::parse_widget_fence("widget sharding", body, 20, "content/x.md", fence, errors);
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].str(), "content/x.md:" + std::to_string(20 + named) + ": widget 'sharding': " + message);
    // A scenario configured directly shows the refusal instead of running something else.
    shw::ShardingScenario s;
    s.configure(with(overrides), 1);
    EXPECT_EQ(s.error(), message);
    EXPECT_TRUE(s.lanes().empty());
    EXPECT_EQ(s.summary(), "Invalid parameters: " + message + ".");
    EXPECT_FALSE(s.animating());
  }
  // At the limits: accepted, and run as asked.
  EXPECT_EQ(sw::check_params(info(), with({{"keys", "200000"}})), "");
  EXPECT_EQ(sw::check_params(info(), with({{"buckets", "1000"}})), "");
  EXPECT_EQ(sw::check_params(info(), with({{"buckets", "5000"}, {"nodes", "10.0.0.1:11211"}})), "")
      << "buckets is ignored with a node list";
  const auto big = run_to(with({{"strategy", "jump"}, {"buckets", "1000"}}), 1, 4'000'000);
  EXPECT_NE(big.state_json().find("\"nodes_before\":1000,\"nodes_after\":1001"), std::string::npos);
}

TEST(ShardingScenario, TheCommandLineStillTakesMoreKeysAndBucketsThanTheWidgetDraws) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"sharding", "--json", "--set", "keys=200001", "--set", "strategy=jump"},
        std::vector<std::string>{"sharding", "--json", "--set", "buckets=1001", "--set", "strategy=jump"}}) {
    std::string out, err;
    EXPECT_EQ(scalebook::cli::run_sim(args, out, err), 0) << err;
    EXPECT_EQ(out.rfind("{\"strategy\":\"jump\"", 0), 0u) << out.substr(0, 80);
  }
  std::string out, err;
  EXPECT_NE(scalebook::cli::run_sim({"sharding", "--json", "--set", "operation=split-hot-range"}, out, err), 0);
  EXPECT_NE(err.find("parameter 'operation': split-hot-range needs strategy=range"), std::string::npos) << err;
}

}  // namespace
