// catalog_presets_test.cpp — story presets (catalog.h PresetSpec): every preset of every
// widget is valid against its schema (a typo in a preset fails here), the helpers and
// JSON, the fence key `preset = ID`, `scalebook sim --set preset=ID`, and — for the
// rate limiter — that each preset's parameters really show the story it tells.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "cli/sim_args.h"
#include "site/widget_fence.h"
#include "sim/ratelimit/runner.h"
#include "widgets/catalog.h"
#include "widgets/params.h"
#include "widgets/rate_limiter/config.h"

namespace {

using namespace scalebook::widgets;
namespace rl = scalebook::sim::ratelimit;
namespace cfg = scalebook::widgets::rate_limiter_config;

TEST(CatalogPresets, EveryPresetOfEveryWidgetIsValidAgainstItsSchema) {
  for (const auto& w : catalog()) {
    EXPECT_EQ(validate_presets(w), "") << "widget '" << w.name << "'";
    for (const auto& pr : w.presets) {
      // The full parameter set differs from the defaults (a preset that changes nothing
      // tells no story) and is recognised as itself.
      const ParamMap full = preset_params(w, pr);
      EXPECT_NE(full, default_params(w)) << w.name << " preset " << pr.id;
      const PresetSpec* active = active_preset(w, full);
      ASSERT_NE(active, nullptr) << w.name << " preset " << pr.id;
      EXPECT_EQ(active->id, pr.id) << "two presets of " << w.name << " have the same parameters";
    }
  }
}

TEST(CatalogPresets, NoParameterUsesAReservedName) {
  for (const auto& w : catalog())
    for (const auto& p : w.params)
      for (auto reserved : kReservedParamNames) EXPECT_NE(p.name, reserved) << "widget '" << w.name << "'";
}

TEST(CatalogPresets, ValidationCatchesTyposAndBadValues) {
  WidgetInfo w{.name = "t",
               .params = {{.name = "rate", .type = ParamType::Int, .default_value = "1", .min = 0, .max = 10},
                          {.name = "mode", .type = ParamType::Choice, .default_value = "a", .choices = {"a", "b"}}},
               .presets = {{.id = "ok", .label = "OK", .story = "Fine.", .params = {{"rate", "5"}, {"mode", "b"}}},
                           {.id = "typo", .label = "Typo", .story = "s", .params = {{"rtae", "5"}}},
                           {.id = "range", .label = "Range", .story = "s", .params = {{"rate", "11"}}},
                           {.id = "choice", .label = "Choice", .story = "s", .params = {{"mode", "c"}}},
                           {.id = "twice", .label = "Twice", .story = "s", .params = {{"rate", "1"}, {"rate", "2"}}},
                           {.id = "ok", .label = "Again", .story = "s"},
                           {.id = "Bad Id", .label = "", .story = ""}}};
  const std::string msg = validate_presets(w);
  EXPECT_EQ(msg.find("preset 'ok': "), msg.find("preset 'ok': id used twice")) << msg;
  EXPECT_NE(msg.find("preset 'typo': unknown parameter 'rtae' (known: rate, mode)"), std::string::npos) << msg;
  EXPECT_NE(msg.find("preset 'range': parameter 'rate': value 11 is out of range [0, 10]"), std::string::npos) << msg;
  EXPECT_NE(msg.find("preset 'choice': parameter 'mode': expected one of a, b, got \"c\""), std::string::npos) << msg;
  EXPECT_NE(msg.find("preset 'twice': parameter 'rate' set twice"), std::string::npos) << msg;
  EXPECT_NE(msg.find("preset 'Bad Id': id must be lower-case letters, digits and '-'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("preset 'Bad Id': label is empty"), std::string::npos) << msg;
  EXPECT_NE(msg.find("preset 'Bad Id': story is empty"), std::string::npos) << msg;
  EXPECT_EQ(std::count(msg.begin(), msg.end(), '\n') + 1, 8) << msg;

  WidgetInfo good{.name = "g", .params = w.params, .presets = {w.presets[0]}};
  EXPECT_EQ(validate_presets(good), "");
  const ParamMap full = preset_params(good, good.presets[0]);
  EXPECT_EQ(full, (ParamMap{{"rate", "5"}, {"mode", "b"}}));
  EXPECT_EQ(active_preset(good, full), &good.presets[0]);
  EXPECT_EQ(active_preset(good, default_params(good)), nullptr);
  ParamMap edited = full;
  edited["rate"] = "6";  // any hand edit leaves the preset
  EXPECT_EQ(active_preset(good, edited), nullptr);
}

TEST(CatalogPresets, RateLimiterHasTheFourStories) {
  const WidgetInfo* w = find_widget("rate-limiter");
  ASSERT_NE(w, nullptr);
  std::vector<std::string> ids;
  for (const auto& p : w->presets) ids.emplace_back(p.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"burst", "boundary", "noisy-neighbour", "drift"}));
  EXPECT_EQ(preset_ids(*w), "burst, boundary, noisy-neighbour, drift");
  EXPECT_EQ(active_preset(*w, default_params(*w)), nullptr);
  // Cross-parameter checks (the model's own validation) pass too.
  for (const auto& pr : w->presets) {
    cfg::Experiment exp;
    const auto problem = cfg::build(preset_params(*w, pr), 1, exp);
    EXPECT_EQ(problem.param, "") << pr.id << ": " << problem.message;
  }
}

TEST(CatalogPresets, CatalogJsonListsPresets) {
  const std::string json = catalog_json();
  EXPECT_NE(json.find("\"presets\":[{\"id\":\"burst\",\"label\":\"Burst\",\"story\":"), std::string::npos);
  EXPECT_NE(json.find("\"params\":{\"compare\":\"fixed-window,sliding-log,sliding-counter\",\"traffic\":\"boundary\""),
            std::string::npos);
  EXPECT_NE(json.find("\"name\":\"hello\""), std::string::npos);
  EXPECT_NE(json.find("\"presets\":[]"), std::string::npos);  // a widget without presets
}

// --- each rate-limiter preset shows its story (seed 1, the page's default) -------------

struct Lane {
  rl::LimiterConfig config;
  rl::Run run;
};

std::vector<Lane> run_preset(const char* id, std::vector<rl::Request>* requests_out = nullptr) {
  const WidgetInfo* w = find_widget("rate-limiter");
  const PresetSpec* pr = find_preset(*w, id);
  EXPECT_NE(pr, nullptr) << id;
  if (!pr) return {};
  cfg::Experiment exp;
  EXPECT_EQ(cfg::build(preset_params(*w, *pr), 1, exp).param, "");
  const auto requests = rl::generate_traffic(exp.traffic);
  std::vector<Lane> out;
  for (const auto& c : exp.limiters) out.push_back({c, rl::run_limiter(c, requests)});
  if (requests_out) *requests_out = requests;
  return out;
}

TEST(RateLimiterPresets, BurstRejectsQueuesOrSmooths) {
  auto lanes = run_preset("burst");
  ASSERT_EQ(lanes.size(), 3u);
  const auto& tb = lanes[0].run.summary;
  const auto& nginx = lanes[1].run.summary;
  const auto& shaper = lanes[2].run.summary;
  // Without the spike (3 r/s under a 5 r/s limit) nothing would be rejected or delayed.
  EXPECT_GE(tb.rejected, 15u);  // the bucket's 10 saved tokens, then rejections
  EXPECT_EQ(tb.delayed, 0u);    // a token bucket never queues
  EXPECT_GE(nginx.delayed, 5u);  // burst=10 delay=5: 5 straight through, the next ones queued
  EXPECT_GE(nginx.rejected, 15u);  // beyond the burst: 503
  EXPECT_GT(nginx.admitted, tb.admitted / 2);
  EXPECT_GT(shaper.delayed, nginx.delayed);  // the shaper spaces everything after the spike
  EXPECT_GE(shaper.rejected, 15u);  // beyond its queue of 10
}

TEST(RateLimiterPresets, BoundaryFixedWindowAdmitsTwiceItsLimit) {
  auto lanes = run_preset("boundary");
  ASSERT_EQ(lanes.size(), 3u);
  const std::int64_t limit = lanes[0].config.window_limit();
  ASSERT_EQ(limit, 10);
  EXPECT_EQ(lanes[0].run.summary.max_released_per_window, 2 * limit);  // fixed window
  EXPECT_LE(lanes[1].run.summary.max_released_per_window, limit);      // sliding log: exact
  EXPECT_LE(lanes[2].run.summary.max_released_per_window, limit + limit / 2);  // sliding counter: approximate
}

TEST(RateLimiterPresets, NoisyNeighbourLimitsOnlyTheHeavyClient) {
  std::vector<rl::Request> requests;
  auto lanes = run_preset("noisy-neighbour", &requests);
  ASSERT_EQ(lanes.size(), 1u);
  std::map<std::uint32_t, std::uint64_t> sent, rejected;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    ++sent[requests[i].client];
    if (!lanes[0].run.decisions[i].admitted()) ++rejected[requests[i].client];
  }
  std::uint32_t heavy = 0;
  for (const auto& [c, n] : sent)
    if (n > sent[heavy]) heavy = c;
  EXPECT_EQ(heavy, 0u) << "Zipf rank 0 is the heaviest (the story says 'client 0')";
  EXPECT_GT(rejected[heavy] * 3, sent[heavy]) << "the heavy client should lose over a third of its requests";
  EXPECT_GT(sent[heavy] * 3, requests.size()) << "client 0 sends over a third";
  std::uint64_t light_sent = 0, light_rejected = 0;
  for (const auto& [c, n] : sent)
    if (c != heavy) light_sent += n, light_rejected += rejected[c];
  EXPECT_GT(light_sent, sent[heavy]) << "the light clients together send more than the heavy one";
  EXPECT_LT(light_rejected * 50, light_sent) << "light clients: fewer than 2% rejected";
}

