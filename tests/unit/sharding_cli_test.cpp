// `scalebook sim sharding`: the output contract, checked against libmemcached and
// the jump reference, plus error handling.
#include <gtest/gtest.h>
#include <unistd.h>
#include <libmemcached/memcached.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli/sim_args.h"
#include "sim/core/rng.h"

namespace scalebook::cli {
namespace {

struct SimRun {
  int rc;
  std::string out, err;
};

SimRun sim(std::vector<std::string> args) {
  args.insert(args.begin(), "sharding");
  SimRun r;
  r.rc = run_sim(args, r.out, r.err);
  return r;
}

std::string write_keys(const std::string& name, const std::vector<std::string>& keys) {
  const auto path = std::filesystem::temp_directory_path() / ("scalebook_sharding_" + std::to_string(::getpid()) + "_" + name + ".txt");
  std::ofstream f(path, std::ios::binary);
  for (const auto& k : keys) f << k << "\n";
  return path.string();
}

std::vector<std::vector<std::string>> rows(const std::string& out) {
  std::vector<std::vector<std::string>> r;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cols;
    std::size_t start = 0;
    for (std::size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      cols.push_back(line.substr(start, tab - start));
    cols.push_back(line.substr(start));
    r.push_back(cols);
  }
  return r;
}

TEST(ShardingCli, KetamaPrintsWhatLibmemcachedChooses) {
  std::vector<std::string> keys;
  sim::Rng rng(77);
  for (int i = 0; i < 2000; ++i) keys.push_back("user:" + std::to_string(rng.next_u64() % 1000000));
  const std::string file = write_keys("ketama", keys);
  const SimRun r = sim({"--set", "strategy=ketama", "--set", "nodes=10.0.0.1:11211,10.0.0.2:11211:2,10.0.0.3:11300",
                     "--keys", file});
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto table = rows(r.out);
  ASSERT_EQ(table.size(), keys.size());

  memcached_st* memc = memcached_create(nullptr);
  memcached_behavior_set(memc, MEMCACHED_BEHAVIOR_KETAMA_WEIGHTED, 1);
  memcached_server_add_with_weight(memc, "10.0.0.1", 11211, 1);
  memcached_server_add_with_weight(memc, "10.0.0.2", 11211, 2);
  memcached_server_add_with_weight(memc, "10.0.0.3", 11300, 1);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const uint32_t idx = memcached_generate_hash(memc, keys[i].data(), keys[i].size());
    const memcached_instance_st* inst = memcached_server_instance_by_position(memc, idx);
    const std::string expected = std::string(memcached_server_name(inst)) + ":" + std::to_string(memcached_server_port(inst));
    ASSERT_EQ(table[i].size(), 2u);
    EXPECT_EQ(table[i][0], keys[i]);
    EXPECT_EQ(table[i][1], expected) << keys[i];
  }
  memcached_free(memc);
}

int32_t PaperJump(uint64_t key, int32_t num_buckets) {  // Lamping & Veach 2014, Figure 1
  int64_t b = -1, j = 0;
  while (j < num_buckets) {
    b = j;
    key = key * 2862933555777941757ULL + 1;
    j = (b + 1) * (double(1LL << 31) / double((key >> 33) + 1));
  }
  return b;
}

TEST(ShardingCli, JumpUsesDecimalKeysAndPrintsBuckets) {
  std::vector<std::string> keys = {"0", "1", "3735928559", "18446744073709551615"};
  sim::Rng rng(5);
  for (int i = 0; i < 1000; ++i) keys.push_back(std::to_string(rng.next_u64()));
  const std::string file = write_keys("jump", keys);
  const SimRun r = sim({"--set", "strategy=jump", "--set", "buckets=1000", "--keys", file});
  ASSERT_EQ(r.rc, 0) << r.err;
  const auto table = rows(r.out);
  ASSERT_EQ(table.size(), keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i)
    EXPECT_EQ(table[i][1], std::to_string(PaperJump(std::stoull(keys[i]), 1000))) << keys[i];
}

TEST(ShardingCli, EveryStrategyPrintsOneLinePerKeyInOrder) {
  const std::string file = write_keys("all", {"b", "a", "b", "cart:9", "user:1"});
  for (const char* strategy : {"mod-n", "ring", "ketama", "rendezvous", "jump", "maglev", "range", "directory", "bounded"}) {
    const SimRun r = sim({"--set", std::string("strategy=") + strategy, "--keys", file});
    ASSERT_EQ(r.rc, 0) << strategy << ": " << r.err;
    const auto table = rows(r.out);
    ASSERT_EQ(table.size(), 5u) << strategy;
    EXPECT_EQ(table[0][0], "b");
    EXPECT_EQ(table[2][0], "b");
    EXPECT_EQ(table[0][1], table[2][1]) << strategy << ": a repeated key keeps its node";
  }
}

TEST(ShardingCli, ReplicasPrintDistinctNodes) {
  const std::string file = write_keys("replicas", {"x", "y", "z"});
  const SimRun r = sim({"--set", "strategy=ring", "--set", "node_count=4", "--set", "replicas=3", "--keys", file});
  ASSERT_EQ(r.rc, 0) << r.err;
  for (const auto& row : rows(r.out)) {
    const std::string& list = row[1];
    EXPECT_EQ(std::count(list.begin(), list.end(), ','), 2) << list;
  }
}

TEST(ShardingCli, OperationPrintsBeforeAndAfter) {
  std::vector<std::string> keys;
  for (int i = 0; i < 3000; ++i) keys.push_back("k" + std::to_string(i));
  const std::string file = write_keys("op", keys);
  const SimRun r = sim({"--set", "strategy=rendezvous", "--set", "node_count=4", "--set", "operation=add-node", "--keys", file});
  ASSERT_EQ(r.rc, 0) << r.err;
  int moved = 0;
  for (const auto& row : rows(r.out)) {
    ASSERT_EQ(row.size(), 3u);
    if (row[1] != row[2]) {
      ++moved;
      EXPECT_EQ(row[2], "10.0.0.5:11211");  // the generated fifth node
    }
  }
  EXPECT_NEAR(moved / 3000.0, 0.2, 0.03);
}

TEST(ShardingCli, JsonReportsMovementAgainstTheIdeal) {
  const SimRun r = sim({"--set", "strategy=ring", "--set", "node_count=9", "--set", "operation=add-node", "--set", "keys=20000",
                     "--set", "compare=mod-n", "--json"});
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_NE(r.out.find("\"ideal_fraction\":0.1,"), std::string::npos) << r.out.substr(0, 400);
  EXPECT_NE(r.out.find("\"moves_only_involve_changed_node\":true"), std::string::npos);
  EXPECT_NE(r.out.find("\"compare\":{\"strategy\":\"mod-n\""), std::string::npos);
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_EQ(r.out.front(), '{');
}

TEST(ShardingCli, BadInputIsAnErrorNamingTheProblem) {
  const std::string good = write_keys("good", {"a"});
  const std::string empty_line = write_keys("emptyline", {"a", "", "c"});
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"--set", "nodes=10.0.0.1:99999", "--keys", good}, "parameter 'nodes'"},
      {{"--set", "nodes=10.0.0.1:11211:0", "--keys", good}, "weight"},
      {{"--set", "nodes=a:1,a:1", "--keys", good}, "listed twice"},
      {{"--set", "strategy=consistent", "--keys", good}, "parameter 'strategy'"},
      {{"--set", "table_size=65536", "--keys", good}, "prime"},
      {{"--set", "strategy=maglev", "--set", "table_size=3", "--set", "node_count=5", "--keys", good}, "table_size"},
      {{"--set", "operation=remove-node", "--set", "target=7", "--keys", good}, "parameter 'target'"},
      {{"--set", "operation=split-hot-range", "--keys", good}, "strategy=range"},
      {{"--keys", empty_line}, ":2: empty key"},
      {{"--keys", "/nonexistent/keys.txt"}, "cannot read"},
      {{}, "--keys FILE is required"},
  };
  for (const auto& c : cases) {
    const SimRun r = sim(c.args);
    EXPECT_EQ(r.rc, 2) << c.message;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << "got: " << r.err;
  }
}

}  // namespace
}  // namespace scalebook::cli
