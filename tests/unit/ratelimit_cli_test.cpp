// `scalebook sim rate-limiter`: the real binary (SCALEBOOK_TOOL) on trace files.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <set>
#include <vector>

#include "sim/core/virtual_time.h"
#include "sim/ratelimit/runner.h"
#include "widgets/params.h"
#include "widgets/rate_limiter/config.h"

namespace rl = scalebook::sim::ratelimit;
namespace sw = scalebook::widgets;

namespace {

struct Result {
  int code;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string write_trace(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "rl_cli_" + std::to_string(::getpid()) + "_" + name + ".trace";
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

Result run(const std::string& args) {
  const std::string base = ::testing::TempDir() + "rl_cli_out_" + std::to_string(::getpid());
  const std::string cmd = std::string("'") + SCALEBOOK_TOOL + "' sim rate-limiter " + args + " >'" + base + ".stdout' 2>'" +
                          base + ".stderr'";
  const int status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(base + ".stdout"), slurp(base + ".stderr")};
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

// The hand-worked nginx case from ratelimit_nginx_test.cpp, through the command line.
TEST(RateLimitCli, NginxBurstTrace) {
  const auto trace = write_trace("nginx", "0\n0\n0\n0\n0\n0\n0\n100\n150\n199\n200\n");
  const auto r = run("--set algorithm=nginx --set rate=10r/s --set burst=5 --trace '" + trace + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "admit\ndelay 100\ndelay 200\ndelay 300\ndelay 400\ndelay 500\nreject\ndelay 500\nreject\nreject\ndelay 500\n");
  EXPECT_EQ(r.err, "");
  const auto nd = run("--set algorithm=nginx --set rate=10r/s --set burst=5 --set nodelay=true --trace '" + trace + "'");
  EXPECT_EQ(nd.out, "admit\nadmit\nadmit\nadmit\nadmit\nadmit\nreject\nadmit\nreject\nreject\nadmit\n");
  const auto d2 = run("--set algorithm=nginx --set rate=10r/s --set burst=5 --set delay=2 --trace '" + trace + "'");
  EXPECT_EQ(lines(d2.out)[3], "delay 100");
}

TEST(RateLimitCli, CommentsBlankLinesKeysAndFractionalTimes) {
  const auto trace = write_trace("keys", "# a comment\n\n0 alice\r\n0 bob\n0.5 alice\n  1.25   bob  \n");
  const auto r = run("--set algorithm=nginx --set rate=1r/s --set burst=0 --trace '" + trace + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "admit\nadmit\nreject\nreject\n");  // per-client limits
  const auto shaper = run("--set algorithm=shaper --set rate=3r/s --set capacity=5 --trace '" + trace + "'");
  // bob: 0 → admit; 1.25 ms → slot 333.333.. ms → delay ceil(333333.33 - 1250) µs = 332.084 ms
  EXPECT_EQ(lines(shaper.out)[3], "delay 332.084");
}

TEST(RateLimitCli, GcraTrace) {
  // max_burst 1 at 1 r/s: limit 2 → two at t=0, third rejected; one more at 1 s.
  const auto trace = write_trace("gcra", "0\n0\n0\n999\n1000\n1000\n");
  const auto r = run("--set algorithm=gcra --set rate=1r/s --set burst=1 --trace '" + trace + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "admit\nadmit\nreject\nreject\nadmit\nreject\n");
}

// Each algorithm name reaches its own model: the command's decisions equal the model's,
// run in-process from the same schema defaults, and the algorithms do not all agree on a
// trace built to tell them apart (a burst of 14 at 0 ms, a trickle, a window-boundary pair).
TEST(RateLimitCli, EveryAlgorithmIsReachable) {
  std::string text;
  std::vector<rl::Request> requests;
  for (int i = 0; i < 14; ++i) { text += "0 a\n"; requests.push_back({0, 0}); }
  for (int t : {50, 120, 990, 999, 1000, 1001, 1600, 2400}) {
    text += std::to_string(t) + " a\n";
    requests.push_back({t * 1000, 0});
  }
  text += "2400 b\n";
  requests.push_back({2400 * 1000, 1});
  const auto trace = write_trace("all", text);
  const auto* info = sw::find_widget("rate-limiter");
  ASSERT_NE(info, nullptr);
  std::set<std::string> distinct;
  for (const auto name : rl::algorithm_names()) {
    const std::string a(name);
    const auto r = run("--set algorithm=" + a + " --trace '" + trace + "'");
    ASSERT_EQ(r.code, 0) << a << ": " << r.err;
    auto params = sw::default_params(*info);
    params["algorithm"] = a;
    sw::rate_limiter_config::Experiment exp;
    ASSERT_EQ(sw::rate_limiter_config::build(params, 1, exp).message, "") << a;
    ASSERT_EQ(exp.limiters.size(), 1u);
    ASSERT_EQ(exp.limiters[0].algorithm, *rl::algorithm_from_name(a));
    const auto model = rl::run_limiter(exp.limiters[0], requests);
    std::string expected;
    for (const auto& d : model.decisions)
      expected += (d.verdict == rl::Verdict::Delay ? "delay " + scalebook::sim::format_us_as_ms(d.delay_us)
                                                   : std::string(rl::verdict_name(d.verdict))) + "\n";
    EXPECT_EQ(r.out, expected) << a;
    distinct.insert(r.out);
  }
  EXPECT_EQ(rl::algorithm_names().size(), 9u);
  EXPECT_GE(distinct.size(), 5u) << "the algorithms should not all decide alike on this trace";
}

TEST(RateLimitCli, CompareGivesOneColumnPerAlgorithm) {
  const auto trace = write_trace("cmp", "0\n0\n0\n");
  const auto r = run("--set compare=fixed-window,nginx --set rate=2r/s --set burst=1 --trace '" + trace + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "admit\tadmit\nadmit\tdelay 500\nreject\treject\n");
}

TEST(RateLimitCli, JsonSummary) {
  const auto trace = write_trace("json", "0\n0\n0\n0\n0\n0\n0\n");
  const auto r = run("--set algorithm=nginx --set rate=10r/s --set burst=5 --json --trace '" + trace + "'");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"requests\":7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"algorithm\":\"nginx\",\"admitted\":1,\"delayed\":5,\"rejected\":1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"max\":500"), std::string::npos) << r.out;
  EXPECT_EQ(lines(r.out).size(), 1u);
}

TEST(RateLimitCli, GeneratedTrafficIsPrintedAsReplayableTrace) {
  const auto r = run("--set traffic=steady --set load=2 --set duration=2000 --set rate=1r/s --set capacity=1");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "0 c0 admit\n500 c0 reject\n1000 c0 admit\n1500 c0 reject\n");
}

