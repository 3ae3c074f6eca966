// widgets/param_edit.h: the one parameter path — per-parameter checks, preset expansion,
// the widgets' cross-parameter checks, all-or-nothing, and one message text.
#include <gtest/gtest.h>

#include "widgets/param_edit.h"

namespace sw = scalebook::widgets;

namespace {
const sw::WidgetInfo& w(const char* name) { return *sw::find_widget(name); }
}  // namespace

TEST(ParamEdit, AppliedUnchangedRefused) {
  auto p = sw::default_params(w("hello"));
  EXPECT_EQ(sw::apply_edits(w("hello"), p, {{"waves", "5"}}).result, sw::EditResult::Applied);
  EXPECT_EQ(p.at("waves"), "5");
  EXPECT_EQ(sw::apply_edits(w("hello"), p, {{"waves", "5"}}).result, sw::EditResult::Unchanged);
  const auto bad = sw::apply_edits(w("hello"), p, {{"speed", "2"}, {"waves", "99"}});
  EXPECT_EQ(bad.result, sw::EditResult::Refused);
  EXPECT_EQ(bad.message, "parameter 'waves': value 99 is out of range [1, 12]");
  EXPECT_EQ(bad.key, "waves");
  EXPECT_EQ(p.at("speed"), "1") << "all or nothing: the valid edit before the refused one is not applied";
  const auto unknown = sw::apply_edits(w("hello"), p, {{"colour", "red"}});
  EXPECT_EQ(unknown.message, "unknown parameter 'colour' (known: speed, waves, particles)");
}

TEST(ParamEdit, APresetExpandsWhereItStandsAndLaterEditsOverrideIt) {
  const auto& rl = w("rate-limiter");
  auto p = sw::default_params(rl);
  ASSERT_EQ(sw::apply_edits(rl, p, {{"load", "33"}, {"preset", "boundary"}, {"rate", "7r/s"}}).result,
            sw::EditResult::Applied);
  auto expected = sw::preset_params(rl, *sw::find_preset(rl, "boundary"));
  expected["rate"] = "7r/s";
  EXPECT_EQ(p, expected) << "the preset resets 'load' to its default; 'rate' after it wins";
  const auto bad = sw::apply_edits(rl, p, {{"preset", "nope"}});
  EXPECT_EQ(bad.result, sw::EditResult::Refused);
  EXPECT_EQ(bad.message.rfind("parameter 'preset': unknown preset \"nope\" (known: ", 0), 0u) << bad.message;
}

TEST(ParamEdit, ValuesValidOneByOneButNotTogetherAreRefusedWithTheWidgetsMessage) {
  struct Case {
    const char* widget;
    sw::ParamEdits edits;
    const char* message;
    const char* key;
  } cases[] = {
      {"sharding", {{"strategy", "ring"}, {"operation", "split-hot-range"}},
       "parameter 'operation': split-hot-range needs strategy=range", "operation"},
      {"sharding", {{"strategy", "range"}, {"compare", "ring"}, {"operation", "split-hot-range"}},
       "parameter 'operation': split-hot-range needs strategy=range", "operation"},
      {"sharding", {{"strategy", "maglev"}, {"node_count", "300"}, {"table_size", "251"}},
       "parameter 'table_size': Maglev needs a table at least as large as the node count (300)", "table_size"},
      {"sharding", {{"node_count", "1"}, {"operation", "remove-node"}},
       "parameter 'operation': cannot remove the only node", "operation"},
      {"sharding", {{"node_count", "4"}, {"operation", "set-weight"}, {"target", "9"}},
       "parameter 'target': node 9 does not exist (there are 4 nodes)", "target"},
      {"fanout", {{"users", "100"}, {"celebrity_followers", "100"}},
       "parameter 'celebrity_followers': must be less than users (100)", "celebrity_followers"},
  };
  for (const auto& c : cases) {
    auto p = sw::default_params(w(c.widget));
    const auto before = p;
    const auto out = sw::apply_edits(w(c.widget), p, c.edits);
    EXPECT_EQ(out.result, sw::EditResult::Refused) << c.message;
    EXPECT_EQ(out.message, c.message);
    EXPECT_EQ(out.key, c.key);
    EXPECT_EQ(p, before);
  }
  // The same split is fine on a range partition.
  auto p = sw::default_params(w("sharding"));
  EXPECT_EQ(sw::apply_edits(w("sharding"), p, {{"strategy", "range"}, {"operation", "split-hot-range"}}).result,
            sw::EditResult::Applied);
}

TEST(ParamEdit, EveryWidgetsDefaultsAndPresetsPassItsOwnCheck) {
  for (const auto& info : sw::catalog()) {
    EXPECT_EQ(sw::check_params(info, sw::default_params(info)), "") << info.name;
    for (const auto& pr : info.presets) EXPECT_EQ(sw::check_params(info, sw::preset_params(info, pr)), "") << pr.id;
    EXPECT_EQ(sw::validate_actions(info), "") << info.name;
  }
  EXPECT_NE(sw::find_widget("sharding")->check, nullptr);
  EXPECT_NE(sw::find_widget("rate-limiter")->check, nullptr);
  EXPECT_NE(sw::find_widget("fanout")->check, nullptr);
}
