// `scalebook sim cache`: the output contract (per-request results, --evictions, --json
// with the curve), traces, and errors that name what is wrong.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/sim_args.h"
#include "sim/cache/baselines.h"

namespace scalebook::cli {
namespace {

struct SimRun {
  int rc;
  std::string out, err;
};

SimRun sim(std::vector<std::string> args) {
  args.insert(args.begin(), "cache");
  SimRun r;
  r.rc = run_sim(args, r.out, r.err);
  return r;
}

std::string write_trace(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / ("scalebook_cache_" + std::to_string(::getpid()) + "_" + name + ".txt");
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

std::vector<std::string> lines(const std::string& out) {
  std::vector<std::string> r;
  std::istringstream in(out);
  for (std::string l; std::getline(in, l);) r.push_back(l);
  return r;
}

TEST(CacheCli, ATraceGivesOneResultPerRequestAndEvictionsNameTheTracesKeys) {
  // LRU of 2: a b a c b → miss miss hit miss(evict b) miss(evict a).
  const std::string t = write_trace("abacb", "# comment\na 100\nb\n\na 100\nc 7\nb\n");
  auto r = sim({"--set", "capacity=2", "--trace", t});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "miss\nmiss\nhit\nmiss\nmiss\n");
  r = sim({"--set", "capacity=2", "--trace", t, "--evictions"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "miss\nmiss\nhit\nmiss evict b\nmiss evict a\n");
  // Columns per policy. FIFO evicts a (the oldest arrival), so b still hits; OPT with
  // bypass refuses c (never requested again, farther than a and b).
  r = sim({"--set", "capacity=2", "--set", "policy=fifo", "--set", "compare=opt", "--trace", t, "--evictions"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "miss\tmiss\nmiss\tmiss\nhit\thit\nmiss evict a\tmiss refused\nhit\thit\n");
}

TEST(CacheCli, TheJsonHasHitRatiosByteHitRatioAndTheCurve) {
  const std::string t = write_trace("json", "a 100\nb 10\na 100\nc 7\nb 10\n");
  auto r = sim({"--set", "capacity=2", "--set", "sizes=1,2,3", "--trace", t, "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\"requests\":5,\"capacity\":2,\"trace\":true"), std::string::npos) << r.out;
  // LRU: one hit (a, 100 bytes of 227).
  EXPECT_NE(r.out.find("{\"policy\":\"lru\",\"hits\":1,\"misses\":4,\"evictions\":2,\"rejections\":0,\"hit_ratio\":0.2,"
                       "\"byte_hit_ratio\":0.44052863436123346,"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"curve\":[{\"size\":1,\"hits\":0,\"hit_ratio\":0},{\"size\":2,\"hits\":1,\"hit_ratio\":0.2},"
                       "{\"size\":3,\"hits\":2,\"hit_ratio\":0.4}]"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("\"opt\":{\"policy\":\"opt\",\"hits\":2"), std::string::npos) << r.out;
  // Generated workloads have no sizes: the byte hit ratio is null, the curve is capacity × 1/8 … 8.
  r = sim({"--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\"byte_hit_ratio\":null"), std::string::npos);
  EXPECT_NE(r.out.find("{\"size\":13,"), std::string::npos);
  EXPECT_NE(r.out.find("{\"size\":800,"), std::string::npos);
}

TEST(CacheCli, GeneratedRequestsPrintTheirKeyFirstAndMatchAModelRun) {
  auto r = sim({"--set", "workload=loop", "--set", "loop_length=3", "--set", "capacity=2", "--set", "requests=6", "--set", "ceiling=false"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "0\tmiss\n1\tmiss\n2\tmiss\n0\tmiss\n1\tmiss\n2\tmiss\n");
  r = sim({"--set", "requests=500", "--set", "policy=lfu"});
  ASSERT_EQ(r.rc, 0) << r.err;
  sim::cache::Lfu lfu(100);
  for (const std::string& l : lines(r.out)) {
    const auto tab = l.find('\t');
    ASSERT_NE(tab, std::string::npos) << l;
    EXPECT_EQ(l.substr(tab + 1), lfu.access(std::stoull(l.substr(0, tab))).hit ? "hit" : "miss");
  }
  EXPECT_EQ(lfu.stats().requests(), 500u);
}

TEST(CacheCli, BadInputIsAnErrorThatNamesIt) {
  auto r = sim({"--trace", write_trace("bad", "a\nb x\n")});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("line 2: size 'x' is not a positive integer"), std::string::npos) << r.err;
  r = sim({"--trace", write_trace("empty", "# nothing\n\n")});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("no requests in it"), std::string::npos) << r.err;
  r = sim({"--trace", std::filesystem::temp_directory_path().string()});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("it is a directory"), std::string::npos) << r.err;
  r = sim({"--trace", "/nonexistent/trace"});
  EXPECT_EQ(r.rc, 2);
  r = sim({"--set", "policy=arc"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("parameter 'policy'"), std::string::npos) << r.err;
  r = sim({"--evictions", "--json"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("cannot be combined with --json"), std::string::npos) << r.err;
  r = sim({"--frobnicate"});
  EXPECT_EQ(r.rc, 2);
  EXPECT_NE(r.err.find("unknown option '--frobnicate'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace scalebook::cli
