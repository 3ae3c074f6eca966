// cluster.cpp — Cluster: leaderless quorum replication over the network kernel (see cluster.h).
#include "sim/quorum/cluster.h"

#include <algorithm>
#include <cstdlib>
#include <limits>

namespace scalebook::sim::quorum {

namespace {

constexpr std::uint64_t kClientStream = 0x5155'4f52'434c'4e54ull;  // "QUORCLNT"
constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

net::NetworkDesc network_desc(const ClusterDesc& d) {
  const bool bad = d.nodes == 0 || d.n == 0 || d.n > d.nodes || d.r == 0 || d.r > d.n || d.w == 0 ||
                   d.w > d.n || d.write_timeout_us <= 0 || d.read_timeout_us <= 0 ||
                   d.hint_replay_interval_us <= 0 || !(d.writes_per_s >= 0) || !(d.reads_per_s >= 0) ||
                   ((d.writes_per_s > 0 || d.reads_per_s > 0) && d.keys == 0);
  if (bad) std::abort();  // a caller bug
  net::NetworkDesc nd;
  nd.nodes = d.nodes;
  nd.seed = d.seed;
  nd.default_link = d.link;
  nd.fifo_links = d.fifo_links;
  return nd;
}

std::uint64_t timer_tag(OpId id) { return (id << 2) | Cluster::kOpTimeoutTimer; }

}  // namespace

const char* to_string(Outcome o) {
  switch (o) {
    case Outcome::kPending: return "pending";
    case Outcome::kOk: return "ok";
    case Outcome::kTimeout: return "timeout";
    case Outcome::kUnavailable: return "unavailable";
    case Outcome::kCoordinatorLost: return "coordinator lost";
  }
  return "?";
}

// [SECTION] Construction and the loop

Cluster::Cluster(const ClusterDesc& desc)
    : desc_(desc), ring_(desc.nodes, desc.tokens_per_node), net_(network_desc(desc)), nodes_(desc.nodes),
      client_rng_(Rng(desc.seed).split(kClientStream)), next_arrival_us_(kNever) {
  if (desc_.hinted_handoff) {
    for (NodeId n = 0; n < desc_.nodes; ++n) {
      const auto phase = static_cast<std::int64_t>(
          net_.rng(n).uniform_int(static_cast<std::uint64_t>(desc_.hint_replay_interval_us)));
      arm_hint_timer(n, phase);
    }
  }
  if (desc_.writes_per_s + desc_.reads_per_s > 0) next_arrival_us_ = next_gap_us();
}

std::int64_t Cluster::next_gap_us() {
  const double gap = client_rng_.exponential(1e6 / (desc_.writes_per_s + desc_.reads_per_s));
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(gap + 0.5));
}

void Cluster::run_until(std::int64_t until_us) {
  for (;;) {
    // Recomputed after every event: a handler may schedule a client op (a probe read).
    const std::int64_t next_sched = scheduled_.empty() ? kNever : scheduled_.next_time_us();
    const std::int64_t next_client = std::min(next_sched, next_arrival_us_);
    const std::int64_t stop = std::min(until_us, next_client);
    if (auto e = net_.step(stop)) {
      handle(*e);
      drain_local();
      continue;
    }
    if (next_client > until_us) return;
    while (!scheduled_.empty() && scheduled_.next_time_us() <= stop) {
      const ClientOp c = scheduled_.pop().payload;
      start(c.kind, c.key, c.coordinator, c.probe_of, c.probe_delay_us);
      drain_local();
    }
    if (next_arrival_us_ <= stop) {
      workload_arrival();
      drain_local();
      next_arrival_us_ += next_gap_us();
    }
  }
}

void Cluster::workload_arrival() {
  const double total = desc_.writes_per_s + desc_.reads_per_s;
  const bool is_write = client_rng_.uniform01() * total < desc_.writes_per_s;
  const Key k = client_rng_.uniform_int(desc_.keys);
  start(is_write ? OpKind::kWrite : OpKind::kRead, k, kNoNode, 0, 0);
}

NodeId Cluster::pick_coordinator() {
  std::vector<NodeId> up_nodes;
  for (NodeId n = 0; n < desc_.nodes; ++n) {
    if (net_.up(n)) up_nodes.push_back(n);
  }
  if (up_nodes.empty()) return kNoNode;
  return up_nodes[client_rng_.uniform_int(up_nodes.size())];
}

