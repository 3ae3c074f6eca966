// cluster.h — N Raft nodes (raft.h) on the network kernel (sim/net/network.h), ticking,
// taking client proposals and suffering the faults a reader applies between runs.
//
// Models:
//  - N nodes (3 or 5 in the book; any N >= 1 works), all voters, each a Node with the
//    desc's options; every node ticks every tick_us (etcd: --heartbeat-interval, 100 ms
//    by default, is one tick; --election-timeout 1000 ms is ElectionTick 10), starting
//    at its own phase in [0, tick_us) so that nodes do not tick in lockstep.
//  - Messages go over the network: each Ready's messages are sent the moment the input
//    that produced them is handled (storage is instant; see raft.h). fifo_links (on by
//    default) stands for etcd's TCP streams between peers.
//  - A client proposes at proposals_per_s (Poisson arrivals) to the current leader — the
//    up node in state leader with the highest term, as a client that follows leader hints
//    would find it; with none, the proposal is dropped and counted. propose_to() proposes
//    to a chosen node instead (a stale leader accepts; a follower forwards over the
//    network; a candidate drops). Proposal data are 1, 2, 3, ...
//  - Faults, applied between run_until() calls through the network kernel: crash(n) (the
//    process stops; messages to it are lost, its timers die), restart(n) (Node::restart:
//    term, vote, log, commit and applied survive, as etcd's WAL and state machine keep
//    them; it ticks again at a fresh phase), partition/isolate/heal (links.h semantics:
//    messages in flight across a cut are lost).
//  - After every event the SafetyChecker (safety.h) observes the node that handled it;
//    run_until() stops at the first violation (now_us() is then that event's time), so a
//    broken invariant is reported before a model bug can reach one of etcd's panics.
// Exposed for a view: per node up/state/term/vote/lead/log length/commit/applied, the
// leader's per-follower match/next/progress state, counts of (pre-)elections, leaders
// elected, leader changes, proposals, committed entries, and the digest.
// DETERMINISM: a run is a pure function of (desc, the sequence of calls). Streams: the
// network's own per-node link streams; per node, the tick phase from net.rng(n) and the
// election timeouts from a split of it; the client's arrivals from a split of the seed.
// TIE RULES: the network's (events at one microsecond in the order they were scheduled);
// a proposal due at t is made after every network event due at or before t.
// A Cluster is a value: a copy is a snapshot that runs on independently.
// digest(): the network's digest (every delivery with its message, timer, drop, fault)
// and, after each event, the handling node's (state, term, lead, last index, commit).
// Not modelled: client retries, read requests, a client's own network hop (proposals are
// stepped straight into the node), disk latency, membership changes.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/rng.h"
#include "sim/net/network.h"
#include "sim/raft/raft.h"
#include "sim/raft/safety.h"

namespace scalebook::sim::raft {

struct ClusterDesc {
  std::uint32_t nodes = 5;
  std::uint64_t seed = 1;
  std::int64_t tick_us = 100'000;  // etcd --heartbeat-interval 100 ms
  int election_tick = 10;          // etcd --election-timeout 1000 ms / 100 ms
  int heartbeat_tick = 1;
  bool pre_vote = true;            // etcd server passes its --pre-vote flag (default true)
  bool check_quorum = true;        // etcd server always sets CheckQuorum
  std::uint32_t max_inflight_msgs = 512;  // etcd server's maxInflightMsgs (4096 / 8)
  std::uint32_t max_entries_per_msg = 64;
  double proposals_per_s = 20.0;   // 0: no client
  net::LinkDesc link;              // 1 ms constant, lossless
  bool fifo_links = true;
};

struct NodeView {
  NodeId id = 0;
  bool up = true;
  StateType state = StateType::Follower;
  Term term = 0;
  NodeId vote = kNone;
  NodeId lead = kNone;
  Index last_index = 0;
  Term last_term = 0;
  Index commit = 0;
  Index applied = 0;
};

struct FollowerView {
  NodeId id = 0;
  Index match = 0, next = 0;
  ProgressState state = ProgressState::Probe;
  bool paused = false;
  bool recent_active = false;
  std::uint32_t inflight = 0;
};

struct ClusterStats {
  std::uint64_t pre_campaigns = 0, campaigns = 0;  // pre-elections and elections started
  std::uint64_t leaders_elected = 0;  // elections won (a re-elected node counts again)
  std::uint64_t leader_changes = 0;   // won by a node other than the previous winner (the first counts)
  std::uint64_t proposals = 0, proposals_dropped = 0;
  Index committed_index = 0;         // the highest index any node has seen committed
  std::uint64_t committed_proposals = 0;
  std::int64_t last_elected_us = -1;  // when the latest election was won (-1: none yet)
  NodeId last_elected = kNone;        // by whom
};

class Cluster {
 public:
  static constexpr std::uint64_t kTickTimer = 1;

  explicit Cluster(const ClusterDesc& desc);  // aborts on nodes == 0, tick_us <= 0, rate < 0

  void run_until(std::int64_t until_us);
  std::int64_t now_us() const { return net_.now_us(); }

  // Faults (between run_until calls).
  void crash(NodeId n) { net_.crash(n); }
  void restart(NodeId n);
  void partition(const std::vector<NodeId>& a, const std::vector<NodeId>& b) { net_.partition(a, b); }
  void isolate(const std::vector<NodeId>& group) { net_.isolate(group); }
  void heal() { net_.heal(); }
  // A proposal straight into node n; false if n is down or dropped it. `data` receives the
  // proposal's id when given.
  bool propose_to(NodeId n, std::uint64_t* data = nullptr);

  // Views.
  std::uint32_t size() const { return static_cast<std::uint32_t>(nodes_.size()); }
  bool up(NodeId n) const { return net_.up(n); }
  NodeView view(NodeId n) const;
  std::vector<NodeView> views() const;
  NodeId leader() const;  // the up leader with the highest term, kNone if none
  std::vector<FollowerView> progress(NodeId leader) const;  // empty unless it leads
  const Node& node(NodeId n) const { return nodes_.at(n); }
  const std::vector<Node>& nodes() const { return nodes_; }
  ClusterStats stats() const;
  const SafetyChecker& safety() const { return safety_; }
  const net::Network<Message>& network() const { return net_; }
  const ClusterDesc& desc() const { return desc_; }
  TraceDigest digest() const;

 private:
  void handle(const net::Event<Message>& e);
  void flush(NodeId n);
  void after_event(NodeId n);
  void arm_first_tick(NodeId n);
  void client_propose();
  std::int64_t next_arrival_gap_us();

  ClusterDesc desc_;
  net::Network<Message> net_;
  std::vector<Node> nodes_;
  SafetyChecker safety_;
  Rng client_rng_;
  std::int64_t next_proposal_us_;
  std::uint64_t next_data_ = 1;
  std::uint64_t proposals_ = 0, proposals_dropped_ = 0;
  std::vector<std::uint64_t> became_leader_seen_;
  NodeId last_leader_ = kNone;
  std::int64_t last_elected_us_ = -1;
  std::uint64_t leader_changes_ = 0;
  TraceDigest digest_;
};

}  // namespace scalebook::sim::raft
