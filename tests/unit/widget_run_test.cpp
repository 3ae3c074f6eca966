// widgets/run.h and widgets/actions.h: a run's identity is (params, seed, actions); the
// action log replays exactly (seek, a fresh run, time split any way), a new action drops
// the logged future, refused actions change nothing, and the model is built once however
// many settings arrive before the first read.
#include <gtest/gtest.h>

#include "widgets/actions.h"
#include "widgets/hello/scenario.h"
#include "widgets/params.h"
#include "widgets/run.h"

namespace sw = scalebook::widgets;

namespace {
const sw::WidgetInfo& hello() { return *sw::find_widget("hello"); }
sw::Run fresh() { return sw::Run(hello(), sw::make_scenario("hello")); }
int waves_of(const sw::Run& r) { return static_cast<const sw::hello::HelloScenario&>(r.scenario()).waves(); }
}  // namespace

TEST(WidgetRun, AnActionTakenMidRunIsReplayedBySeekAndByAFreshRun) {
  auto live = fresh();
  live.advance(1'500'000);
  ASSERT_EQ(live.act("add-wave", {"2"}), "");
  EXPECT_EQ(waves_of(live), 5);
  live.advance(1'700'000);
  const std::string digest = live.digest();
  ASSERT_EQ(live.actions().size(), 1u);
  EXPECT_EQ(sw::format_actions(live.actions()), "1500000:add-wave:2");

  // A permalink: the same params, seed and log in a fresh run, sought to the same time.
  auto linked = fresh();
  std::vector<sw::Action> log;
  ASSERT_EQ(sw::parse_actions(hello(), sw::format_actions(live.actions()), log), "");
  linked.configure(sw::default_params(hello()), 1, log);
  linked.seek(3'200'000);
  EXPECT_EQ(linked.digest(), digest);
  EXPECT_EQ(waves_of(linked), 5);

  // Back before the action (the scrubber): the wave has its 3 crests again, and forward
  // past it the action is applied again at its own time.
  live.seek(1'000'000);
  EXPECT_EQ(waves_of(live), 3);
  EXPECT_EQ(live.time_us(), 1'000'000);
  live.seek(3'200'000);
  EXPECT_EQ(live.digest(), digest);
}

