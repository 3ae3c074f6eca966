#include "sim/sharding/rebalance.h"

#include <algorithm>
#include <numeric>

#include "sim/sharding/hash.h"

namespace scalebook::sim::sharding {

namespace {

// Arcs of a sorted circle of points: point i owns (p[i-1], p[i]], the first owns the wrap.
template <class Points, class Unit, class Owner>
std::vector<CircleArc> arcs_of(const Points& pts, Unit unit, Owner owner, const RebalanceDesc& d) {
  std::vector<CircleArc> out;
  if (pts.empty() || pts.size() > d.max_circle_points) return out;
  double start = 0.0;
  for (const auto& p : pts) {
    const double u = unit(p);
    const std::uint32_t c = owner(p);
    if (!out.empty() && out.back().column == c)
      out.back().u1 = u;
    else
      out.push_back({start, u, c});
    start = u;
  }
  // The wrap: from the last point round to the first belongs to the first point's owner.
  const std::uint32_t first = owner(pts.front());
  if (out.back().column == first)
    out.back().u1 = 1.0;
  else
    out.push_back({start, 1.0, first});
  if (out.size() > d.max_arcs) out.clear();
  return out;
}

std::vector<CircleArc> arcs_for(const Sharder& s, const std::vector<std::uint32_t>& column_of_node,
                                const RebalanceDesc& d) {
  if (s.strategy() == Strategy::Ketama)
    return arcs_of(s.ketama().points(), [](const KetamaPoint& p) { return p.value * 0x1.0p-32; },
                   [&](const KetamaPoint& p) { return column_of_node[p.server]; }, d);
  if (s.strategy() == Strategy::Ring || s.strategy() == Strategy::Bounded)
    return arcs_of(s.ring().points(), [](const RingPoint& p) { return static_cast<double>(p.position) * 0x1.0p-64; },
                   [&](const RingPoint& p) { return column_of_node[p.node]; }, d);
  return {};
}

std::uint32_t find_column(const std::vector<std::string>& columns, const std::string& name) {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == name) return static_cast<std::uint32_t>(i);
  return kNoColumn;
}

}  // namespace

double circle_position(Strategy strategy, std::string_view key) {
  return strategy == Strategy::Ketama ? ketama_key_hash(key) * 0x1.0p-32 : static_cast<double>(hash64(key)) * 0x1.0p-64;
}

std::size_t Rebalance::sample_moved() const {
  std::size_t n = 0;
  for (std::size_t k = 0; k < from.size(); ++k) n += from[k] != to[k];
  return n;
}

Rebalance rebalance(const RebalanceDesc& desc, const Workload& w) {
  Rebalance r;
  r.strategy = desc.sharding.strategy;
  r.op = desc.op.op;
  const OperationDesc& op = desc.op;
  Sharder s(desc.sharding, w.keys);
  r.nodes_before = s.nodes();
  for (const auto& n : r.nodes_before) r.columns.push_back(n.name());
  std::vector<std::uint32_t> col_of_before(r.nodes_before.size());
  std::iota(col_of_before.begin(), col_of_before.end(), 0u);
  r.load_before = load_stats(s, w);
  r.arcs_before = arcs_for(s, col_of_before, desc);
  r.ketama_points_before = s.ketama().points().size();
  std::vector<std::string> names_before;
  if (op.op != Operation::None) names_before = assignment(s, w.keys);
  for (std::size_t k : desc.sample) {
    r.from.push_back(s.node_for(w.keys[k]));  // column index = node index before
    r.position.push_back(circle_position(r.strategy, w.keys[k]));
  }
  if (op.op == Operation::RemoveNode || op.op == Operation::SetWeight) r.changed_node = s.nodes()[op.target].name();
  double ideal = 0;
  if (op.op == Operation::SplitHotRange)
    r.split = s.split_hot_range(w.popularity);
  else
    ideal = apply_operation(s, op, w);
  if (op.op == Operation::AddNode) r.changed_node = s.nodes().back().name();
  r.nodes_after = s.nodes();
  std::vector<std::uint32_t> col_of_after(r.nodes_after.size());
  for (std::size_t i = 0; i < r.nodes_after.size(); ++i) {
    std::uint32_t c = find_column(r.columns, r.nodes_after[i].name());
    if (c == kNoColumn) {
      c = static_cast<std::uint32_t>(r.columns.size());
      r.columns.push_back(r.nodes_after[i].name());
    }
    col_of_after[i] = c;
  }
  r.node_before.assign(r.columns.size(), kNoColumn);
  r.node_after.assign(r.columns.size(), kNoColumn);
  for (std::size_t i = 0; i < r.nodes_before.size(); ++i) r.node_before[i] = static_cast<std::uint32_t>(i);
  for (std::size_t i = 0; i < r.nodes_after.size(); ++i) r.node_after[col_of_after[i]] = static_cast<std::uint32_t>(i);
  r.changed_column = find_column(r.columns, r.changed_node);
  if (op.op == Operation::None) {  // nothing changed: after = before
    r.load_after = r.load_before;
    r.arcs_after = r.arcs_before;
    r.moves.keys = w.keys.size();  // none moved
  } else {
    r.load_after = load_stats(s, w);
    r.arcs_after = arcs_for(s, col_of_after, desc);
    r.moves = move_stats(names_before, assignment(s, w.keys), ideal, op, r.changed_node);
  }
  r.ketama_points_after = s.ketama().points().size();
  r.moves.before.clear();
  r.moves.after.clear();
  for (std::size_t k : desc.sample) r.to.push_back(col_of_after[s.node_for(w.keys[k])]);
  return r;
}

