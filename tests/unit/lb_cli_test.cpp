// `scalebook sim lb`: the output contract (one line of picks per request, a column per
// lane; --json with per-backend load and latency percentiles) and errors naming the parameter.
#include <gtest/gtest.h>

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

}  // namespace
}  // namespace scalebook::cli
