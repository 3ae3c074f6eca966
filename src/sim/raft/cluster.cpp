// cluster.cpp — Cluster: Raft nodes over the network kernel (see cluster.h).
#include "sim/raft/cluster.h"

#include <cstdint>
#include <cstdlib>
#include <limits>

namespace scalebook::sim::raft {

namespace {

net::NetworkDesc network_desc(const ClusterDesc& d) {
  if (d.nodes == 0 || d.tick_us <= 0 || !(d.proposals_per_s >= 0)) std::abort();  // a caller bug
  net::NetworkDesc nd;
  nd.nodes = d.nodes;
  nd.seed = d.seed;
  nd.default_link = d.link;
  nd.fifo_links = d.fifo_links;
  return nd;
}

constexpr std::uint64_t kElectionStream = 0x7261'6674'454c'4543ull;  // the node's timeouts
constexpr std::uint64_t kClientStream = 0x7261'6674'434c'4e54ull;

}  // namespace

Cluster::Cluster(const ClusterDesc& desc)
    : desc_(desc), net_(network_desc(desc)), safety_(desc.nodes),
      client_rng_(Rng(desc.seed).split(kClientStream)), became_leader_seen_(desc.nodes, 0) {
  for (NodeId n = 0; n < desc.nodes; ++n) {
    Config cfg;
    cfg.id = n;
    cfg.voters = desc.nodes;
    cfg.election_tick = desc.election_tick;
    cfg.heartbeat_tick = desc.heartbeat_tick;
    cfg.pre_vote = desc.pre_vote;
    cfg.check_quorum = desc.check_quorum;
    cfg.max_inflight_msgs = desc.max_inflight_msgs;
    cfg.max_entries_per_msg = desc.max_entries_per_msg;
    nodes_.emplace_back(cfg, net_.rng(n).split(kElectionStream));
  }
  for (NodeId n = 0; n < desc.nodes; ++n) arm_first_tick(n);
  next_proposal_us_ = desc.proposals_per_s > 0 ? next_arrival_gap_us() : std::numeric_limits<std::int64_t>::max();
}

void Cluster::arm_first_tick(NodeId n) {
  const auto phase_us = static_cast<std::int64_t>(net_.rng(n).uniform_int(static_cast<std::uint64_t>(desc_.tick_us)));
  net_.set_timer_after(n, phase_us, kTickTimer);
}

std::int64_t Cluster::next_arrival_gap_us() {
  const double gap = client_rng_.exponential(1e6 / desc_.proposals_per_s);
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(gap + 0.5));
}

void Cluster::run_until(std::int64_t until_us) {
  for (;;) {
    const std::int64_t stop = std::min(until_us, next_proposal_us_);
    while (auto e = net_.step(stop)) {
      handle(*e);
      if (!safety_.ok()) return;  // stop at the first violation, with the clock at its event
    }
    if (stop != next_proposal_us_ || stop > until_us) return;
    client_propose();
    next_proposal_us_ += next_arrival_gap_us();
    if (!safety_.ok()) return;
  }
}

void Cluster::handle(const net::Event<Message>& e) {
  const NodeId n = e.node;
  if (e.kind == net::EventKind::Timer) {
    nodes_[n].tick();
    net_.set_timer_after(n, desc_.tick_us, kTickTimer);
  } else {
    nodes_[n].step(e.msg);
  }
  flush(n);
  after_event(n);
}

void Cluster::flush(NodeId n) {
  for (Message& m : nodes_[n].take_messages()) {
    const NodeId to = m.to;
    net_.send(n, to, std::move(m));
  }
}

void Cluster::after_event(NodeId n) {
  const Node& node = nodes_[n];
  digest_.add_byte('N');
  digest_.add_i64(net_.now_us());
  digest_.add_u64(n);
  digest_.add_byte(static_cast<std::uint8_t>(node.state()));
  digest_.add_u64(node.term());
  digest_.add_u64(node.lead());
  digest_.add_u64(node.log().last_index());
  digest_.add_u64(node.log().committed());
  if (node.stats().became_leader != became_leader_seen_[n]) {
    became_leader_seen_[n] = node.stats().became_leader;
    if (n != last_leader_) ++leader_changes_;
    last_leader_ = n;
    last_elected_us_ = net_.now_us();
  }
  safety_.observe(n, nodes_);
}

void Cluster::restart(NodeId n) {
  net_.restart(n);
  nodes_.at(n).restart();
  arm_first_tick(n);
  after_event(n);
}

bool Cluster::propose_to(NodeId n, std::uint64_t* data) {
  ++proposals_;
  const std::uint64_t id = next_data_++;
  if (data != nullptr) *data = id;
  if (!net_.up(n)) {
    ++proposals_dropped_;
    return false;
  }
  const bool ok = nodes_.at(n).propose(id);
  if (!ok) ++proposals_dropped_;
  flush(n);
  after_event(n);
  return ok;
}

void Cluster::client_propose() {
  const NodeId to = leader();
  if (to == kNone) {
    ++proposals_;
    ++proposals_dropped_;
    ++next_data_;
    return;
  }
  propose_to(to);
}

NodeId Cluster::leader() const {
  NodeId best = kNone;
  for (NodeId n = 0; n < size(); ++n) {
    if (!net_.up(n) || nodes_[n].state() != StateType::Leader) continue;
    if (best == kNone || nodes_[n].term() > nodes_[best].term()) best = n;
  }
  return best;
}

NodeView Cluster::view(NodeId n) const {
  const Node& node = nodes_.at(n);
  NodeView v;
  v.id = n;
  v.up = net_.up(n);
  v.state = node.state();
  v.term = node.term();
  v.vote = node.vote();
  v.lead = node.lead();
  v.last_index = node.log().last_index();
  v.last_term = node.log().last_term();
  v.commit = node.log().committed();
  v.applied = node.log().applied();
  return v;
}

std::vector<NodeView> Cluster::views() const {
  std::vector<NodeView> out;
  for (NodeId n = 0; n < size(); ++n) out.push_back(view(n));
  return out;
}

std::vector<FollowerView> Cluster::progress(NodeId leader) const {
  std::vector<FollowerView> out;
  const Node& node = nodes_.at(leader);
  if (node.state() != StateType::Leader) return out;
  for (NodeId n = 0; n < size(); ++n) {
    if (n == leader) continue;
    const Progress& pr = node.progress(n);
    out.push_back(FollowerView{n, pr.match, pr.next, pr.state, pr.is_paused(), pr.recent_active, pr.inflights.count()});
  }
  return out;
}

ClusterStats Cluster::stats() const {
  ClusterStats s;
  for (const Node& node : nodes_) {
    s.pre_campaigns += node.stats().pre_campaigns;
    s.campaigns += node.stats().campaigns;
    s.leaders_elected += node.stats().became_leader;
  }
  s.leader_changes = leader_changes_;
  s.proposals = proposals_;
  s.proposals_dropped = proposals_dropped_;
  s.committed_index = safety_.committed_index();
  s.committed_proposals = safety_.committed_proposals();
  s.last_elected_us = last_elected_us_;
  s.last_elected = last_leader_;
  return s;
}

TraceDigest Cluster::digest() const {
  TraceDigest d = digest_;
  d.add_u64(net_.digest().value());
  return d;
}

}  // namespace scalebook::sim::raft
