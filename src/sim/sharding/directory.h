// directory.h — a directory (lookup-table) service: an explicit key → node
// table, as in a metadata service or a placement driver.
//
// What it models: a new key is placed on the node with the lowest load per
// unit of weight (ties: lowest index). Membership changes move only what the
// directory decides to move: rebalance() computes each node's fair target
// (largest-remainder shares of the key count by weight) and moves the most
// recently placed keys from nodes above target to nodes below it, which is the
// minimum number of moves that reaches the targets. Removing a node places
// its keys on the least-loaded survivors.
// Invariants: every placed key has exactly one node; loads sum to the key count.
// Not modelled: the directory's own replication/availability, lookup latency,
// placement by size or heat rather than key count.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/sharding/key_table.h"

namespace scalebook::sim::sharding {

class Directory {
 public:
  void reset(std::vector<std::uint32_t> weights);
  std::uint32_t place(const std::string& key);  // existing key: its node; new key: least loaded
  // Node of a placed key, or where a new key would go.
  std::uint32_t node_for(std::string_view key) const;
  void add_node(std::uint32_t weight);
  void remove_node(std::uint32_t node);
  void set_weight(std::uint32_t node, std::uint32_t weight);
  void rebalance();
  const std::vector<std::uint64_t>& loads() const { return load_; }
  std::size_t size() const { return order_.size(); }

 private:
  std::uint32_t least_loaded(std::uint32_t excluded = UINT32_MAX) const;
  std::vector<std::uint32_t> weight_;
  std::vector<std::uint64_t> load_;
  std::vector<std::string> order_;  // keys in placement order
  std::unordered_map<std::string, std::uint32_t, KeyHash, std::equal_to<>> node_of_;
};

// Largest-remainder apportionment of `total` items by weight (ties: lower index).
std::vector<std::uint64_t> fair_targets(std::uint64_t total, const std::vector<std::uint32_t>& weights);

}  // namespace scalebook::sim::sharding