bool Cluster::reachable(NodeId from, NodeId to) const {
  if (from == to) return net_.up(to);
  if (!desc_.failure_detector) return true;
  return net_.up(to) && net_.connected(from, to) && net_.connected(to, from);
}

// [SECTION] Client operations

OpId Cluster::write(Key key, NodeId coordinator) {
  const OpId id = start(OpKind::kWrite, key, coordinator, 0, 0);
  drain_local();
  return id;
}

OpId Cluster::read(Key key, NodeId coordinator) {
  const OpId id = start(OpKind::kRead, key, coordinator, 0, 0);
  drain_local();
  return id;
}

void Cluster::schedule_write(std::int64_t at_us, Key key, NodeId coordinator) {
  scheduled_.push(std::max(at_us, now_us()), ClientOp{OpKind::kWrite, key, coordinator, 0, 0});
}

void Cluster::schedule_read(std::int64_t at_us, Key key, NodeId coordinator) {
  scheduled_.push(std::max(at_us, now_us()), ClientOp{OpKind::kRead, key, coordinator, 0, 0});
}

OpId Cluster::write_with_probes(Key key, NodeId coordinator, const std::vector<std::int64_t>& probe_delays_us,
                               NodeId probe_coordinator) {
  const OpId id = start(OpKind::kWrite, key, coordinator, 0, 0);
  // Not finished yet unless unavailable: its own local ack is only handled by drain_local().
  auto it = pending_.find(id);
  if (it != pending_.end()) {
    it->second.probe_delays_us = probe_delays_us;
    it->second.probe_coordinator = probe_coordinator;
  }
  drain_local();
  return id;
}

OpId Cluster::start(OpKind kind, Key key, NodeId coordinator, OpId probe_of, std::int64_t probe_delay_us) {
  if (coordinator == kNoNode) coordinator = pick_coordinator();
  const OpId id = ops_.size() + 1;
  OpRecord rec;
  rec.id = id;
  rec.kind = kind;
  rec.key = key;
  rec.coordinator = coordinator == kNoNode ? 0 : coordinator;
  rec.start_us = now_us();
  rec.probe_of = probe_of;
  rec.probe_delay_us = probe_delay_us;
  if (kind == OpKind::kRead) {
    auto la = latest_acked_.find(key);
    if (la != latest_acked_.end()) rec.required = la->second;
  } else {
    rec.version = Version{now_us(), id};
  }
  ops_.push_back(rec);
  OpCounts& counts = kind == OpKind::kWrite ? stats_.writes : stats_.reads;
  ++counts.issued;
  if (coordinator == kNoNode || !net_.up(net_.links().check(coordinator))) {
    finish(id, Outcome::kCoordinatorLost, Version{});
    return id;
  }
  Pending& p = pending_[id];
  p.id = id;
  p.coordinator = coordinator;
  if (kind == OpKind::kWrite) {
    start_write(p, ops_[id - 1]);
  } else {
    start_read(p, ops_[id - 1]);
  }
  return id;
}

void Cluster::start_write(Pending& p, OpRecord& rec) {
  const std::vector<NodeId> pref = ring_.preference_list(rec.key);
  std::size_t standby = desc_.n;
  std::uint32_t countable = 0;
  for (std::uint32_t i = 0; i < desc_.n; ++i) {
    const NodeId h = pref[i];
    if (reachable(p.coordinator, h)) {
      p.targets.emplace_back(h, kNoNode);
      ++countable;
    } else if (desc_.hinted_handoff) {
      while (standby < pref.size() && !reachable(p.coordinator, pref[standby])) ++standby;
      if (standby < pref.size()) {
        p.targets.emplace_back(pref[standby++], h);
        if (desc_.sloppy_quorum) ++countable;
      }
    }
  }
  if (countable < desc_.w) {
    finish(p.id, Outcome::kUnavailable, Version{});
    return;
  }
  Message m;
  m.type = MsgType::kWrite;
  m.op = p.id;
  m.key = rec.key;
  m.version = rec.version;
  for (const auto& [target, hint_for] : p.targets) {
    m.hint_for = hint_for;
    if (hint_for != kNoNode) ++stats_.hinted_writes;
    send(p.coordinator, target, m);
  }
  p.timer = net_.set_timer_after(p.coordinator, desc_.write_timeout_us, timer_tag(p.id));
}

