// The quorum widget's Scenario (src/widgets/quorum): parameters mapped one to one onto the
// model's desc and checked together, replay (advance splits freely, a Run replays its action
// log to the same digest), every action applied and refused, and each preset's story
// visible in the model's counts.
#include <gtest/gtest.h>

#include <string>

#include "scenario_support.h"
#include "widgets/catalog.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/quorum/scenario.h"
#include "widgets/run.h"

namespace scalebook::widgets {
namespace {

using quorum::QuorumScenario;
namespace qs = sim::quorum;

const WidgetInfo& info() { return *find_widget("quorum"); }

ParamMap with(ParamEdits edits) { return testing::params_with(info(), std::move(edits)); }

ParamMap preset(const char* id) { return preset_params(info(), *find_preset(info(), id)); }

Action action(std::int64_t t_us, std::string name, std::vector<std::string> args = {}) {
  return testing::checked_action(info(), t_us, std::move(name), std::move(args));
}

TEST(QuorumScenario, ParametersMapOneToOneAndAreCheckedTogether) {
  QuorumScenario s;
  s.configure(with({{"read_path", "cassandra"}, {"read_repair", "blocking"}, {"tail_ms", "0"}, {"latency_ms", "2.5"}}),
              7);
  ASSERT_TRUE(s.ok()) << s.error();
  const qs::ClusterDesc& d = s.cluster().desc();
  EXPECT_EQ(d.nodes, 5u);
  EXPECT_EQ(d.tokens_per_node, 16u);  // Cassandra 4.0's num_tokens
  EXPECT_EQ(d.n, 3u);
  EXPECT_EQ(d.r, 2u);
  EXPECT_EQ(d.w, 2u);
  EXPECT_EQ(d.seed, 7u);
  EXPECT_EQ(d.read_fanout, qs::ReadFanout::kBlockFor);
  EXPECT_EQ(d.read_repair, qs::ReadRepair::kBlocking);
  EXPECT_EQ(d.link.latency.kind, sim::net::Latency::Kind::Constant);
  EXPECT_EQ(d.link.latency.base_us, 2500);
  EXPECT_EQ(d.write_timeout_us, 2'000'000);  // cassandra.yaml
  EXPECT_EQ(d.read_timeout_us, 5'000'000);
  s.configure(default_params(info()), 1);
  EXPECT_EQ(s.cluster().desc().link.latency.kind, sim::net::Latency::Kind::Exponential);
  EXPECT_EQ(s.cluster().desc().link.latency.spread_us, 4000);
  EXPECT_EQ(s.cluster().desc().read_fanout, qs::ReadFanout::kAllReplicas);
  ParamMap p = default_params(info());
  EditOutcome o = apply_edits(info(), p, {{"w", "4"}});
  EXPECT_EQ(o.result, EditResult::Refused);
  EXPECT_EQ(o.message, "parameter 'w': a write cannot wait for 4 acknowledgements from 3 replicas");
  o = apply_edits(info(), p, {{"r", "5"}, {"n", "4"}});
  EXPECT_EQ(o.message, "parameter 'r': a read cannot wait for 5 replies from 4 replicas");
  o = apply_edits(info(), p, {{"nodes", "3"}, {"n", "4"}});
  EXPECT_EQ(o.message, "parameter 'n': 4 replicas per key need at least 4 nodes (the cluster has 3)");
  EXPECT_EQ(apply_edits(info(), p, {{"n", "5"}, {"w", "5"}, {"r", "1"}}).result, EditResult::Applied);
}

TEST(QuorumScenario, AdvanceSplitsFreelyForEveryPreset) {
  for (const auto& pr : info().presets) {
    const ParamMap p = preset_params(info(), pr);
    QuorumScenario a, b;
    a.configure(p, 4);
    b.configure(p, 4);
    for (int i = 0; i < 37; ++i) a.advance(163'937);
    b.advance(37 * 163'937);
    EXPECT_EQ(a.state_json(), b.state_json()) << pr.id;
    EXPECT_EQ(a.summary(), b.summary()) << pr.id;
    ASSERT_EQ(a.stale_per_s().size(), b.stale_per_s().size()) << pr.id;
    for (std::size_t i = 0; i < a.stale_per_s().size(); ++i) {
      EXPECT_EQ(a.stale_per_s()[i], b.stale_per_s()[i]) << pr.id << " sample " << i;
      EXPECT_EQ(a.failed_per_s()[i], b.failed_per_s()[i]) << pr.id << " sample " << i;
    }
  }
}

TEST(QuorumScenario, RatesAreTheLastSecondsCounts) {
  QuorumScenario s;
  s.configure(preset("one-one"), 1);
  s.advance(20'000'000);
  ASSERT_EQ(s.stale_per_s().size(), 201u);  // samples at 0, 0.1, …, 20 s
  double sum = 0;
  for (std::size_t i = 10; i <= 200; i += 10) sum += s.stale_per_s()[i];  // 20 disjoint one-second windows
  EXPECT_EQ(sum, static_cast<double>(s.cluster().stats().stale_reads));
  EXPECT_GT(sum, 0);
}

TEST(QuorumScenario, OverlappingQuorumsNeverReadStaleAndPartialOnesDo) {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    QuorumScenario strict, partial;
    strict.configure(default_params(info()), seed);
    partial.configure(preset("one-one"), seed);
    strict.advance(30'000'000);
    partial.advance(30'000'000);
    EXPECT_EQ(strict.cluster().stats().stale_reads, 0u) << seed;
    EXPECT_GT(strict.cluster().stats().reads.ok, 1'000u) << seed;
    EXPECT_GT(partial.cluster().stats().stale_reads, 0u) << seed;
    // One ack is faster than two.
    EXPECT_LT(partial.cluster().latency_quantile_us(qs::OpKind::kWrite, 0.5),
              strict.cluster().latency_quantile_us(qs::OpKind::kWrite, 0.5));
  }
}

TEST(QuorumScenario, ASplitFailsStrictQuorumsAndMakesSloppyOnesStale) {
  for (const bool sloppy : {false, true}) {
    widgets::Run run(info(), make_scenario("quorum"));
    run.configure(sloppy ? preset("sloppy") : default_params(info()), 1,
                  {action(5'000'000, "split", {"2"}), action(15'000'000, "heal")});
    run.seek(14'000'000);
    const auto& s = static_cast<const QuorumScenario&>(run.scenario());
    const qs::ClusterStats& st = s.cluster().stats();
    if (sloppy) {
      EXPECT_GT(st.stale_reads, 0u) << "stand-ins took the minority's writes";
      EXPECT_GT(st.hinted_writes, 0u);
      EXPECT_EQ(st.writes.unavailable, 0u) << "always writable";
    } else {
      EXPECT_EQ(st.stale_reads, 0u);
      EXPECT_GT(st.writes.unavailable + st.reads.unavailable, 0u) << "the minority cannot reach two replicas";
    }
    EXPECT_NE(s.summary().find("The network is split."), std::string::npos) << s.summary();
  }
}

TEST(QuorumScenario, WriteAllFailsTheCrashedNodesKeysWrites) {
  widgets::Run run(info(), make_scenario("quorum"));
  run.configure(preset("write-all"), 1, {action(5'000'000, "crash", {"1"})});
  run.seek(5'000'000);
  const auto& s = static_cast<const QuorumScenario&>(run.scenario());
  EXPECT_EQ(s.cluster().stats().writes.failed(), 0u);
  run.seek(20'000'000);
  EXPECT_GT(s.cluster().stats().writes.unavailable, 0u);
  EXPECT_EQ(s.cluster().stats().stale_reads, 0u);
  EXPECT_NE(s.summary().find("n1 is down."), std::string::npos) << s.summary();
}

TEST(QuorumScenario, EveryActionAppliesOrIsRefusedWithAReason) {
  QuorumScenario s;
  s.configure(default_params(info()), 1);
  EXPECT_EQ(s.act(action(0, "restart", {"2"})), "action 'restart': n2 is running (crash it first)");
  EXPECT_EQ(s.act(action(0, "crash", {"6"})), "action 'crash': there is no n6 in a cluster of 5 (n1 to n5)");
  EXPECT_EQ(s.act(action(0, "split", {"5"})),
            "action 'split': a side of 5 nodes leaves nothing on the other side of a cluster of 5");
  EXPECT_EQ(s.act(action(0, "heal")), "");  // nothing cut: accepted, changes nothing
  const std::string untouched = s.state_json();
  EXPECT_EQ(s.act(action(0, "crash", {"2"})), "");
  EXPECT_NE(s.state_json(), untouched);
  EXPECT_EQ(s.act(action(0, "crash", {"2"})), "action 'crash': n2 is already down");
  EXPECT_EQ(s.act(action(0, "restart", {"2"})), "");
  EXPECT_EQ(s.act(action(0, "split", {"2"})), "");
  EXPECT_EQ(s.cluster().network().links().cut_links(), 12u);  // 2 × 3 pairs, both directions
  EXPECT_EQ(s.act(action(0, "heal")), "");
  EXPECT_EQ(s.act(action(0, "isolate", {"1"})), "");
  EXPECT_EQ(s.act(action(0, "isolate", {"1"})), "");  // again: the browser sweep's repeated first action
  EXPECT_NE(s.summary().find("n1 is cut off."), std::string::npos) << s.summary();
  EXPECT_EQ(s.events().size(), 7u);
  s.advance(60'000'000);
  EXPECT_FALSE(s.animating());
  EXPECT_EQ(s.act(action(s.time_us(), "heal")), "action 'heal': the run is over");
}

TEST(QuorumScenario, ARunReplaysFromItsLogToTheSameDigest) {
  const std::vector<Action> log = {action(2'000'000, "isolate", {"3"}), action(4'000'000, "crash", {"5"}),
                                   action(6'000'000, "heal"), action(7'000'000, "restart", {"5"})};
  widgets::Run run(info(), make_scenario("quorum"));
  run.configure(preset("cassandra"), 3, log);
  run.seek(10'000'000);
  widgets::Run again(info(), make_scenario("quorum"));
  again.configure(preset("cassandra"), 3, log);
  for (int i = 0; i < 50; ++i) again.advance(200'000);
  EXPECT_EQ(again.digest(), run.digest());
  run.seek(3'000'000);
  run.seek(10'000'000);
  EXPECT_EQ(again.digest(), run.digest());
  widgets::Run other(info(), make_scenario("quorum"));
  other.configure(preset("cassandra"), 4, log);
  other.seek(10'000'000);
  EXPECT_NE(other.digest(), run.digest());
}

}  // namespace
}  // namespace scalebook::widgets
