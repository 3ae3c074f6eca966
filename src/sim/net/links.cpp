#include "sim/net/links.h"

namespace scalebook::sim::net {

LinkTable::LinkTable(std::uint32_t nodes, const LinkDesc& default_link)
    : nodes_(nodes),
      default_(default_link),
      cut_(std::size_t{nodes} * nodes, 0),
      restored_at_(std::size_t{nodes} * nodes, 0) {}

const LinkDesc& LinkTable::link(NodeId from, NodeId to) const {
  auto it = overrides_.find(index(from, to));
  return it == overrides_.end() ? default_ : it->second;
}

void LinkTable::set_link(NodeId from, NodeId to, const LinkDesc& d) { overrides_[index(from, to)] = d; }
void LinkTable::clear_link(NodeId from, NodeId to) { overrides_.erase(index(from, to)); }

void LinkTable::set_cut(NodeId from, NodeId to, bool cut) {
  if (from == to) return;
  const std::size_t i = index(from, to);
  if ((cut_[i] != 0) == cut) return;
  cut_[i] = cut ? 1 : 0;
  if (cut) {
    ++cut_count_;
  } else {
    --cut_count_;
    restored_at_[i] = version_;
  }
}

void LinkTable::cut(NodeId from, NodeId to) {
  ++version_;
  set_cut(from, to, true);
}

void LinkTable::restore(NodeId from, NodeId to) {
  ++version_;
  set_cut(from, to, false);
}

void LinkTable::partition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b) {
  ++version_;
  for (NodeId a : side_a) {
    for (NodeId b : side_b) {
      set_cut(a, b, true);
      set_cut(b, a, true);
    }
  }
}

void LinkTable::isolate(const std::vector<NodeId>& group) {
  std::vector<std::uint8_t> in_group(nodes_, 0);
  for (NodeId g : group) in_group[check(g)] = 1;
  std::vector<NodeId> rest;
  for (NodeId n = 0; n < nodes_; ++n) {
    if (in_group[n] == 0) rest.push_back(n);
  }
  partition(group, rest);
}

void LinkTable::heal() {
  ++version_;
  for (NodeId a = 0; a < nodes_; ++a) {
    for (NodeId b = 0; b < nodes_; ++b) set_cut(a, b, false);
  }
}

}  // namespace scalebook::sim::net
