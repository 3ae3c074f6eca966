// view_requests_test.cpp — the host-independent half of a view's parameter requests
// (src/widgets/requests.h): the request queue, the rule the host applies them by
// (the in-canvas parameter panel's: validated against the schema, refused requests
// change nothing, the active preset follows), and what the sharding view's
// "+ node" / "− node" buttons ask for (src/widgets/sharding/node_step.h).
#include <gtest/gtest.h>

#include <string>

#include "widgets/catalog.h"
#include "widgets/params.h"
#include "widgets/requests.h"
#include "widgets/sharding/node_step.h"

namespace {

using namespace scalebook::widgets;
using sharding::node_step;

const WidgetInfo& sharding_widget() {
  const WidgetInfo* w = find_widget("sharding");
  EXPECT_NE(w, nullptr);
  return *w;
}

TEST(ViewRequests, KeepsRequestsAndControlsInOrder) {
  ViewRequests r;
  EXPECT_TRUE(r.params().empty());
  EXPECT_TRUE(r.controls().empty());
  r.set_param("node_count", "6");
  r.note_control("sharding:add-node", 10, 20, 70, 40);
  r.set_param("strategy", "jump");
  ASSERT_EQ(r.params().size(), 2u);
  EXPECT_EQ(r.params()[0].key, "node_count");
  EXPECT_EQ(r.params()[0].value, "6");
  EXPECT_EQ(r.params()[1].key, "strategy");
  EXPECT_EQ(r.params()[1].value, "jump");
  ASSERT_EQ(r.controls().size(), 1u);
  EXPECT_EQ(r.controls()[0].key, "sharding:add-node");
  EXPECT_FLOAT_EQ(r.controls()[0].x0, 10);
  EXPECT_FLOAT_EQ(r.controls()[0].y1, 40);
}

TEST(ViewRequests, AppliesAValidChange) {
  const WidgetInfo& w = sharding_widget();
  ParamMap p = default_params(w);
  std::string error = "untouched";
  EXPECT_EQ(apply_param_request(w, p, {"node_count", "6"}, &error), RequestResult::Applied);
  EXPECT_EQ(error, "untouched");
  EXPECT_EQ(p.at("node_count"), "6");
  // Everything else as it was.
  ParamMap expected = default_params(w);
  expected["node_count"] = "6";
  EXPECT_EQ(p, expected);
  // Asking for the current value changes nothing and is not reported as a change.
  EXPECT_EQ(apply_param_request(w, p, {"node_count", "6"}), RequestResult::Unchanged);
  EXPECT_EQ(p, expected);
}

TEST(ViewRequests, RefusesWhatTheSchemaRefusesAndChangesNothing) {
  const WidgetInfo& w = sharding_widget();
  const ParamMap before = default_params(w);
  struct Case {
    const char* key;
    const char* value;
    const char* message;  // part of the error
  };
  const Case cases[] = {
      {"node_count", "1001", "out of range [1, 1000]"},
      {"node_count", "0", "out of range"},
      {"node_count", "five", "expected an integer"},
      {"strategy", "round-robin", "expected one of"},
      {"table_size", "100", "prime"},           // the parameter's own check function
      {"nodes", "10.0.0.1:notaport", "port"},   // a Text parameter's check
      {"no_such_param", "1", "unknown parameter"},
  };
  for (const Case& c : cases) {
    ParamMap p = before;
    std::string error;
    EXPECT_EQ(apply_param_request(w, p, {c.key, c.value}, &error), RequestResult::Refused) << c.key << "=" << c.value;
    EXPECT_EQ(p, before) << c.key << "=" << c.value;  // nothing changed, no key added
    EXPECT_NE(error.find(c.message), std::string::npos) << c.key << "=" << c.value << ": " << error;
    EXPECT_NE(error.find(std::string("'") + c.key + "'"), std::string::npos) << error;
  }
}

TEST(ViewRequests, TheActivePresetFollowsARequestedChange) {
  // Like the parameter panel: a hand edit leaves the preset, setting it back returns to it.
  bool tested = false;
  for (const auto& w : catalog()) {
    for (const auto& pr : w.presets) {
      for (const auto& [key, value] : pr.params) {
        const ParamSpec* spec = find_param(w, key);
        ASSERT_NE(spec, nullptr);
        if (spec->default_value == value) continue;
        ParamMap p = preset_params(w, pr);
        ASSERT_EQ(active_preset(w, p), &pr);
        ASSERT_EQ(apply_param_request(w, p, {std::string(key), std::string(spec->default_value)}), RequestResult::Applied);
        EXPECT_NE(active_preset(w, p), &pr) << w.name << " " << pr.id << " " << key;
        ASSERT_EQ(apply_param_request(w, p, {std::string(key), std::string(value)}), RequestResult::Applied);
        EXPECT_EQ(active_preset(w, p), &pr) << w.name << " " << pr.id << " " << key;
        tested = true;
        break;
      }
    }
  }
  EXPECT_TRUE(tested) << "no widget has a preset to test with";
}

TEST(ShardingNodeButtons, StepNodeCountWithinTheSchema) {
  const WidgetInfo& w = sharding_widget();
  ParamMap p = default_params(w);
  auto s = node_step(w, p);
  ASSERT_TRUE(s.available);
  EXPECT_EQ(s.key, "node_count");
  EXPECT_EQ(s.nodes, 5);
  EXPECT_TRUE(s.can_add);
  EXPECT_TRUE(s.can_remove);
  EXPECT_EQ(s.add_value, "6");
  EXPECT_EQ(s.remove_value, "4");

  // A click is a request the host accepts; the next step follows from the new value.
  ASSERT_EQ(apply_param_request(w, p, {s.key, s.add_value}), RequestResult::Applied);
  EXPECT_EQ(node_step(w, p).nodes, 6);
  ASSERT_EQ(apply_param_request(w, p, {s.key, node_step(w, p).remove_value}), RequestResult::Applied);
  EXPECT_EQ(p, default_params(w));  // "+ node" then "− node" is where it started

  // At the schema's limits the button is disabled, and the step past it would be refused.
  const ParamSpec* spec = find_param(w, "node_count");
  ASSERT_NE(spec, nullptr);
  p["node_count"] = std::to_string(static_cast<long long>(spec->min));
  s = node_step(w, p);
  EXPECT_FALSE(s.can_remove);
  EXPECT_TRUE(s.can_add);
  EXPECT_EQ(apply_param_request(w, p, {"node_count", std::to_string(static_cast<long long>(spec->min) - 1)}),
            RequestResult::Refused);
  p["node_count"] = std::to_string(static_cast<long long>(spec->max));
  s = node_step(w, p);
  EXPECT_FALSE(s.can_add);
  EXPECT_TRUE(s.can_remove);
  EXPECT_EQ(apply_param_request(w, p, {"node_count", std::to_string(static_cast<long long>(spec->max) + 1)}),
            RequestResult::Refused);
}

TEST(ShardingNodeButtons, BucketsWhenTheyOverrideNodeCount) {
  const WidgetInfo& w = sharding_widget();
  ParamMap p = default_params(w);
  p["buckets"] = "9";
  auto s = node_step(w, p);
  ASSERT_TRUE(s.available);
  EXPECT_EQ(s.key, "buckets");
  EXPECT_EQ(s.nodes, 9);
  EXPECT_EQ(s.add_value, "10");
  EXPECT_EQ(s.remove_value, "8");
  // buckets = 0 means "use node_count": removing the last bucket would change meaning, not count.
  p["buckets"] = "1";
  s = node_step(w, p);
  EXPECT_FALSE(s.can_remove);
  // The view builds at most kMaxGeneratedNodes nodes, though buckets allows more.
  p["buckets"] = std::to_string(sharding::kMaxGeneratedNodes);
  EXPECT_FALSE(node_step(w, p).can_add);
}

TEST(ShardingNodeButtons, NoButtonsWithANodeList) {
  const WidgetInfo& w = sharding_widget();
  ParamMap p = default_params(w);
  p["nodes"] = "10.0.0.1:11211,10.0.0.2:11211";
  EXPECT_FALSE(node_step(w, p).available);
}

}  // namespace