std::vector<std::size_t> sample_keys(const Workload& w, std::size_t max, std::size_t hot) {
  const std::size_t total = w.keys.size(), n = std::min(max, total);
  std::vector<std::size_t> out;
  if (hot > 0) {
    std::vector<std::size_t> order(total);
    std::iota(order.begin(), order.end(), std::size_t{0});
    const std::size_t h = std::min({hot, total, n});
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(h), order.end(),
                      [&](std::size_t a, std::size_t b) {
                        return w.popularity[a] != w.popularity[b] ? w.popularity[a] > w.popularity[b] : a < b;
                      });
    out.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(h));
  }
  const std::size_t hot_count = out.size();
  for (std::size_t i = 0; i < total && out.size() < n; ++i)
    if (std::find(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(hot_count), i) ==
        out.begin() + static_cast<std::ptrdiff_t>(hot_count))
      out.push_back(i);
  return out;
}

ColumnSlots column_slots(const std::vector<std::uint32_t>& from, const std::vector<std::uint32_t>& to,
                         std::size_t cols) {
  ColumnSlots c;
  const std::size_t n = from.size();
  c.slot_from.assign(n, 0);
  c.slot_to.assign(n, 0);
  c.leave_rank.assign(n, 0.0f);
  std::vector<std::uint32_t> stayers(cols, 0);
  for (std::size_t k = 0; k < n; ++k)
    if (from[k] == to[k]) c.slot_from[k] = c.slot_to[k] = stayers[from[k]]++;
  c.count_before = stayers;
  c.count_after = stayers;
  std::vector<std::size_t> movers;
  for (std::size_t k = 0; k < n; ++k)
    if (from[k] != to[k]) movers.push_back(k);
  c.moved = movers.size();
  // Leavers above the stayers by destination; arrivals above the stayers by source.
  std::stable_sort(movers.begin(), movers.end(), [&](std::size_t a, std::size_t b) { return to[a] < to[b]; });
  for (std::size_t k : movers) c.slot_from[k] = c.count_before[from[k]]++;
  std::stable_sort(movers.begin(), movers.end(), [&](std::size_t a, std::size_t b) { return from[a] < from[b]; });
  for (std::size_t k : movers) c.slot_to[k] = c.count_after[to[k]]++;
  for (std::size_t k : movers) {
    const std::uint32_t top = c.count_before[from[k]];
    c.leave_rank[k] = top > 1 ? static_cast<float>(top - 1 - c.slot_from[k]) / static_cast<float>(top - 1) : 0.0f;
  }
  for (std::size_t i = 0; i < cols; ++i) c.max_count = std::max({c.max_count, c.count_before[i], c.count_after[i]});
  return c;
}

}  // namespace scalebook::sim::sharding
