// sharder.h — one interface over every sharding strategy: which node holds a
// key, the replica preference list, and membership changes.
//
// Strategies (see each header for what it models and does not):
//   mod-n      hash64(key) mod W, W = total weight; node i owns the w_i slots after
//              the previous nodes' (Cache::Memcached-style buckets). Adding a node
//              reshuffles about N/(N+1) of the keys.
//   ring       consistent-hash ring, vnodes·weight points per node (hash_ring.h)
//   ketama     libmemcached's weighted ketama, bit-exact (ketama.h)
//   rendezvous highest random weight, weighted (rendezvous.h)
//   jump       Jump Consistent Hash; bucket b is node b (jump.h)
//   maglev     Maglev lookup table of prime size (maglev.h)
//   range      key-order ranges with splitting (range_partition.h)
//   directory  explicit key → node table (directory.h)
//   bounded    ring with bounded loads, capacity ⌈(1+ε)·mean⌉ (bounded_load.h)
// Keys: jump uses a key that is a decimal unsigned 64-bit integer as the
// 64-bit key itself and hash64(key) otherwise; ketama uses MD5 as
// libmemcached does; the others use hash64(key) (range uses the key's bytes).
// The stateful strategies (range, directory, bounded) are built from the key
// set given to the constructor (distinct keys, arrival order).
// Replication: ring/ketama/bounded walk clockwise collecting distinct nodes
// (Dynamo's preference list), rendezvous takes the top-R scores, the others
// take the primary then the following nodes in index order.
// Invariants: a Sharder is a plain value (copy = snapshot); node indexes are
// positions in nodes(); at least one node.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/sharding/bounded_load.h"
#include "sim/sharding/directory.h"
#include "sim/sharding/hash_ring.h"
#include "sim/sharding/ketama.h"
#include "sim/sharding/maglev.h"
#include "sim/sharding/node.h"
#include "sim/sharding/range_partition.h"
#include "sim/sharding/rendezvous.h"

namespace scalebook::sim::sharding {

enum class Strategy { ModN, Ring, Ketama, Rendezvous, Jump, Maglev, Range, Directory, Bounded };

inline constexpr Strategy kAllStrategies[] = {Strategy::ModN,   Strategy::Ring,  Strategy::Ketama,
                                              Strategy::Rendezvous, Strategy::Jump, Strategy::Maglev,
                                              Strategy::Range,  Strategy::Directory, Strategy::Bounded};

std::string_view strategy_name(Strategy s);  // "mod-n", "ring", "ketama", ...
std::optional<Strategy> parse_strategy(std::string_view name);

struct ShardingDesc {
  Strategy strategy = Strategy::Ring;
  std::vector<Node> nodes{};          // empty ⇒ one generated node
  std::uint32_t vnodes = 160;         // ring, bounded: points per unit of weight
  std::uint32_t table_size = 65537;   // maglev: prime, ≥ node count
  double epsilon = 0.25;              // bounded: capacity factor
};

struct Lookup {
  std::uint32_t node = 0;
  std::uint32_t steps = 0;  // work done: binary-search iterations, nodes scored, loop turns, points walked
};

class Sharder {
 public:
  explicit Sharder(ShardingDesc desc, std::vector<std::string> keys = {});

  Lookup lookup(std::string_view key) const;
  // lookup(key).node, without counting search steps (the ring then uses its bucket table).
  std::uint32_t node_for(std::string_view key) const;
  std::vector<std::uint32_t> preference_list(std::string_view key, std::uint32_t replicas) const;

  void add_node(Node node);
  void remove_node(std::uint32_t index);  // needs ≥ 2 nodes
  void set_weight(std::uint32_t index, std::uint32_t weight);
  // Range only: split the hottest range; popularity aligned with keys(). False if impossible.
  bool split_hot_range(const std::vector<double>& popularity);

  const std::vector<Node>& nodes() const { return desc_.nodes; }
  const ShardingDesc& desc() const { return desc_; }
  Strategy strategy() const { return desc_.strategy; }
  const std::vector<std::string>& keys() const { return keys_; }

  // Read-only views for drawing and tests.
  const HashRing& ring() const { return ring_; }
  const KetamaContinuum& ketama() const { return ketama_; }
  const MaglevTable& maglev() const { return maglev_; }
  const RangePartition& ranges() const { return range_; }
  const BoundedLoadPlacement& bounded() const { return bounded_; }

 private:
  void rebuild();  // recompute the stateless structures from desc_
  std::vector<std::uint32_t> weights() const;

  ShardingDesc desc_;
  std::vector<std::string> keys_;
  std::vector<std::uint64_t> slot_end_;  // mod-n: cumulative weights
  HashRing ring_;
  KetamaContinuum ketama_;
  Rendezvous rendezvous_;
  MaglevTable maglev_;
  RangePartition range_;
  Directory directory_;
  BoundedLoadPlacement bounded_;
};

// The 64-bit key jump uses for a textual key.
std::uint64_t jump_key(std::string_view key);

}  // namespace scalebook::sim::sharding
