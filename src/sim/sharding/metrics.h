// metrics.h — what a sharding experiment measures, and the membership
// operations whose key movement it measures.
//
// Load: keys and request share per node; max/mean and the coefficient of
// variation (σ/mean) of load per unit of weight (so a weight-2 node holding
// twice the keys counts as balanced); mean lookup cost in strategy steps.
// Movement: fraction of keys whose node (by name) changed, against the ideal
// for the operation — the new node's share w_new/W_after on add (K/(N+1) of
// K keys when weights are equal), the removed node's share on remove, the
// change of the node's share on a weight change — and whether every moved
// key went to the new node (add) or came from the removed one (remove).
// Not modelled: bytes moved (keys have no size), time to move.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "sim/sharding/sharder.h"
#include "sim/sharding/workload.h"

namespace scalebook::sim::sharding {

struct LoadStats {
  std::vector<std::uint64_t> keys{};    // per node
  std::vector<double> request_share{};  // per node, sums to 1
  double keys_max_over_mean = 0.0;
  double keys_cv = 0.0;
  double requests_max_over_mean = 0.0;
  double requests_cv = 0.0;
  double mean_lookup_steps = 0.0;
};

LoadStats load_stats(const Sharder& sharder, const Workload& workload);

enum class Operation { None, AddNode, RemoveNode, SetWeight, SplitHotRange };
std::string_view operation_name(Operation op);  // "none", "add-node", ...

struct OperationDesc {
  Operation op = Operation::None;
  std::uint32_t target = 0;      // remove-node / set-weight: node index
  std::uint32_t new_weight = 1;  // add-node (the new node's weight) / set-weight
  Node new_node{};               // add-node; empty host ⇒ the next generated name
};

// Applies `op`; returns the ideal moved fraction. Throws nothing: an invalid
// target (remove the last node, index out of range) leaves the sharder as is
// and returns 0 — callers validate first.
double apply_operation(Sharder& sharder, const OperationDesc& op, const Workload& workload);

struct MoveStats {
  std::uint64_t keys = 0;
  std::uint64_t moved = 0;
  double moved_fraction = 0.0;
  double ideal_fraction = 0.0;
  bool moves_only_involve_changed_node = true;  // add: all moves go to it; remove: all come from it
  std::vector<std::string> before{}, after{};   // node name per key
};

// Node identity (host:port name) per key of `keys` under `sharder`.
std::vector<std::string> assignment(const Sharder& sharder, const std::vector<std::string>& keys);

MoveStats move_stats(const std::vector<std::string>& before, const std::vector<std::string>& after,
                     double ideal_fraction, const OperationDesc& op, const std::string& changed_node);

// Name a node is printed with: host:port, or the bucket number under jump.
std::string node_label(const Sharder& sharder, std::uint32_t index);

}  // namespace scalebook::sim::sharding
