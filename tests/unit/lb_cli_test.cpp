// `scalebook sim lb`: the output contract (one line of picks per request, a column per
// lane; --json with per-backend load and latency percentiles) and errors naming the parameter.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "cli/sim_args.h"

namespace scalebook::cli {
namespace {

struct SimRun {
  int rc;
  std::string out, err;
};

SimRun sim(std::vector<std::string> args) {
  args.insert(args.begin(), "lb");
  SimRun r;
  r.rc = run_sim(args, r.out, r.err);
  return r;
}

std::string joined(const std::string& out, char sep) {
  std::string r;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) r += (r.empty() ? "" : std::string(1, sep)) + l;
  return r;
}

TEST(LbCli, NginxSwrrPicksAsNginxDoes) {
  // ngx_http_upstream_round_robin.c's smooth weighted round robin: {5,1,1} → a,a,b,a,c,a,a.
  auto r = sim({"--set", "algorithm=nginx-swrr", "--set", "weights=5,1,1", "--set", "compare=none", "--set", "requests=7"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(joined(r.out, ','), "a,a,b,a,c,a,a");
  // Twice round; and {4,2,1} → a,b,a,c,a,b,a (worked by hand from the same rule).
  r = sim({"--set", "algorithm=nginx-swrr", "--set", "weights=5,1,1", "--set", "compare=none", "--set", "requests=14"});
  EXPECT_EQ(joined(r.out, ','), "a,a,b,a,c,a,a,a,a,b,a,c,a,a");
  r = sim({"--set", "algorithm=nginx-swrr", "--set", "weights=4,2,1", "--set", "compare=none", "--set", "requests=7"});
  EXPECT_EQ(joined(r.out, ','), "a,b,a,c,a,b,a");
  // The pick sequence of weighted round robin does not depend on load or seed.
  r = sim({"--set", "algorithm=nginx-swrr", "--set", "weights=5,1,1", "--set", "compare=none", "--set", "requests=7",
           "--set", "utilisation=0.95", "--set", "seed=9"});
  EXPECT_EQ(joined(r.out, ','), "a,a,b,a,c,a,a");
}

TEST(LbCli, OneColumnPerLane) {
  auto r = sim({"--set", "requests=8"});  // round-robin vs least-conn over a, b, c, d
  ASSERT_EQ(r.rc, 0) << r.err;
  std::istringstream in(r.out);
  std::string first;
  std::getline(in, first);
  EXPECT_EQ(first.size(), 3u) << first;
  EXPECT_EQ(first[1], '\t');
  // Plain round robin: a, b, c, d, a, …
  std::string col;
  std::istringstream all(r.out);
  for (std::string l; std::getline(all, l);) col += l[0];
  EXPECT_EQ(col, "abcdabcd");
}

TEST(LbCli, JsonHasPerBackendLoadUtilisationAndPercentiles) {
  auto r = sim({"--set", "preset=slow-server", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const char* key : {"\"erlang_c\":{\"pooled_mean_us\":", "\"algorithm\":\"round-robin\"", "\"algorithm\":\"least-conn\"",
                          "\"latency_us\":{\"p50\":", "\"p99\":", "\"p999\":", "\"backends\":[{\"name\":\"a\",\"weight\":1,\"requests\":5000,",
                          "\"utilisation\":", "\"max_queue\":"})
    EXPECT_NE(r.out.find(key), std::string::npos) << key << "\n" << r.out;
  EXPECT_EQ(r.out.back(), '\n');
}

TEST(LbCli, ErrorsNameTheParameter) {
  auto r = sim({"--set", "algorithm=maglev"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("parameter 'algorithm'"), std::string::npos) << r.err;
  r = sim({"--set", "weights=5,0,1"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("parameter 'weights'"), std::string::npos) << r.err;
  r = sim({"--set", "utilisation=1.5"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("parameter 'utilisation'"), std::string::npos) << r.err;
  r = sim({"--set", "compare=least-conn", "--set", "algorithm=least-conn"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("parameter 'compare'"), std::string::npos) << r.err;
  r = sim({"--trace", "x"});
  EXPECT_EQ(r.rc, 2);
}

// `scalebook sim queue`: the queueing-only mode. Closed forms beside the simulated run of
// the same M/M/c queue; at ρ = 0.5 a million requests land within 2% of the mean and 3%
// of p99 (deterministic for the seed), and bad input is a usage error naming the problem.
TEST(QueueCli, ClosedFormsBesideTheSimulatedQueue) {
  SimRun r;
  r.rc = run_sim({"queue", "--set", "lambda=500", "--set", "mu=1000", "--json"}, r.out, r.err);
  ASSERT_EQ(r.rc, 0) << r.err;
  auto field = [&](const std::string& obj, const std::string& key) {
    size_t o = r.out.find("\"" + obj + "\":{");
    size_t k = r.out.find("\"" + key + "\":", o);
    return std::stod(r.out.substr(k + key.size() + 3));
  };
  EXPECT_NE(r.out.find("\"utilisation\":0.5,\"p_wait\":0.5,"), std::string::npos) << r.out;
  EXPECT_NEAR(field("closed_form_ms", "mean"), 2.0, 1e-9);  // M/M/1: 1 / (μ − λ)
  EXPECT_NEAR(field("closed_form_ms", "p99"), 2.0 * std::log(100.0), 1e-6);
  EXPECT_NEAR(field("simulated_ms", "mean"), 2.0, 0.04);
  EXPECT_NEAR(field("simulated_ms", "p99"), field("closed_form_ms", "p99"), 0.03 * field("closed_form_ms", "p99"));
  EXPECT_NE(r.out.find("\"requests\":1000000,\"warmup\":100000,\"seed\":1}"), std::string::npos) << r.out;
  // The text form: a header naming the queue, then one row per statistic.
  SimRun t;
  t.rc = run_sim({"queue", "--set", "lambda=3600", "--set", "servers=4", "--set", "requests=20000"}, t.out, t.err);
  ASSERT_EQ(t.rc, 0) << t.err;
  EXPECT_EQ(t.out.rfind("M/M/4: lambda 3600/s, mu 1000/s per worker, 4 workers, utilisation 0.900, P(wait) 0.7878 (Erlang C)\n", 0), 0u) << t.out;
  EXPECT_NE(t.out.find("\nmean                        2.969 "), std::string::npos) << t.out;
  for (const char* row : {"\np50 ", "\np90 ", "\np99 ", "\np999 "}) EXPECT_NE(t.out.find(row), std::string::npos) << row;
  for (const auto& [args, message] : std::vector<std::pair<std::vector<std::string>, std::string>>{
           {{"--set", "lambda=1000"}, "utilisation lambda / (servers * mu) = 1 is not below 1"},
           {{"--set", "lamda=3"}, "unknown parameter 'lamda' for 'sim queue' (known: lambda, mu, servers, requests, seed)"},
           {{"--set", "servers=2.5"}, "parameter 'servers': expected an integer, got \"2.5\""},
           {{"--set", "mu=20000"}, "parameter 'mu': value 20000 is out of range [1, 10000]"},
           {{"--set", "mu=abc"}, "parameter 'mu': expected a number, got \"abc\""},
       }) {
    SimRun e;
    std::vector<std::string> a = {"queue"};
    a.insert(a.end(), args.begin(), args.end());
    e.rc = run_sim(a, e.out, e.err);
    EXPECT_EQ(e.rc, 2);
    EXPECT_NE(e.err.find(message), std::string::npos) << e.err;
  }
}

}  // namespace
}  // namespace scalebook::cli