TEST(RateLimitCli, ErrorsNameTheLineOrParameter) {
  const auto back = write_trace("back", "10\n# ok\n5\n");
  auto r = run("--trace '" + back + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "error: line 3: time 5 ms is earlier than the previous request (10 ms at line 1); times must be "
            "non-decreasing\n");

  const auto extra = write_trace("extra", "1 a b\n");
  r = run("--trace '" + extra + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: line 1: expected '<time in ms> [client key]', got '1 a b'\n");

  const auto bad = write_trace("bad", "1\n2\n-3\n");
  r = run("--trace '" + bad + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("error: line 3: invalid time '-3'"), std::string::npos) << r.err;
  const auto digits = write_trace("digits", "1.2345\n");
  r = run("--trace '" + digits + "'");
  EXPECT_NE(r.err.find("error: line 1: invalid time '1.2345'"), std::string::npos) << r.err;

  r = run("--set rate=10r/h --trace '" + bad + "'");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: parameter 'rate': expected a rate like 10r/s or 600r/m, got \"10r/h\"\n");
  r = run("--set burst=-1");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("error: parameter 'burst'"), std::string::npos) << r.err;
  r = run("--set algorithm=fixed-window --set rate=1r/m --set window=1000");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("error: parameter 'window': rate x window allows less than one request"), std::string::npos)
      << r.err;
  r = run("--set compare=nginx,leaky");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("error: parameter 'compare': unknown algorithm \"leaky\""), std::string::npos) << r.err;
  r = run("--set speed=3");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("error: unknown parameter 'speed'"), std::string::npos) << r.err;
  r = run("--trace /nonexistent/file");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "error: cannot read trace file '/nonexistent/file'\n");
}

TEST(RateLimitCli, SeedSelectsTheGeneratedStream) {
  const auto a = run("--set traffic=poisson --set duration=3000 --set seed=1");
  const auto b = run("--set traffic=poisson --set duration=3000 --set seed=1");
  const auto c = run("--set traffic=poisson --set duration=3000 --set seed=2");
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  const auto bad = run("--set seed=abc");
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "error: parameter 'seed': expected a whole number from 0 to 9007199254740991, got \"abc\"\n");
  // The page's whole range (0 … 2^53 - 1) is accepted, 16 digits included; one more is not.
  const auto top = run("--set traffic=poisson --set duration=3000 --set seed=9007199254740991");
  EXPECT_EQ(top.code, 0) << top.err;
  EXPECT_NE(top.out, a.out);
  EXPECT_EQ(run("--set traffic=poisson --set duration=3000 --set seed=0").code, 0);
  const auto over = run("--set seed=9007199254740992");
  EXPECT_EQ(over.code, 2);
  EXPECT_EQ(over.err,
            "error: parameter 'seed': expected a whole number from 0 to 9007199254740991, got \"9007199254740992\"\n");
  EXPECT_EQ(run("--set seed=-1").code, 2);
  EXPECT_EQ(run("--set seed=99999999999999999999999").code, 2);
}
