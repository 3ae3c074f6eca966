#include "sim/sharding/metrics.h"

#include <algorithm>
#include <cmath>

namespace scalebook::sim::sharding {

namespace {

// max/mean and σ/mean of values[i] / weight[i].
void spread(const std::vector<double>& values, const std::vector<Node>& nodes, double& max_over_mean, double& cv) {
  double total_w = 0.0, total_v = 0.0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    total_w += nodes[i].weight;
    total_v += values[i];
  }
  max_over_mean = cv = 0.0;
  if (total_v <= 0.0) return;
  const double mean_per_w = total_v / total_w;
  double var = 0.0, mx = 0.0;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const double rel = values[i] / nodes[i].weight / mean_per_w;  // 1.0 = exactly fair
    mx = std::max(mx, rel);
    var += nodes[i].weight * (rel - 1.0) * (rel - 1.0);
  }
  max_over_mean = mx;
  cv = std::sqrt(var / total_w);
}

}  // namespace

LoadStats load_stats(const Sharder& sharder, const Workload& workload) {
  const std::size_t n = sharder.nodes().size();
  LoadStats s;
  s.keys.assign(n, 0);
  s.request_share.assign(n, 0.0);
  double steps = 0.0;
  for (std::size_t i = 0; i < workload.keys.size(); ++i) {
    const Lookup r = sharder.lookup(workload.keys[i]);
    ++s.keys[r.node];
    s.request_share[r.node] += workload.popularity[i];
    steps += r.steps;
  }
  std::vector<double> key_counts(s.keys.begin(), s.keys.end());
  spread(key_counts, sharder.nodes(), s.keys_max_over_mean, s.keys_cv);
  spread(s.request_share, sharder.nodes(), s.requests_max_over_mean, s.requests_cv);
  s.mean_lookup_steps = workload.keys.empty() ? 0.0 : steps / static_cast<double>(workload.keys.size());
  return s;
}

std::string_view operation_name(Operation op) {
  switch (op) {
    case Operation::None: return "none";
    case Operation::AddNode: return "add-node";
    case Operation::RemoveNode: return "remove-node";
    case Operation::SetWeight: return "set-weight";
    case Operation::SplitHotRange: return "split-hot-range";
  }
  return "none";
}

double apply_operation(Sharder& sharder, const OperationDesc& op, const Workload& workload) {
  std::uint64_t total_w = 0;
  for (const auto& nd : sharder.nodes()) total_w += nd.weight;
  switch (op.op) {
    case Operation::None: return 0.0;
    case Operation::AddNode: {
      Node node = op.new_node;
      if (node.host.empty()) {
        // The first generated name not already in use.
        for (std::size_t i = sharder.nodes().size();; ++i) {
          node = generated_node(i);
          bool used = false;
          for (const auto& existing : sharder.nodes()) used = used || existing.name() == node.name();
          if (!used) break;
        }
        node.weight = op.new_weight;
      }
      const double w = node.weight;
      sharder.add_node(node);
      return w / static_cast<double>(total_w + node.weight);
    }
    case Operation::RemoveNode: {
      if (sharder.nodes().size() < 2 || op.target >= sharder.nodes().size()) return 0.0;
      const double w = sharder.nodes()[op.target].weight;
      sharder.remove_node(op.target);
      return w / static_cast<double>(total_w);
    }
    case Operation::SetWeight: {
      if (op.target >= sharder.nodes().size() || op.new_weight == 0) return 0.0;
      const double before = sharder.nodes()[op.target].weight / static_cast<double>(total_w);
      const double after = op.new_weight / static_cast<double>(total_w - sharder.nodes()[op.target].weight + op.new_weight);
      sharder.set_weight(op.target, op.new_weight);
      return std::fabs(after - before);
    }
    case Operation::SplitHotRange: sharder.split_hot_range(workload.popularity); return 0.0;
  }
  return 0.0;
}

std::string node_label(const Sharder& sharder, std::uint32_t index) {
  if (sharder.strategy() == Strategy::Jump) return std::to_string(index);
  return sharder.nodes()[index].name();
}

std::vector<std::string> assignment(const Sharder& sharder, const std::vector<std::string>& keys) {
  std::vector<std::string> out;
  out.reserve(keys.size());
  for (const auto& k : keys) out.push_back(sharder.nodes()[sharder.node_for(k)].name());
  return out;
}

MoveStats move_stats(const std::vector<std::string>& before, const std::vector<std::string>& after,
                     double ideal_fraction, const OperationDesc& op, const std::string& changed_node) {
  MoveStats m;
  m.keys = before.size();
  m.ideal_fraction = ideal_fraction;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] == after[i]) continue;
    ++m.moved;
    if (op.op == Operation::AddNode && after[i] != changed_node) m.moves_only_involve_changed_node = false;
    if (op.op == Operation::RemoveNode && before[i] != changed_node) m.moves_only_involve_changed_node = false;
  }
  m.moved_fraction = m.keys ? static_cast<double>(m.moved) / static_cast<double>(m.keys) : 0.0;
  m.before = before;
  m.after = after;
  return m;
}

}  // namespace scalebook::sim::sharding