void Cluster::start_read(Pending& p, OpRecord& rec) {
  const std::vector<NodeId> home = ring_.home_replicas(rec.key, desc_.n);
  std::vector<NodeId> live;
  for (NodeId h : home) {
    if (reachable(p.coordinator, h)) live.push_back(h);
  }
  if (live.size() < desc_.r) {
    finish(p.id, Outcome::kUnavailable, Version{});
    return;
  }
  if (desc_.read_fanout == ReadFanout::kBlockFor) {
    auto self = std::find(live.begin(), live.end(), p.coordinator);
    if (self != live.end()) std::rotate(live.begin(), self, self + 1);  // local replica first
    live.resize(desc_.r);
  }
  p.contacts = live;
  Message m;
  m.type = MsgType::kRead;
  m.op = p.id;
  m.key = rec.key;
  for (std::size_t i = 0; i < p.contacts.size(); ++i) {
    m.digest = desc_.read_fanout == ReadFanout::kBlockFor && i > 0;
    send(p.coordinator, p.contacts[i], m);
  }
  p.timer = net_.set_timer_after(p.coordinator, desc_.read_timeout_us, timer_tag(p.id));
}

// [SECTION] Messages

void Cluster::send(NodeId from, NodeId to, const Message& m) {
  if (from == to) {
    local_.push_back(Local{to, m});
    return;
  }
  if (desc_.use_wars_legs) {
    const net::Latency* leg = &desc_.wars.w;
    switch (m.type) {
      case MsgType::kWrite: case MsgType::kRepair: case MsgType::kHint: leg = &desc_.wars.w; break;
      case MsgType::kWriteAck: case MsgType::kRepairAck: case MsgType::kHintAck: leg = &desc_.wars.a; break;
      case MsgType::kRead: leg = &desc_.wars.r; break;
      case MsgType::kReadReply: leg = &desc_.wars.s; break;
    }
    net_.set_link(from, to, net::LinkDesc{*leg, desc_.link.loss});
  }
  net_.send(from, to, m);
}

// Local messages are handled in FIFO order after the step that produced them, at the same time,
// so a handler never re-enters itself while it walks its own state.
void Cluster::drain_local() {
  for (std::size_t i = 0; i < local_.size(); ++i) {
    const Local l = local_[i];
    if (net_.up(l.node)) on_message(l.node, l.node, l.msg);
  }
  local_.clear();
}

void Cluster::handle(const net::Event<Message>& e) {
  if (e.kind == net::EventKind::Timer) {
    on_timer(e.node, e.tag);
  } else {
    on_message(e.node, e.from, e.msg);
  }
}

void Cluster::on_message(NodeId at, NodeId from, const Message& m) {
  NodeState& node = nodes_[at];
  Message reply = m;
  switch (m.type) {
    case MsgType::kWrite:
    case MsgType::kRepair:
    case MsgType::kHint: {
      if (m.type == MsgType::kWrite && m.hint_for != kNoNode && m.hint_for != at) {
        Version& h = node.hints[{m.hint_for, m.key}];
        if (m.version.newer_than(h)) h = m.version;
        ++stats_.hints_stored;
      } else {
        Version& v = node.store[m.key];
        if (m.version.newer_than(v)) v = m.version;
      }
      reply.type = m.type == MsgType::kWrite    ? MsgType::kWriteAck
                   : m.type == MsgType::kRepair ? MsgType::kRepairAck
                                                : MsgType::kHintAck;
      send(at, from, reply);
      return;
    }
    case MsgType::kRead: {
      auto it = node.store.find(m.key);
      reply.type = MsgType::kReadReply;
      reply.version = it == node.store.end() ? Version{} : it->second;
      send(at, from, reply);
      return;
    }
    case MsgType::kWriteAck: on_write_ack(m); return;
    case MsgType::kReadReply: on_read_reply(from, m); return;
    case MsgType::kRepairAck: {
      ++stats_.repair_acks;
      auto it = pending_.find(m.op);
      if (it == pending_.end() || it->second.returned || it->second.repairs_waiting == 0) return;
      if (--it->second.repairs_waiting == 0) finish(m.op, Outcome::kOk, it->second.resolved);
      return;
    }
    case MsgType::kHintAck: {
      auto it = node.hints.find({from, m.key});
      if (it != node.hints.end() && it->second == m.version) {
        node.hints.erase(it);
        ++stats_.hints_delivered;
      }
      return;
    }
  }
}

void Cluster::on_write_ack(const Message& m) {
  auto it = pending_.find(m.op);
  if (it == pending_.end()) return;  // late: the op already finished
  Pending& p = it->second;
  const bool counts = m.hint_for == kNoNode || desc_.sloppy_quorum;
  if (!counts) return;
  if (++p.acks >= desc_.w) finish(p.id, Outcome::kOk, op(p.id).version);
}

