// `scalebook sim <widget>` for a widget on the Scenario shape (src/cli/sim_scenario.cpp):
// the real binary, --action and --until, against an in-process Run of the same identity.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <sys/wait.h>

#include <utility>
#include <vector>

#include "widgets/catalog.h"
#include "widgets/run.h"

namespace sw = scalebook::widgets;

namespace {
struct Out {
  int code = -1;
  std::string out, err;
};
Out sim(const std::string& args) {
  const std::string err_file = testing::TempDir() + "scenario_cli_err_" + std::to_string(::getpid()) + ".txt";
  FILE* p = popen((std::string(SCALEBOOK_TOOL) + " sim " + args + " 2>" + err_file).c_str(), "r");
  Out r;
  if (!p) return r;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (FILE* f = std::fopen(err_file.c_str(), "r")) {
    for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) r.err.append(buf, n);
    std::fclose(f);
  }
  return r;
}
}  // namespace

TEST(ScenarioCli, HelloWithAnActionGivesTheDigestOfTheSameRunInProcess) {
  const auto r = sim("hello --set waves=5 --set seed=7 --action 1.5:add-wave:2 --action 2:add-wave --until 3.25");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto& info = *sw::find_widget("hello");
  sw::Run run(info, sw::make_scenario("hello"));
  auto p = sw::default_params(info);
  p["waves"] = "5";
  std::vector<sw::Action> log;
  ASSERT_EQ(sw::parse_actions(info, "1500000:add-wave:2+2000000:add-wave:1", log), "");
  run.configure(p, 7, log);
  run.seek(3'250'000);
  EXPECT_EQ(r.out, "time_us: 3250000\nactions: 2 of 2 applied\nsummary: A wave with 8 crests, 3.2 seconds in, moving at "
                   "speed 1.00.\ndigest: " + run.digest() + "\n");
  // The action changes the run: without it the digest differs.
  const auto plain = sim("hello --set waves=5 --set seed=7 --until 3.25");
  ASSERT_EQ(plain.code, 0);
  EXPECT_NE(plain.out.substr(plain.out.find("digest: ")), r.out.substr(r.out.find("digest: ")));
  const auto json = sim("hello --set waves=5 --set seed=7 --action 1.5:add-wave:2 --action 2:add-wave --until 3.25 --json");
  EXPECT_NE(json.out.find("\"actions\":\"1500000:add-wave:2+2000000:add-wave:1\",\"actions_applied\":2"), std::string::npos)
      << json.out;
  EXPECT_NE(json.out.find("\"digest\":\"" + run.digest() + "\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"added_waves\":3"), std::string::npos) << json.out;
}

TEST(ScenarioCli, BadActionsAndTimesAreErrorsNamingThem) {
  struct Case {
    const char* args;
    const char* message;
  } cases[] = {
      {"hello --action 1:explode", "error: action 'explode': unknown action (known: add-wave)"},
      {"hello --action 1:add-wave:9", "error: action 'add-wave' argument 'crests': value 9 is out of range [1, 6]"},
      {"hello --action soon:add-wave", "error: --action 'soon:add-wave': expected <time in s>:<name>[:<args>]"},
      {"hello --action 2:add-wave --action 1:add-wave", "error: --action '1:add-wave': earlier than the action before it"},
      {"hello --until -1", "error: --until '-1': expected seconds"},
      {"hello --action", "error: --action needs a value"},
      {"hello --set waves=40", "error: parameter 'waves': value 40 is out of range [1, 12]"},
      {"rate-limiter --action 1:x", "error: unknown option '--action' for 'sim rate-limiter'"},
      // Valid by the schema, refused by the run when it gets there: an error, never a
      // silent no-op.
      {"raft --action 0.5:crash-leader", "error: --action '0.5:crash-leader' was refused when the run reached it: "
                                         "action 'crash-leader': there is no leader at 0.50 s"},
      {"raft --action 3:crash:2 --action 4:crash:2",
       "error: --action '4:crash:2' was refused when the run reached it: action 'crash': n2 is already down"},
  };
  for (const auto& c : cases) {
    const auto r = sim(c.args);
    EXPECT_EQ(r.code, 2) << c.args;
    EXPECT_EQ(r.err.rfind(c.message, 0), 0u) << c.args << " → " << r.err;
    EXPECT_EQ(r.out, "") << c.args;
  }
}

TEST(ScenarioCli, UsageListsScenarioWidgetsAndTheirActions) {
  const auto r = sim("--help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("  hello  Hello, widget [--action T:name[:args]]... [--until T] (actions: add-wave)"),
            std::string::npos)
      << r.out;
  // The models with a command of their own, then every other catalog widget in catalog
  // order (each runs through the generic Scenario command), so a new catalog line needs
  // no edit here.
  const std::vector<std::string> own = {"fanout", "rate-limiter", "sharding", "cache", "lb", "queue"};
  std::string known;
  for (const auto& m : own) known += (known.empty() ? "" : ", ") + m;
  for (const auto& w : sw::catalog())
    if (std::find(own.begin(), own.end(), std::string(w.name)) == own.end()) known += ", " + std::string(w.name);
  EXPECT_NE(known.find("hello, stampede, raft"), std::string::npos) << known;
  const auto unknown = sim("nope");
  EXPECT_NE(unknown.err.find("(known: " + known + ")"), std::string::npos) << unknown.err;
}

// An input that cannot be read is an error, never silently empty input (issue #18 item 3).
TEST(ScenarioCli, ADirectoryOrMissingFileAsInputIsAnError) {
  const std::string dir = testing::TempDir();
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"rate-limiter --trace '" + dir + "'", "error: cannot read trace file '" + dir + "': it is a directory"},
           {"sharding --keys '" + dir + "'", "error: cannot read keys file '" + dir + "': it is a directory"},
           {"rate-limiter --trace /no/such/file", "error: cannot read trace file '/no/such/file'"},
       }) {
    const auto r = sim(args);
    EXPECT_EQ(r.code, 2) << args;
    EXPECT_EQ(r.err.rfind(message, 0), 0u) << args << " → " << r.err;
    EXPECT_EQ(r.out, "");
  }
}
