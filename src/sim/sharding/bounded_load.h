// bounded_load.h — consistent hashing with bounded loads (Mirrokni, Thorup &
// Zadimoghaddam, SODA 2018; used by Google Cloud Pub/Sub and HAProxy).
//
// What it models: a ring with virtual nodes (HashRing) plus a capacity per
// node, ⌈(1 + ε)·m·w_i / W⌉ for m keys (the paper's ⌈(1 + ε)·m/n⌉ when all
// weights are equal). Keys are placed in arrival order: a key starts at its
// ring position and walks clockwise to the first node that still has room.
// After a membership or weight change every key is placed again in the same
// order (that is the algorithm; the moves it causes are what the metrics show).
// Invariants: no node ever holds more than its capacity; with ε ≥ 0 the total
// capacity is ≥ m, so every key finds a node.
// Not modelled: the paper's dynamic insert/delete sequence analysis, request
// (rather than key) loads.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "sim/sharding/key_table.h"

#include "sim/sharding/hash_ring.h"

namespace scalebook::sim::sharding {

// ⌈(1 + ε)·m·w / W⌉, computed so that exact integers do not round up by one.
std::uint64_t bounded_capacity(double epsilon, std::uint64_t keys, std::uint32_t weight, std::uint64_t total_weight);

class BoundedLoadPlacement {
 public:
  // Places `keys` (distinct, arrival order) on `ring`'s nodes.
  void place(const HashRing& ring, const std::vector<Node>& nodes, const std::vector<std::string>& keys, double epsilon);
  // Node of a placed key; for an unknown key, where it would go now. `steps` counts
  // the binary search plus the points walked (for a placed key: when it was placed).
  std::uint32_t node_for(const HashRing& ring, std::string_view key, std::uint32_t* steps = nullptr) const;
  const std::vector<std::uint64_t>& loads() const { return load_; }
  const std::vector<std::uint64_t>& capacities() const { return capacity_; }

 private:
  std::uint32_t walk(const HashRing& ring, std::uint64_t hash, std::uint32_t* steps) const;
  std::vector<std::uint64_t> load_, capacity_;
  struct Placed {
    std::uint32_t node = 0;
    std::uint32_t steps = 0;  // search + walk when it was placed
  };
  std::unordered_map<std::string, Placed, KeyHash, std::equal_to<>> node_of_;
};

}  // namespace scalebook::sim::sharding