void Cluster::on_read_reply(NodeId from, const Message& m) {
  auto it = pending_.find(m.op);
  if (it == pending_.end()) return;
  Pending& p = it->second;
  if (p.returned) {  // async read repair (Dynamo): a late reply
    if (p.resolved.newer_than(m.version)) {
      repair(p, from, p.resolved);
    } else if (m.version.newer_than(p.resolved)) {
      p.resolved = m.version;  // the answer was stale: fix every earlier replier
      for (const auto& [node, v] : p.replies) {
        if (p.resolved.newer_than(v)) repair(p, node, p.resolved);
      }
    }
    p.replies.emplace_back(from, m.version);
    return;
  }
  if (m.phase != p.phase || p.repairs_waiting > 0) return;
  p.replies.emplace_back(from, m.version);
  if (!m.digest) p.data_present = true;
  if (p.replies.size() >= desc_.r && p.data_present) resolve_read(p);
}

void Cluster::resolve_read(Pending& p) {
  OpRecord& rec = ops_[p.id - 1];
  Version newest = p.replies.front().second;
  bool agree = true;
  for (const auto& [node, v] : p.replies) {
    if (!(v == newest)) agree = false;
    if (v.newer_than(newest)) newest = v;
  }
  rec.replies = static_cast<std::uint32_t>(p.replies.size());
  p.resolved = newest;
  if (agree) {
    finish(p.id, Outcome::kOk, newest);
    return;
  }
  if (!rec.mismatch) {
    rec.mismatch = true;
    ++stats_.mismatched_reads;
  }
  if (desc_.read_fanout == ReadFanout::kBlockFor && p.phase == 0) {
    // Cassandra: a digest mismatch starts a full-data read of every contact.
    p.phase = 1;
    p.replies.clear();
    p.data_present = false;
    Message m;
    m.type = MsgType::kRead;
    m.op = p.id;
    m.key = rec.key;
    m.phase = 1;
    for (NodeId c : p.contacts) send(p.coordinator, c, m);
    return;
  }
  switch (desc_.read_repair) {
    case ReadRepair::kNone:
      finish(p.id, Outcome::kOk, newest);
      return;
    case ReadRepair::kBlocking: {
      std::uint32_t stale = 0;
      for (const auto& [node, v] : p.replies) {
        if (newest.newer_than(v)) ++stale;
      }
      p.repairs_waiting = stale;
      for (const auto& [node, v] : p.replies) {
        if (newest.newer_than(v)) repair(p, node, newest);
      }
      return;  // finished by the last repair ack, or by the timeout
    }
    case ReadRepair::kAsync: {
      const OpId id = p.id;
      finish(id, Outcome::kOk, newest);  // keeps p listening (returned = true)
      Pending& still = pending_.at(id);
      for (const auto& [node, v] : still.replies) {
        if (newest.newer_than(v)) repair(still, node, newest);
      }
      return;
    }
  }
}

void Cluster::repair(Pending& p, NodeId replica, const Version& v) {
  Message m;
  m.type = MsgType::kRepair;
  m.op = p.id;
  m.key = ops_[p.id - 1].key;
  m.version = v;
  ++stats_.repair_writes;
  send(p.coordinator, replica, m);
}

// [SECTION] Timers, hints, faults

void Cluster::on_timer(NodeId n, std::uint64_t tag) {
  if ((tag & 3) == kHintTimer) {
    replay_hints(n);
    arm_hint_timer(n, desc_.hint_replay_interval_us);
    return;
  }
  const OpId id = tag >> 2;
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  if (it->second.returned) {
    pending_.erase(it);  // async repair: stop listening
    return;
  }
  finish(id, Outcome::kTimeout, Version{});
}

void Cluster::arm_hint_timer(NodeId n, std::int64_t delay_us) {
  nodes_[n].hint_timer = net_.set_timer_after(n, delay_us, kHintTimer);
}

void Cluster::replay_hints(NodeId n) {
  for (const auto& [where, version] : nodes_[n].hints) {
    const NodeId intended = where.first;
    if (!reachable(n, intended)) continue;
    Message m;
    m.type = MsgType::kHint;
    m.key = where.second;
    m.version = version;
    m.hint_for = intended;
    ++stats_.hints_replayed;
    send(n, intended, m);
  }
}

void Cluster::crash(NodeId n) {
  net_.crash(n);
  fail_coordinated_by(n);
}

