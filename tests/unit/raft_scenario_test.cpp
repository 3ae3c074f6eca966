// The Raft widget's Scenario (src/widgets/raft): the parameters mapped as etcd maps its
// flags, replay (advance splits freely, a Run replays its action log to the same digest),
// every action applied and refused, and the presets' stories visible in the model.
#include <gtest/gtest.h>

#include <string>

#include "widgets/catalog.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"
#include "widgets/raft/scenario.h"
#include "widgets/run.h"
#include "scenario_support.h"

namespace scalebook::widgets {
namespace {

using raft::RaftScenario;
namespace rs = sim::raft;

const WidgetInfo& info() { return *find_widget("raft"); }

ParamMap with(ParamEdits edits) { return testing::params_with(info(), std::move(edits)); }

Action action(std::int64_t t_us, std::string name, std::vector<std::string> args = {}) {
  return testing::checked_action(info(), t_us, std::move(name), std::move(args));
}

TEST(RaftScenario, ParametersMapAsEtcdMapsItsFlags) {
  RaftScenario s;
  s.configure(with({{"heartbeat_ms", "150"}, {"election_ms", "1000"}}), 1);
  ASSERT_TRUE(s.ok()) << s.error();
  EXPECT_EQ(s.cluster().desc().tick_us, 150'000);
  EXPECT_EQ(s.cluster().desc().election_tick, 6);  // 1000 / 150, integer division as etcd's embed config
  EXPECT_TRUE(s.cluster().desc().pre_vote);
  EXPECT_TRUE(s.cluster().desc().check_quorum);
  EXPECT_EQ(s.cluster().size(), 5u);
  // etcd's rule: the election timeout is at least five heartbeats.
  ParamMap p = default_params(info());
  const EditOutcome o = apply_edits(info(), p, {{"election_ms", "400"}});
  EXPECT_EQ(o.result, EditResult::Refused);
  EXPECT_EQ(o.message, "parameter 'election_ms': etcd requires an election timeout of at least 5 heartbeat intervals "
                       "(500 ms here)");
  EXPECT_EQ(apply_edits(info(), p, {{"election_ms", "500"}}).result, EditResult::Applied);
}

TEST(RaftScenario, AdvanceSplitsFreelyForEveryPreset) {
  for (const auto& preset : info().presets) {
    const ParamMap p = preset_params(info(), preset);
    RaftScenario a, b;
    a.configure(p, 4);
    b.configure(p, 4);
    for (int i = 0; i < 61; ++i) a.advance(163'937);
    b.advance(61 * 163'937);
    EXPECT_EQ(a.state_json(), b.state_json()) << preset.id;
    EXPECT_EQ(a.summary(), b.summary()) << preset.id;
    EXPECT_EQ(a.cluster().digest().value(), b.cluster().digest().value()) << preset.id;
    EXPECT_EQ(a.marks(), b.marks()) << preset.id;
  }
}

TEST(RaftScenario, ElectsALeaderAndCommitsTheClientsProposals) {
  RaftScenario s;
  s.configure(default_params(info()), 1);
  s.advance(10'000'000);
  const rs::ClusterStats st = s.cluster().stats();
  ASSERT_NE(s.cluster().leader(), rs::kNone);
  EXPECT_EQ(st.leaders_elected, 1u);
  EXPECT_GT(st.last_elected_us, 1'000'000);  // no node campaigns before one election timeout
  EXPECT_LT(st.last_elected_us, 2'200'000);  // nor after two, plus a round of (pre-)votes
  EXPECT_GT(st.proposals, 30u);
  // Everything proposed to the leader more than a round trip ago has committed.
  EXPECT_GE(st.committed_proposals + st.proposals_dropped + 2, st.proposals);
  EXPECT_TRUE(s.cluster().safety().ok());
  EXPECT_EQ(s.marks()[0].size(), 101u);  // samples at 0, 0.1, …, 10 s
  EXPECT_NE(s.summary().find("leads in term 1"), std::string::npos) << s.summary();
}

TEST(RaftScenario, CrashingTheLeaderElectsAnotherAndTheRunReplaysFromItsLog) {
  widgets::Run run(info(), make_scenario("raft"));
  run.configure(default_params(info()), 1, {action(3'000'000, "crash-leader")});
  run.seek(12'000'000);
  const auto& s = static_cast<const RaftScenario&>(run.scenario());
  const rs::ClusterStats st = s.cluster().stats();
  EXPECT_EQ(st.leaders_elected, 2u);
  EXPECT_GT(st.last_elected_us, 3'000'000 + 1'000'000);  // the followers wait out their election timeouts
  EXPECT_LT(st.last_elected_us, 3'000'000 + 2'200'000);
  EXPECT_NE(s.summary().find(" is down."), std::string::npos) << s.summary();
  ASSERT_EQ(s.events().size(), 1u);
  EXPECT_EQ(s.events()[0].rfind("3.00 s: crashed n", 0), 0u) << s.events()[0];
  // The same identity, built again and sought in steps, gives the same digest.
  widgets::Run again(info(), make_scenario("raft"));
  again.configure(default_params(info()), 1, {action(3'000'000, "crash-leader")});
  for (int i = 0; i < 40; ++i) again.advance(300'000);
  EXPECT_EQ(again.digest(), run.digest());
  // A seek backwards replays the log from 0.
  run.seek(2'000'000);
  run.seek(12'000'000);
  EXPECT_EQ(again.digest(), run.digest());
}

TEST(RaftScenario, AMinorityCannotCommitAndHealingBringsItBack) {
  RaftScenario s;
  s.configure(default_params(info()), 2);
  s.advance(4'000'000);
  const rs::NodeId old = s.cluster().leader();
  ASSERT_NE(old, rs::kNone);
  // Put the leader on the two-node side of a 2 | 3 split.
  ASSERT_EQ(s.act(action(s.time_us(), "isolate-leader")), "");
  s.advance(6'000'000);
  const rs::NodeId fresh = s.cluster().leader();
  ASSERT_NE(fresh, rs::kNone);
  EXPECT_NE(fresh, old);  // CheckQuorum: the cut-off leader stepped down
  // Alone it stepped down, and with PreVote it only pre-campaigns: it never wins a
  // pre-election, so its term stays where it was.
  EXPECT_NE(s.cluster().node(old).state(), rs::StateType::Leader);
  EXPECT_NE(s.cluster().node(old).state(), rs::StateType::Candidate);
  const rs::Index stuck = s.cluster().node(old).log().committed();
  s.advance(3'000'000);
  EXPECT_EQ(s.cluster().node(old).log().committed(), stuck);  // alone it learns of no commit
  // So it disrupts nobody when it returns.
  EXPECT_LT(s.cluster().node(old).term(), s.cluster().node(fresh).term());
  ASSERT_EQ(s.act(action(s.time_us(), "heal")), "");
  s.advance(3'000'000);
  EXPECT_EQ(s.cluster().leader(), fresh);
  EXPECT_EQ(s.cluster().node(old).log().committed(), s.cluster().node(fresh).log().committed());
  EXPECT_TRUE(s.cluster().safety().ok());
}

TEST(RaftScenario, WithoutPreVoteACutOffNodeInflatesItsTermAndDeposesTheLeaderOnReturn) {
  for (const bool pre_vote : {false, true}) {
    RaftScenario s;
    // etcd without either protection (the library's defaults).
    s.configure(with({{"pre_vote", pre_vote ? "true" : "false"}, {"check_quorum", pre_vote ? "true" : "false"}}), 3);
    s.advance(4'000'000);
    const rs::NodeId lead = s.cluster().leader();
    ASSERT_NE(lead, rs::kNone);
    const rs::NodeId victim = (lead + 1) % 5;
    const rs::Term before = s.cluster().node(lead).term();
    ASSERT_EQ(s.act(action(s.time_us(), "isolate", {std::to_string(victim + 1)})), "");
    s.advance(10'000'000);
    const rs::Term inflated = s.cluster().node(victim).term();
    ASSERT_EQ(s.act(action(s.time_us(), "heal")), "");
    s.advance(4'000'000);
    const rs::ClusterStats st = s.cluster().stats();
    if (!pre_vote) {
      EXPECT_GE(inflated, before + 4) << "ten seconds alone: a campaign every 1-2 s, each a new term";
      EXPECT_GE(st.leaders_elected, 2u) << "its higher term forced the leader to step down";
      EXPECT_GT(s.cluster().node(s.cluster().leader()).term(), inflated - 1);
    } else {
      EXPECT_EQ(inflated, before) << "pre-elections never raise the term";
      EXPECT_EQ(st.leaders_elected, 1u);
      EXPECT_EQ(s.cluster().leader(), lead);
    }
    EXPECT_TRUE(s.cluster().safety().ok());
  }
}

TEST(RaftScenario, EveryActionAppliesOrIsRefusedWithAReason) {
  RaftScenario s;
  s.configure(default_params(info()), 1);
  EXPECT_EQ(s.act(action(0, "crash-leader")), "action 'crash-leader': there is no leader at 0.00 s");
  EXPECT_EQ(s.act(action(0, "heal")), "action 'heal': no link is cut at 0.00 s");
  EXPECT_EQ(s.act(action(0, "restart", {"2"})), "action 'restart': n2 is running (crash it first)");
  EXPECT_EQ(s.act(action(0, "crash", {"6"})), "action 'crash': there is no n6 in a cluster of 5 (n1 to n5)");
  EXPECT_EQ(s.act(action(0, "split", {"5"})),
            "action 'split': a side of 5 nodes leaves nothing on the other side of a cluster of 5");
  const std::string untouched = s.state_json();
  EXPECT_EQ(s.act(action(0, "crash", {"2"})), "");
  EXPECT_NE(s.state_json(), untouched);
  EXPECT_EQ(s.act(action(0, "crash", {"2"})), "action 'crash': n2 is already down");
  EXPECT_EQ(s.act(action(0, "restart", {"2"})), "");
  EXPECT_EQ(s.act(action(0, "split", {"2"})), "");
  EXPECT_EQ(s.cluster().network().links().cut_links(), 12u);  // 2 × 3 pairs, both directions
  EXPECT_EQ(s.act(action(0, "heal")), "");
  EXPECT_EQ(s.act(action(0, "isolate", {"5"})), "");
  EXPECT_NE(s.summary().find("n5 is cut off."), std::string::npos) << s.summary();
  s.advance(3'000'000);
  EXPECT_EQ(s.act(action(s.time_us(), "isolate-leader")), "");
  EXPECT_EQ(s.events().size(), 6u);
  s.advance(60'000'000);
  EXPECT_FALSE(s.animating());
  EXPECT_EQ(s.act(action(s.time_us(), "heal")), "action 'heal': the run is over");
}

TEST(RaftScenario, ThreeNodesSurviveOneFailureButNotTwo) {
  RaftScenario s;
  s.configure(preset_params(info(), *find_preset(info(), "three")), 1);
  s.advance(3'000'000);
  ASSERT_EQ(s.act(action(s.time_us(), "crash-leader")), "");
  s.advance(4'000'000);
  ASSERT_NE(s.cluster().leader(), rs::kNone) << "two of three are a majority";
  const std::uint64_t committed = s.cluster().stats().committed_proposals;
  s.advance(2'000'000);
  EXPECT_GT(s.cluster().stats().committed_proposals, committed);
  ASSERT_EQ(s.act(action(s.time_us(), "crash-leader")), "");
  const std::uint64_t frozen = s.cluster().stats().committed_proposals;
  s.advance(10'000'000);
  EXPECT_EQ(s.cluster().stats().committed_proposals, frozen) << "one of three commits nothing";
  EXPECT_EQ(s.cluster().leader(), rs::kNone);
  EXPECT_NE(s.summary().find("there is no leader"), std::string::npos) << s.summary();
}

TEST(RaftScenario, ALossyNetworkElectsMoreOftenAndStaysSafe) {
  RaftScenario calm, lossy;
  calm.configure(default_params(info()), 5);
  lossy.configure(preset_params(info(), *find_preset(info(), "lossy")), 5);
  calm.advance(60'000'000);
  lossy.advance(60'000'000);
  EXPECT_GT(lossy.cluster().network().stats().dropped_loss, 1000u);
  EXPECT_GE(lossy.cluster().stats().pre_campaigns, calm.cluster().stats().pre_campaigns);
  EXPECT_TRUE(lossy.cluster().safety().ok());
  EXPECT_GT(lossy.cluster().stats().committed_proposals, 200u);
}

}  // namespace
}  // namespace scalebook::widgets
