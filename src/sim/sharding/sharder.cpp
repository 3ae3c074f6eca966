#include "sim/sharding/sharder.h"

#include <algorithm>
#include <unordered_set>

#include "sim/sharding/hash.h"
#include "sim/sharding/jump.h"

namespace scalebook::sim::sharding {

namespace {
constexpr std::string_view kNames[] = {"mod-n", "ring",  "ketama",    "rendezvous", "jump",
                                       "maglev", "range", "directory", "bounded"};
}

std::string_view strategy_name(Strategy s) { return kNames[static_cast<int>(s)]; }

std::optional<Strategy> parse_strategy(std::string_view name) {
  for (Strategy s : kAllStrategies)
    if (strategy_name(s) == name) return s;
  return std::nullopt;
}

std::uint64_t jump_key(std::string_view key) {
  if (auto v = parse_decimal_u64(key)) return *v;
  return hash64(key);
}

Sharder::Sharder(ShardingDesc desc, std::vector<std::string> keys) : desc_(std::move(desc)) {
  if (desc_.nodes.empty()) desc_.nodes = generated_nodes(1);
  std::unordered_set<std::string> seen;
  seen.reserve(keys.size());
  for (auto& k : keys)
    if (seen.insert(k).second) keys_.push_back(std::move(k));
  rebuild();
  if (desc_.strategy == Strategy::Range) range_.build(keys_, weights());
  if (desc_.strategy == Strategy::Directory) {
    directory_.reset(weights());
    for (const auto& k : keys_) directory_.place(k);
  }
}

std::vector<std::uint32_t> Sharder::weights() const {
  std::vector<std::uint32_t> w;
  for (const auto& n : desc_.nodes) w.push_back(n.weight);
  return w;
}

void Sharder::rebuild() {
  switch (desc_.strategy) {
    case Strategy::ModN:
      slot_end_.clear();
      for (const auto& n : desc_.nodes) slot_end_.push_back((slot_end_.empty() ? 0 : slot_end_.back()) + n.weight);
      break;
    case Strategy::Ring: ring_.build(desc_.nodes, desc_.vnodes); break;
    case Strategy::Ketama: ketama_.build(desc_.nodes); break;
    case Strategy::Rendezvous: rendezvous_.build(desc_.nodes); break;
    case Strategy::Maglev: maglev_.build(desc_.nodes, desc_.table_size); break;
    case Strategy::Bounded:
      ring_.build(desc_.nodes, desc_.vnodes);
      bounded_.place(ring_, desc_.nodes, keys_, desc_.epsilon);
      break;
    case Strategy::Jump:
    case Strategy::Range:
    case Strategy::Directory: break;
  }
}

std::uint32_t Sharder::node_for(std::string_view key) const {
  if (desc_.strategy == Strategy::Ring) return ring_.node_for(hash64(key));
  return lookup(key).node;
}

Lookup Sharder::lookup(std::string_view key) const {
  Lookup r;
  switch (desc_.strategy) {
    case Strategy::ModN:
      r.node = static_cast<std::uint32_t>(
          std::upper_bound(slot_end_.begin(), slot_end_.end(), hash64(key) % slot_end_.back()) - slot_end_.begin());
      r.steps = 1;
      break;
    case Strategy::Ring: r.node = ring_.node_for(hash64(key), &r.steps); break;
    case Strategy::Ketama: r.node = ketama_.server_for(key, &r.steps); break;
    case Strategy::Rendezvous:
      r.node = rendezvous_.node_for(hash64(key));
      r.steps = static_cast<std::uint32_t>(desc_.nodes.size());
      break;
    case Strategy::Jump:
      r.node = static_cast<std::uint32_t>(
          jump_consistent_hash(jump_key(key), static_cast<std::int32_t>(desc_.nodes.size()), &r.steps));
      break;
    case Strategy::Maglev:
      r.node = maglev_.node_for(hash64(key));
      r.steps = 1;
      break;
    case Strategy::Range: r.node = range_.node_for(key, &r.steps); break;
    case Strategy::Directory:
      r.node = directory_.node_for(key);
      r.steps = 1;
      break;
    case Strategy::Bounded: r.node = bounded_.node_for(ring_, key, &r.steps); break;
  }
  return r;
}

std::vector<std::uint32_t> Sharder::preference_list(std::string_view key, std::uint32_t replicas) const {
  const auto n = static_cast<std::uint32_t>(desc_.nodes.size());
  replicas = std::min(std::max(replicas, 1u), n);
  const std::uint32_t primary = node_for(key);
  std::vector<std::uint32_t> out;
  switch (desc_.strategy) {
    case Strategy::Ring: return ring_.walk_distinct(hash64(key), replicas);
    case Strategy::Rendezvous: return rendezvous_.top(hash64(key), replicas);
    case Strategy::Ketama: {
      if (n == 1) return {0};
      const auto& pts = ketama_.points();
      std::vector<bool> seen(n, false);
      std::size_t i = ketama_.point_index(ketama_key_hash(key));
      for (std::size_t v = 0; v < pts.size() && out.size() < replicas; ++v, i = (i + 1) % pts.size())
        if (!seen[pts[i].server]) {
          seen[pts[i].server] = true;
          out.push_back(pts[i].server);
        }
      return out;
    }
    case Strategy::Bounded: {
      out.push_back(primary);
      for (std::uint32_t node : ring_.walk_distinct(hash64(key), n)) {
        if (out.size() == replicas) break;
        if (node != primary) out.push_back(node);
      }
      return out;
    }
    default:
      for (std::uint32_t k = 0; k < replicas; ++k) out.push_back((primary + k) % n);
      return out;
  }
}

void Sharder::add_node(Node node) {
  desc_.nodes.push_back(std::move(node));
  if (desc_.strategy == Strategy::Range) range_.add_node();
  if (desc_.strategy == Strategy::Directory) directory_.add_node(desc_.nodes.back().weight);
  rebuild();
}

void Sharder::remove_node(std::uint32_t index) {
  if (desc_.nodes.size() < 2 || index >= desc_.nodes.size()) return;
  desc_.nodes.erase(desc_.nodes.begin() + index);
  if (desc_.strategy == Strategy::Range) range_.remove_node(index);
  if (desc_.strategy == Strategy::Directory) directory_.remove_node(index);
  rebuild();
}

void Sharder::set_weight(std::uint32_t index, std::uint32_t weight) {
  if (index >= desc_.nodes.size() || weight == 0) return;
  desc_.nodes[index].weight = weight;
  if (desc_.strategy == Strategy::Range) range_.build(keys_, weights());  // re-partition by the new shares
  if (desc_.strategy == Strategy::Directory) directory_.set_weight(index, weight);
  rebuild();
}

bool Sharder::split_hot_range(const std::vector<double>& popularity) {
  if (desc_.strategy != Strategy::Range) return false;
  // Re-align popularity (arrival order) with the range sample (sorted order).
  std::vector<std::size_t> order(keys_.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return keys_[a] < keys_[b]; });
  std::vector<double> sorted(order.size(), 0.0);
  for (std::size_t i = 0; i < order.size(); ++i) sorted[i] = i < popularity.size() ? popularity[order[i]] : 0.0;
  return range_.split_hot_range(sorted);
}

}  // namespace scalebook::sim::sharding
