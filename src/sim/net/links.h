// links.h — the links between N nodes: per-link latency/loss, and which links are cut.
//
// Models:
//  - Every ordered pair (from, to) is a directed link. Its LinkDesc is the per-link
//    override if one was set, else the default link (changeable at run time; a change
//    affects messages sent afterwards).
//  - Partitions as cut directed links. cut()/restore() act on one direction (an
//    asymmetric partition); partition(a, b) cuts both directions between every node
//    of a and every node of b and leaves other links alone (a node in neither side
//    still talks to both: a "bridge"); isolate(g) is partition(g, everyone else).
//    Cuts accumulate until restored; heal() restores every link.
//  - A version counter that bumps on every operation that cuts or restores a link,
//    and, per link, the version at which it was last restored. intact_since(v) asks
//    "has this link been up continuously since version v?", which is how the network
//    drops a message whose link was cut at any moment of its flight, even if it was
//    healed again before the message arrived.
//
// Node ids are 0..nodes-1; any other id aborts (a caller bug, never silently ignored).
// Invariants: a node is never cut from itself; connected(a, b) is independent of
// connected(b, a); version() never decreases.
// Not modelled: routes or multi-hop paths (a link is one hop), partial degradation
// (use a lossy override instead). Memory: two dense N×N tables, meant for up to a
// few hundred nodes.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <map>
#include <vector>

#include "sim/net/latency.h"

namespace scalebook::sim::net {

using NodeId = std::uint32_t;

class LinkTable {
 public:
  LinkTable(std::uint32_t nodes, const LinkDesc& default_link);

  std::uint32_t nodes() const { return nodes_; }
  // Returns n; aborts if n >= nodes().
  NodeId check(NodeId n) const {
    if (n >= nodes_) std::abort();
    return n;
  }

  // Latency and loss.
  const LinkDesc& link(NodeId from, NodeId to) const;
  const LinkDesc& default_link() const { return default_; }
  void set_default_link(const LinkDesc& d) { default_ = d; }
  void set_link(NodeId from, NodeId to, const LinkDesc& d);  // one direction
  void clear_link(NodeId from, NodeId to);                   // back to the default

  // Connectivity.
  bool connected(NodeId from, NodeId to) const { return cut_[index(from, to)] == 0; }
  void cut(NodeId from, NodeId to);
  void restore(NodeId from, NodeId to);
  void partition(const std::vector<NodeId>& side_a, const std::vector<NodeId>& side_b);
  void isolate(const std::vector<NodeId>& group);
  void heal();
  std::uint64_t cut_links() const { return cut_count_; }

  std::uint64_t version() const { return version_; }
  // Connected now and not restored after `version` (so not cut at any time since).
  bool intact_since(NodeId from, NodeId to, std::uint64_t version) const {
    const std::size_t i = index(from, to);
    return cut_[i] == 0 && restored_at_[i] <= version;
  }

 private:
  // Node ids must be < nodes(): a bad id is a caller's bug, so it aborts rather than
  // corrupt a neighbour's row.
  std::size_t index(NodeId from, NodeId to) const { return std::size_t{check(from)} * nodes_ + check(to); }
  void set_cut(NodeId from, NodeId to, bool cut);  // under the current version_
  std::uint32_t nodes_;
  LinkDesc default_;
  std::map<std::size_t, LinkDesc> overrides_;
  std::vector<std::uint8_t> cut_;
  std::vector<std::uint64_t> restored_at_;
  std::uint64_t cut_count_ = 0;
  std::uint64_t version_ = 0;
};

}  // namespace scalebook::sim::net
