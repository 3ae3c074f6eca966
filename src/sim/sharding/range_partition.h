// range_partition.h — range partitioning on the key order (Bigtable tablets,
// HBase regions, CockroachDB ranges), with splitting of a hot range.
//
// What it models: the key space (byte-wise order) is cut into contiguous
// ranges [start_r, start_{r+1}); each range has one owner node. Built from a
// key sample, the cut points are equal-count quantiles sized by node weight
// (pre-splitting). Adding a node splits the range with the most keys at its
// median and hands the upper half to the new node; removing a node gives each
// of its ranges to the least-loaded survivor; a hot range is split at its
// request-weighted median and the upper half moves to the node with the
// least request load. A range holding one hot key cannot be split.
// Invariants: starts strictly increasing, starts[0] == "" (covers everything);
// owners[r] < node count.
// Not modelled: range merging, size-based splits, leases, range replication.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace scalebook::sim::sharding {

class RangePartition {
 public:
  // keys: the sample (any order, duplicates allowed); weights: one per node.
  void build(std::vector<std::string> keys, const std::vector<std::uint32_t>& weights);
  std::uint32_t node_for(std::string_view key, std::uint32_t* steps = nullptr) const;
  std::size_t range_of(std::string_view key, std::uint32_t* steps = nullptr) const;
  void add_node();                    // new node index = node_count()
  void remove_node(std::uint32_t node);
  // popularity[i] = request weight of sample key i (sorted order, see sample()).
  // Returns false when no range can be split (the hottest holds one key).
  bool split_hot_range(const std::vector<double>& popularity);
  const std::vector<std::string>& starts() const { return starts_; }
  const std::vector<std::uint32_t>& owners() const { return owners_; }
  const std::vector<std::string>& sample() const { return sample_; }
  std::uint32_t node_count() const { return nodes_; }

 private:
  std::size_t first_sample_at_or_after(std::string_view key) const;
  std::vector<std::string> starts_;
  std::vector<std::uint32_t> owners_;
  std::vector<std::string> sample_;  // sorted, distinct
  std::uint32_t nodes_ = 0;
};

}  // namespace scalebook::sim::sharding