void Cluster::fail_coordinated_by(NodeId n) {
  std::vector<OpId> lost;
  for (const auto& [id, p] : pending_) {
    if (p.coordinator == n) lost.push_back(id);
  }
  for (OpId id : lost) {
    auto it = pending_.find(id);
    if (it->second.returned) {
      pending_.erase(it);
    } else {
      finish(id, Outcome::kCoordinatorLost, Version{});
    }
  }
}

void Cluster::restart(NodeId n) {
  fail_coordinated_by(n);  // a reboot of an up node loses its in-flight ops (their timers die too)
  net_.restart(n);  // the store and the hints survive (durable); timers of the old incarnation die
  if (desc_.hinted_handoff) arm_hint_timer(n, desc_.hint_replay_interval_us);
}

void Cluster::finish(OpId id, Outcome outcome, const Version& v) {
  OpRecord& rec = ops_[id - 1];
  rec.outcome = outcome;
  rec.end_us = now_us();
  OpCounts& counts = rec.kind == OpKind::kWrite ? stats_.writes : stats_.reads;
  switch (outcome) {
    case Outcome::kOk: ++counts.ok; break;
    case Outcome::kTimeout: ++counts.timeout; break;
    case Outcome::kUnavailable: ++counts.unavailable; break;
    case Outcome::kCoordinatorLost: ++counts.coordinator_lost; break;
    case Outcome::kPending: break;
  }
  auto it = pending_.find(id);
  if (rec.kind == OpKind::kWrite) {
    if (it != pending_.end()) rec.replies = it->second.acks;
    if (outcome == Outcome::kOk) {
      Version& la = latest_acked_[rec.key];
      if (rec.version.newer_than(la)) la = rec.version;
      if (it != pending_.end()) {
        const NodeId pc = it->second.probe_coordinator;
        for (std::int64_t d : it->second.probe_delays_us) {
          scheduled_.push(now_us() + std::max<std::int64_t>(0, d), ClientOp{OpKind::kRead, rec.key, pc, id, d});
        }
      }
    }
  } else if (outcome == Outcome::kOk) {
    rec.version = v;
    rec.stale = rec.required.newer_than(v);
    if (rec.stale) ++stats_.stale_reads;
  }
  digest_.add_u64(id);
  digest_.add_byte(static_cast<std::uint8_t>(outcome));
  digest_.add_i64(rec.end_us);
  digest_.add_i64(rec.version.ts_us);
  digest_.add_u64(rec.version.seq);
  if (it == pending_.end()) return;
  if (it->second.timer != net::kNoTimer && !(rec.kind == OpKind::kRead && outcome == Outcome::kOk &&
                                             desc_.read_repair == ReadRepair::kAsync)) {
    net_.cancel_timer(it->second.timer);
  }
  if (rec.kind == OpKind::kRead && outcome == Outcome::kOk && desc_.read_repair == ReadRepair::kAsync) {
    it->second.returned = true;  // listen for late replies until the timeout
  } else {
    pending_.erase(it);
  }
}

// [SECTION] Views

Version Cluster::stored(NodeId n, Key k) const {
  const auto& s = nodes_.at(n).store;
  auto it = s.find(k);
  return it == s.end() ? Version{} : it->second;
}

std::size_t Cluster::hint_count() const {
  std::size_t c = 0;
  for (const NodeState& n : nodes_) c += n.hints.size();
  return c;
}

bool Cluster::replicas_agree(Key k) const {
  const std::vector<NodeId> home = home_replicas(k);
  for (NodeId h : home) {
    if (!(stored(h, k) == stored(home.front(), k))) return false;
  }
  return true;
}

std::int64_t Cluster::latency_quantile_us(OpKind kind, double q) const {
  std::vector<std::int64_t> l;
  for (const OpRecord& r : ops_) {
    if (r.kind == kind && r.outcome == Outcome::kOk) l.push_back(r.latency_us());
  }
  if (l.empty()) return -1;
  std::sort(l.begin(), l.end());
  q = std::clamp(q, 0.0, 1.0);
  std::size_t rank = static_cast<std::size_t>(q * static_cast<double>(l.size()) + 0.999999999);  // ceil(q·n)
  rank = std::clamp<std::size_t>(rank, 1, l.size());
  return l[rank - 1];
}

TraceDigest Cluster::digest() const {
  TraceDigest d = digest_;
  d.add_u64(net_.digest().value());
  return d;
}

}  // namespace scalebook::sim::quorum
