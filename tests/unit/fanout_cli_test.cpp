// `scalebook sim fanout` end to end through the real binary (SCALEBOOK_TOOL).
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <regex>
#include <string>
#include <sys/wait.h>

namespace {

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

Run run(const std::string& args) {
  const std::string err_file = testing::TempDir() + "fanout_cli_err_" + std::to_string(::getpid()) + ".txt";
  const std::string cmd = std::string(SCALEBOOK_TOOL) + " sim fanout " + args + " 2>" + err_file;
  Run r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  if (FILE* f = std::fopen(err_file.c_str(), "r")) {
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) r.err.append(buf, n);
    std::fclose(f);
  }
  return r;
}

// The value of `key` in the JSON text. A missing field fails the calling test (a check that
// compares two missing fields, or a missing one against "not 0", must not pass).
std::string field(const std::string& json, const std::string& key) {
  std::smatch m;
  const std::regex re("\"" + key + "\":(\"[^\"]*\"|[^,}\\]]+)");
  if (!std::regex_search(json, m, re)) {
    ADD_FAILURE() << "field \"" << key << "\" missing from: " << json.substr(0, 200);
    return "<missing " + key + ">";
  }
  return m[1];
}

}  // namespace

TEST(FanoutCli, TimelineDigestIsEqualAcrossStrategiesForOneSeed) {
  for (const char* seed : {"1", "42"}) {
    const auto push = run(std::string("--set strategy=push --set seed=") + seed + " --json");
    const auto pull = run(std::string("--set strategy=pull --set seed=") + seed + " --json");
    const auto hybrid = run(std::string("--set strategy=hybrid --set seed=") + seed + " --json");
    ASSERT_EQ(push.code, 0) << push.err;
    ASSERT_EQ(pull.code, 0) << pull.err;
    ASSERT_EQ(hybrid.code, 0) << hybrid.err;
    const auto d = field(push.out, "timeline_digest");
    ASSERT_EQ(d.size(), 18u);  // "16 hex digits"
    EXPECT_EQ(field(pull.out, "timeline_digest"), d);
    EXPECT_EQ(field(hybrid.out, "timeline_digest"), d);
    EXPECT_EQ(field(push.out, "reads"), field(pull.out, "reads"));
    // The strategies differ where they should: push writes, pull reads.
    EXPECT_EQ(field(pull.out, "deliveries"), "0");
    EXPECT_NE(field(push.out, "deliveries"), "0");
    EXPECT_GT(std::stod(field(pull.out, "read_fetches_mean")), std::stod(field(push.out, "read_fetches_mean")));
    EXPECT_GT(std::stoll(field(push.out, "delivery_latency_us_p99")),
              std::stoll(field(hybrid.out, "delivery_latency_us_p99")));
  }
  EXPECT_NE(field(run("--set seed=1 --json").out, "timeline_digest"),
            field(run("--set seed=2 --json").out, "timeline_digest"));
}

TEST(FanoutCli, OutputIsStableAndSingleJsonObject) {
  const auto a = run("--set strategy=hybrid --set seed=9 --set users=500 --set celebrity_followers=400 --json");
  const auto b = run("--set strategy=hybrid --set seed=9 --set users=500 --set celebrity_followers=400 --json");
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_EQ(a.out.front(), '{');
  EXPECT_EQ(a.out.substr(a.out.size() - 2), "}\n");
  EXPECT_EQ(field(a.out, "users"), "500");
  for (const char* k : {"delivery_latency_us_p50", "delivery_latency_us_p99", "backlog_peak_inserts",
                        "read_latency_us_p99", "cache_memory_bytes", "write_amplification", "backlog_series_ms"})
    EXPECT_NE(a.out.find(std::string("\"") + k + "\""), std::string::npos) << k;
  const auto text = run("--set seed=9 --set users=500 --set celebrity_followers=400");
  EXPECT_EQ(text.code, 0);
  EXPECT_NE(text.out.find("timeline_digest: " + field(a.out, "timeline_digest").substr(1, 16)), std::string::npos);
}

// The delivery and memory figures follow from Twitter's published 2013 inputs; the celebrity
// drain time is a calibration (the fleet capacity behind it is an assumption, see estimate.h).
TEST(FanoutCli, EstimateModeMatchesTwitter2013InputsAndCalibration) {
  const auto r = run("--set mode=estimate --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NEAR(std::stod(field(r.out, "deliveries_per_day")), 3.0e10, 2e7);  // 4630/s × 75 × 86400
  EXPECT_DOUBLE_EQ(std::stod(field(r.out, "memory_bytes")), 7.2e12);  // 150 M × 800 × 20 B × 3
  EXPECT_EQ(field(r.out, "push_meets_target"), "false");
  EXPECT_GT(std::stod(field(r.out, "celebrity_drain_s")), 240.0);
  const auto fast = run("--set mode=estimate --set est_fanout_inserts_per_s=1e9 --json");
  EXPECT_EQ(field(fast.out, "push_meets_target"), "true");
}

TEST(FanoutCli, BadInputGivesErrorAndNonZeroExit) {
  struct Case {
    const char* args;
    const char* mentions;
  } cases[] = {
      {"--set strategy=broadcast", "strategy"},
      {"--set seed=abc", "seed"},
      {"--set seed=-1", "seed"},
      {"--set users=100 --set celebrity_followers=100", "celebrity_followers"},
      {"--set cap=0", "cap"},
      {"--set nonsense=1", "nonsense"},
      {"--trace x.txt", "--trace"},
  };
  for (const auto& c : cases) {
    const auto r = run(c.args);
    EXPECT_EQ(r.code, 2) << c.args;
    EXPECT_EQ(r.err.rfind("error: ", 0), 0u) << c.args << " → " << r.err;
    EXPECT_NE(r.err.find(c.mentions), std::string::npos) << c.args << " → " << r.err;
    EXPECT_TRUE(r.out.empty()) << c.args;
  }
}