TEST(WidgetRun, TimeSplitAnyWayGivesTheSameRun) {
  auto a = fresh(), b = fresh();
  std::vector<sw::Action> log;
  ASSERT_EQ(sw::parse_actions(hello(), "400000:add-wave:1+400000:add-wave:3+2000000:add-wave:1", log), "");
  a.configure(sw::default_params(hello()), 9, log);
  b.configure(sw::default_params(hello()), 9, log);
  a.advance(3'000'000);
  for (int i = 0; i < 300; ++i) b.advance(10'000);  // frames of 10 ms across the actions
  EXPECT_EQ(a.digest(), b.digest());
  EXPECT_EQ(waves_of(a), 8);
  // Two actions at the same time keep their order in the log.
  EXPECT_EQ(a.actions()[0].args[0], "1");
  EXPECT_EQ(a.actions()[1].args[0], "3");
}

TEST(WidgetRun, ANewActionAfterScrubbingBackDropsTheLoggedFuture) {
  auto r = fresh();
  r.advance(1'000'000);
  ASSERT_EQ(r.act("add-wave", {"1"}), "");
  r.advance(1'000'000);
  ASSERT_EQ(r.act("add-wave", {"4"}), "");
  ASSERT_EQ(r.actions().size(), 2u);
  r.seek(1'500'000);  // after the first, before the second
  ASSERT_EQ(r.act("add-wave", {"2"}), "");
  ASSERT_EQ(r.actions().size(), 2u);
  EXPECT_EQ(sw::format_actions(r.actions()), "1000000:add-wave:1+1500000:add-wave:2");
  r.advance(2'000'000);
  EXPECT_EQ(waves_of(r), 6);
}

TEST(WidgetRun, RefusedActionsChangeNothing) {
  auto r = fresh();
  r.advance(500'000);
  const std::string before = r.digest();
  EXPECT_NE(r.act("explode", {}).find("action 'explode': unknown action (known: add-wave)"), std::string::npos);
  EXPECT_NE(r.act("add-wave", {"7"}).find("argument 'crests': value 7 is out of range [1, 6]"), std::string::npos);
  EXPECT_NE(r.act("add-wave", {"1", "2"}).find("takes 1 argument, got 2"), std::string::npos);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(r.act("add-wave", {"6"}), "");  // 3 + 18 = 21 crests
  EXPECT_NE(r.act("add-wave", {"4"}).find("at most 24 fit"), std::string::npos);  // the scenario's own refusal
  EXPECT_EQ(r.actions().size(), 3u);
  EXPECT_NE(r.digest(), before);
  auto q = fresh();
  q.advance(500'000);
  EXPECT_EQ(q.digest(), before);
}

TEST(WidgetRun, DefaultArgumentsAreFilledAndTheLogFormRoundTrips) {
  sw::Action a{2'500'000, "add-wave", {}};
  ASSERT_EQ(sw::normalise_action(hello(), a), "");
  EXPECT_EQ(a.args, std::vector<std::string>{"1"});
  std::vector<sw::Action> back;
  ASSERT_EQ(sw::parse_actions(hello(), sw::format_actions({a, a}), back), "");
  EXPECT_EQ(back, (std::vector<sw::Action>{a, a}));
  EXPECT_NE(sw::parse_actions(hello(), "2000000:add-wave:1+1000000:add-wave:1", back).find("earlier than"),
            std::string::npos);
  EXPECT_NE(sw::parse_actions(hello(), "soon:add-wave", back).find("expected <time in µs>"), std::string::npos);
  EXPECT_NE(sw::parse_actions(hello(), "-5:add-wave", back).find("expected <time in µs>"), std::string::npos);
  sw::Action c;
  ASSERT_EQ(sw::parse_cli_action(hello(), "3.2:add-wave:2", c), "");
  EXPECT_EQ(c.time_us, 3'200'000);
  ASSERT_EQ(sw::parse_cli_action(hello(), "0.000001:add-wave", c), "");
  EXPECT_EQ(c.time_us, 1);
  EXPECT_NE(sw::parse_cli_action(hello(), "1e3:add-wave", c), "");
  EXPECT_NE(sw::parse_cli_action(hello(), "1.1234567:add-wave", c), "");
}

TEST(WidgetRun, TheModelIsBuiltOnceForManySettingsBeforeTheFirstRead) {
  auto r = fresh();
  auto p = sw::default_params(hello());
  p["waves"] = "5";
  r.set_params(p);
  r.set_seed(42);
  p["speed"] = "2";
  r.set_params(p);
  std::vector<sw::Action> log;
  ASSERT_EQ(sw::parse_actions(hello(), "100000:add-wave:1", log), "");
  r.configure(p, 42, log);
  r.seek(2'000'000);
  EXPECT_EQ(r.builds(), 0u);
  EXPECT_EQ(r.time_us(), 2'000'000);
  EXPECT_EQ(r.builds(), 1u);
  EXPECT_EQ(waves_of(r), 6);
  r.advance(16'000);
  (void)r.digest();
  EXPECT_EQ(r.builds(), 1u);
}

TEST(WidgetRun, HelloLiveParticlesMatchABruteForceCount) {
  auto r = fresh();
  auto p = sw::default_params(hello());
  p["particles"] = "500";
  r.configure(p, 3);
  for (std::int64_t t : {0ll, 1'234'567ll, 7'000'000ll}) {
    r.seek(t);
    const auto& s = static_cast<const sw::hello::HelloScenario&>(r.scenario());
    std::size_t brute = 0;
    for (std::int64_t k = -10000; k < 10000; ++k) {
      const auto q = s.particle(k);
      brute += q.start_s <= s.clock_s() && s.clock_s() < q.start_s + q.duration_s;
    }
    EXPECT_EQ(s.live_count(), brute) << t;
    EXPECT_NEAR(static_cast<double>(brute), 500.0, 120.0) << "about `particles` in flight (Little's law)";
  }
}

TEST(WidgetRun, ValidateActionsNamesEveryBadSpec) {
  sw::WidgetInfo w{.name = "x",
                   .actions = {{.name = "Kill!", .label = "Kill", .help = "h"},
                               {.name = "ok", .label = "", .help = ""},
                               {.name = "ok", .label = "Again", .help = "h",
                                .args = {{.name = "n", .type = sw::ParamType::Int, .default_value = "9", .min = 1, .max = 3}}}}};
  const std::string msg = sw::validate_actions(w);
  EXPECT_NE(msg.find("action 'Kill!': name must be lower-case letters, digits and '-'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("action 'ok': label is empty"), std::string::npos) << msg;
  EXPECT_NE(msg.find("action 'ok': help is empty"), std::string::npos) << msg;
  EXPECT_NE(msg.find("action 'ok': name used twice"), std::string::npos) << msg;
  EXPECT_NE(msg.find("action 'ok': argument 'n' default: value 9 is out of range [1, 3]"), std::string::npos) << msg;
  EXPECT_EQ(sw::validate_actions(hello()), "");
}