TEST(RateLimiterPresets, DriftOverAdmitsWhileTheCentralWindowDoesNot) {
  auto lanes = run_preset("drift");
  ASSERT_EQ(lanes.size(), 2u);
  const std::int64_t limit = lanes[0].config.window_limit();
  EXPECT_LE(lanes[0].run.summary.max_released_per_window, 2 * limit);  // central fixed window
  EXPECT_GE(lanes[1].run.summary.over_admission_max, 2 * limit) << "8 gateways blind for 500 ms";
  EXPECT_GT(lanes[1].run.summary.admitted, lanes[0].run.summary.admitted * 3);
}

// --- fences and the command line -----------------------------------------------------

TEST(CatalogPresets, FencePresetExpandsAndWrittenKeysOverride) {
  using scalebook::site::Diagnostic;
  scalebook::site::WidgetFence f;
  std::vector<Diagnostic> errors;
  ASSERT_TRUE(scalebook::site::parse_widget_fence("widget rate-limiter", "preset = boundary\nspike = 12\n", 3, "c.md", f,
                                                  errors))
      << (errors.empty() ? "" : errors[0].str());
  ASSERT_NE(f.preset, nullptr);
  const std::string html = scalebook::site::render_widget_html(f);
  EXPECT_NE(html.find("<scalebook-widget name=\"rate-limiter\" compare=\"fixed-window,sliding-log,sliding-counter\" "
                      "traffic=\"boundary\" rate=\"10r/s\" window=\"1000\" spike=\"12\">"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<figcaption>Rate limiter — Boundary attack: 10 requests just before"), std::string::npos) << html;

  errors.clear();
  EXPECT_FALSE(scalebook::site::parse_widget_fence("widget rate-limiter", "preset = bondary\npreset = burst\n", 3, "c.md",
                                                   f, errors));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].str(),
            "c.md:4: unknown preset 'bondary' for widget 'rate-limiter' (known: burst, boundary, noisy-neighbour, drift)");
  EXPECT_EQ(errors[1].str(), "c.md:5: duplicate key 'preset'");
  errors.clear();
  EXPECT_FALSE(scalebook::site::parse_widget_fence("widget hello", "preset = burst\n", 1, "c.md", f, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].str(), "c.md:2: unknown preset 'burst' for widget 'hello' (known: none)");
}

TEST(CatalogPresets, SimSetPresetStartsFromThePreset) {
  using namespace scalebook::cli;
  SimArgs args;
  args.model = "rate-limiter";
  args.sets = {{"spike", "12"}, {"preset", "boundary"}};
  auto values = resolve_params("rate-limiter", args);
  EXPECT_EQ(values["traffic"], "boundary");
  EXPECT_EQ(values["compare"], "fixed-window,sliding-log,sliding-counter");
  EXPECT_EQ(values["spike"], "12");  // --set overrides the preset wherever it is written
  EXPECT_EQ(values["load"], "15");   // untouched: the default
  args.sets = {{"preset", "nope"}};
  EXPECT_THROW(resolve_params("rate-limiter", args), UsageError);
}

}  // namespace
