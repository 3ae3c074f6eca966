// network.h — a deterministic message-passing network with per-node timers on one EventQueue.
//
// What it is: the one event loop that protocol models (Raft, quorum replication, Kafka
// consumer groups) stand on. Nodes 0..N-1 send messages of the protocol's own type `Msg`
// over directed links (links.h: latency, loss, partitions) and set timers; both go through
// one EventQueue, so a protocol never grows a loop of its own:
//
//   Network<RaftMsg> net({.nodes = 5, .seed = 7});
//   net.set_timer_after(0, 150'000, kElectionTimer);
//   net.run_until(s_to_us(10), [&](const Event<RaftMsg>& e) {
//     if (e.kind == EventKind::Timer) raft[e.node].on_timer(net, e.tag);
//     else raft[e.node].on_message(net, e.from, e.msg);  // may send() and set_timer()
//   });
//
// Models:
//  - send(from, to, msg) at now_us(): the sender's link stream draws loss, then latency;
//    the message arrives at now + latency. fifo_links: never before the previous message
//    on the same link (TCP-like); otherwise messages may overtake each other (UDP-like).
//  - Timers: set_timer(node, at_us, tag) fires once at at_us (a past time fires now)
//    unless cancelled, its node is down then, or its node restarted since it was set.
//  - Partitions: a message is delivered only if its link was intact for its whole flight.
//    Checked at send (a cut link drops it at once) AND at arrival (dropped if the link is
//    cut then, or was cut at any moment in between — real partitions drop packets in
//    flight, and a cut that opened and healed while the message was on the wire still
//    lost it).
//  - Crashes: crash(n) stops n: its sends are dropped (counted sent + dropped_crash),
//    messages arriving while it is down are dropped, its timers do not fire. restart(n)
//    brings it back with incarnation + 1 (on a node that is up: a reboot); timers set in
//    an earlier incarnation never fire. Messages n sent before it crashed are already on
//    the wire and still arrive; a message that arrives after its receiver restarted is
//    delivered (datagram semantics: protocols must tolerate stale messages). The protocol
//    owns its node state and resets, on restart, what a real process would lose.
//
// DETERMINISM. A run is a pure function of (desc, the sequence of API calls). Each node
// has its own latency/loss stream (split from the seed by node id), so traffic from one
// node never shifts another node's delays; rng(n) is one more stream per node for the
// protocol itself (election timeouts), which the network never draws from.
// THE TIE RULE: events due at the same microsecond come out in the order they were
// scheduled, i.e. the order of the send()/set_timer() calls that created them
// (EventQueue's sequence number) — never by node id or payload.
//
// Counting: every send() counts once as sent and ends as exactly one of delivered,
// dropped_loss, dropped_partition or dropped_crash, or is still in flight:
//   sent == delivered + dropped() + in_flight()   (in total and per sender).
// node_stats(n) attributes messages to their sender (and `received` to the receiver),
// timers to their owner. digest() folds every delivery, fired timer, drop and fault in
// order; payloads only if Msg is an integer/enum or has `void add_to(TraceDigest&) const`.
//
// A Network is a plain value: copying it snapshots the whole run (clock, queue, streams,
// faults, stats). Msg must be default-constructible and copyable (a timer Event carries an
// empty Msg). Node ids are 0..nodes-1; any other id aborts (a caller bug).
// Not modelled: message size or bandwidth, duplication, per-node clock drift (every node
// reads the same virtual clock), faults scheduled in advance (the caller applies crash()/
// isolate() between run_until() calls), durable storage (the protocol's business).
#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/event_queue.h"
#include "sim/core/rng.h"
#include "sim/net/latency.h"
#include "sim/net/links.h"

namespace scalebook::sim::net {

// [SECTION] Types

enum class EventKind : std::uint8_t { Message, Timer };
using MessageId = std::uint64_t;
using TimerId = std::uint64_t;
inline constexpr TimerId kNoTimer = 0;  // timer ids start at 1

template <typename Msg>
struct Event {
  EventKind kind = EventKind::Message;
  std::int64_t time_us = 0;  // when it happens (== now_us() while it is handled)
  NodeId node = 0;           // the receiver, or the timer's owner
  NodeId from = 0;           // Message: the sender; Timer: the owner
  std::uint64_t id = 0;      // MessageId (send order, from 0) or TimerId (from 1)
  std::uint64_t tag = 0;     // Timer: the tag given to set_timer
  std::int64_t sent_us = 0;  // Message: when sent; Timer: when set
  Msg msg{};                 // Message only
};

struct NetworkDesc {
  std::uint32_t nodes = 3;
  std::uint64_t seed = 1;
  LinkDesc default_link;    // 1 ms constant, lossless
  bool fifo_links = false;  // true: per-link FIFO delivery (TCP-like)
};

struct NetStats {
  std::uint64_t sent = 0, delivered = 0, received = 0;
  std::uint64_t dropped_loss = 0, dropped_partition = 0, dropped_crash = 0;
  std::uint64_t timers_set = 0, timers_fired = 0, timers_cancelled = 0;
  std::uint64_t timers_discarded = 0;  // came due while the node was down or after it restarted
  std::uint64_t dropped() const { return dropped_loss + dropped_partition + dropped_crash; }
  std::uint64_t in_flight() const { return sent - delivered - dropped(); }
};

// [SECTION] Network

template <typename Msg>
class Network {
 public:
  using NetEvent = Event<Msg>;

  explicit Network(const NetworkDesc& desc)
      : desc_(desc), links_(desc.nodes, desc.default_link), up_(desc.nodes, 1), incarnation_(desc.nodes, 0),
        node_stats_(desc.nodes) {
    const Rng root(desc.seed);
    for (NodeId n = 0; n < desc.nodes; ++n) {
      link_rng_.push_back(root.split(2 * std::uint64_t{n}));
      protocol_rng_.push_back(root.split(2 * std::uint64_t{n} + 1));
    }
    if (desc.fifo_links) last_arrival_us_.assign(std::size_t{desc.nodes} * desc.nodes, 0);
  }

  std::uint32_t nodes() const { return desc_.nodes; }
  std::int64_t now_us() const { return now_us_; }

  // Messages. Returns the message's id (ids count every send, dropped or not).
  MessageId send(NodeId from, NodeId to, Msg msg);
  void broadcast(NodeId from, const Msg& msg) {  // to every other node, in id order
    links_.check(from);
    for (NodeId to = 0; to < nodes(); ++to) {
      if (to != from) send(from, to, msg);
    }
  }

  // Timers. A tag is the protocol's own label (election, heartbeat, ...).
  TimerId set_timer(NodeId node, std::int64_t at_us, std::uint64_t tag = 0);
  TimerId set_timer_after(NodeId node, std::int64_t delay_us, std::uint64_t tag = 0) {
    return set_timer(node, now_us_ + delay_us, tag);
  }
  bool cancel_timer(TimerId id);  // false if it already fired, was cancelled or never existed

  // The event loop. step(): the next live event due at or before until_us (the clock moves
  // to it), or nullopt once none is left before until_us (the clock moves to until_us).
  // next_event(): the next live event whenever it is due; nullopt (clock unchanged) if idle.
  // run_until(): step() into `on_event(const NetEvent&)` until nullopt; returns the count.
  std::optional<NetEvent> step(std::int64_t until_us) { return poll(until_us, true); }
  std::optional<NetEvent> next_event() { return poll(INT64_MAX, false); }
  template <typename Handler>
  std::uint64_t run_until(std::int64_t until_us, Handler&& on_event) {
    std::uint64_t handled = 0;
    while (auto e = step(until_us)) {
      on_event(*e);
      ++handled;
    }
    return handled;
  }
  std::size_t pending_events() const { return queue_.size(); }  // incl. ones that will be dropped
  // Every message still on the wire (sent, not yet delivered or dropped at arrival), in no
  // particular order: f(const NetEvent&) with from, node (the receiver), sent_us, time_us
  // (the arrival) and msg. For views that draw messages in flight; changes nothing.
  template <typename F>
  void for_each_in_flight(F&& f) const {
    queue_.for_each([&](const auto& qe) {
      if (qe.payload.event.kind == EventKind::Message) f(qe.payload.event);
    });
  }

  // Crashes.
  void crash(NodeId n);
  void restart(NodeId n);
  bool up(NodeId n) const { return up_[links_.check(n)] != 0; }
  std::uint32_t incarnation(NodeId n) const { return incarnation_[links_.check(n)]; }

  // Partitions and link behaviour (links.h); changes apply from now on.
  void cut_link(NodeId from, NodeId to) {
    links_.cut(from, to);
    fold_links();
  }
  void restore_link(NodeId from, NodeId to) {
    links_.restore(from, to);
    fold_links();
  }
  void partition(const std::vector<NodeId>& a, const std::vector<NodeId>& b) {
    links_.partition(a, b);
    fold_links();
  }
  void isolate(const std::vector<NodeId>& group) {
    links_.isolate(group);
    fold_links();
  }
  void heal() {
    links_.heal();
    fold_links();
  }
  bool connected(NodeId from, NodeId to) const { return links_.connected(from, to); }
  void set_default_link(const LinkDesc& d) { links_.set_default_link(d); }
  void set_link(NodeId from, NodeId to, const LinkDesc& d) { links_.set_link(from, to, d); }
  const LinkTable& links() const { return links_; }

  // The protocol's own random stream for node n (never drawn by the network).
  Rng& rng(NodeId n) { return protocol_rng_[links_.check(n)]; }

  const NetStats& stats() const { return total_; }
  const NetStats& node_stats(NodeId n) const { return node_stats_[links_.check(n)]; }
  const TraceDigest& digest() const { return digest_; }
  const NetworkDesc& desc() const { return desc_; }

 private:
  struct Pending {
    NetEvent event;
    std::uint32_t incarnation = 0;   // Timer: the owner's incarnation when set
    std::uint64_t link_version = 0;  // Message: links_.version() when sent
  };

  std::optional<NetEvent> poll(std::int64_t until_us, bool advance_clock);
  bool arrive(const Pending& p);
  bool fire(const Pending& p);
  void count(std::uint64_t NetStats::*field, NodeId n) {
    ++(total_.*field);
    ++(node_stats_[n].*field);
  }
  void fold(char what, const NetEvent& e);
  void drop(std::uint64_t NetStats::*field, char what, const NetEvent& e) {
    count(field, e.from);
    fold(what, e);
  }
  void fold_links() {
    digest_.add_byte('K');
    digest_.add_i64(now_us_);
    digest_.add_u64(links_.version());
    digest_.add_u64(links_.cut_links());
  }

  NetworkDesc desc_;
  LinkTable links_;
  EventQueue<Pending> queue_;
  std::int64_t now_us_ = 0;
  std::vector<std::uint8_t> up_;
  std::vector<std::uint32_t> incarnation_;
  std::vector<Rng> link_rng_, protocol_rng_;
  std::vector<std::int64_t> last_arrival_us_;           // fifo_links: per directed link
  std::unordered_map<TimerId, NodeId> live_timers_;     // set, not yet fired or cancelled
  MessageId next_message_id_ = 0;
  TimerId next_timer_id_ = 1;
  NetStats total_;
  std::vector<NetStats> node_stats_;
  TraceDigest digest_;
};

// [SECTION] Implementation

template <typename Msg>
MessageId Network<Msg>::send(NodeId from, NodeId to, Msg msg) {
  links_.check(from);
  links_.check(to);
  const MessageId id = next_message_id_++;
  count(&NetStats::sent, from);
  NetEvent e{EventKind::Message, now_us_, to, from, id, 0, now_us_, std::move(msg)};
  if (up_[from] == 0) {
    drop(&NetStats::dropped_crash, 'C', e);
    return id;
  }
  // Always draw both, so a message's fate never changes how many values later sends see
  // (beyond the latency distribution's own variable draw count).
  const LinkDesc& link = links_.link(from, to);
  Rng& rng = link_rng_[from];
  const bool lost = rng.uniform01() < link.loss;
  const std::int64_t latency_us = sample_latency_us(link.latency, rng);
  if (!links_.connected(from, to)) {
    drop(&NetStats::dropped_partition, 'P', e);
  } else if (lost) {
    drop(&NetStats::dropped_loss, 'L', e);
  } else {
    e.time_us = now_us_ + latency_us;
    if (desc_.fifo_links) {
      std::int64_t& last = last_arrival_us_[std::size_t{from} * nodes() + to];
      e.time_us = last = std::max(e.time_us, last);
    }
    const std::int64_t at_us = e.time_us;
    queue_.push(at_us, Pending{std::move(e), 0, links_.version()});
  }
  return id;
}

template <typename Msg>
TimerId Network<Msg>::set_timer(NodeId node, std::int64_t at_us, std::uint64_t tag) {
  links_.check(node);
  const TimerId id = next_timer_id_++;
  count(&NetStats::timers_set, node);
  live_timers_.emplace(id, node);
  at_us = std::max(at_us, now_us_);
  queue_.push(at_us, Pending{NetEvent{EventKind::Timer, at_us, node, node, id, tag, now_us_, Msg{}},
                             incarnation_[node], 0});
  return id;
}

template <typename Msg>
bool Network<Msg>::cancel_timer(TimerId id) {
  auto it = live_timers_.find(id);
  if (it == live_timers_.end()) return false;
  count(&NetStats::timers_cancelled, it->second);
  live_timers_.erase(it);
  return true;
}

template <typename Msg>
void Network<Msg>::crash(NodeId n) {
  if (up_[links_.check(n)] == 0) return;
  up_[n] = 0;
  digest_.add_byte('X');
  digest_.add_i64(now_us_);
  digest_.add_u64(n);
}

template <typename Msg>
void Network<Msg>::restart(NodeId n) {
  up_[links_.check(n)] = 1;
  ++incarnation_[n];
  digest_.add_byte('R');
  digest_.add_i64(now_us_);
  digest_.add_u64(n);
  digest_.add_u64(incarnation_[n]);
}

template <typename Msg>
std::optional<typename Network<Msg>::NetEvent> Network<Msg>::poll(std::int64_t until_us, bool advance_clock) {
  while (!queue_.empty() && queue_.next_time_us() <= until_us) {
    auto entry = queue_.pop();
    now_us_ = std::max(now_us_, entry.time_us);
    const Pending& p = entry.payload;
    if (p.event.kind == EventKind::Timer ? fire(p) : arrive(p)) return std::move(entry.payload.event);
  }
  if (advance_clock) now_us_ = std::max(now_us_, until_us);
  return std::nullopt;
}

template <typename Msg>
bool Network<Msg>::arrive(const Pending& p) {
  const NetEvent& e = p.event;
  if (!links_.intact_since(e.from, e.node, p.link_version)) {
    drop(&NetStats::dropped_partition, 'P', e);
    return false;
  }
  if (up_[e.node] == 0) {
    drop(&NetStats::dropped_crash, 'C', e);
    return false;
  }
  count(&NetStats::delivered, e.from);
  ++total_.received;
  ++node_stats_[e.node].received;
  fold('M', e);
  if constexpr (std::is_integral_v<Msg> || std::is_enum_v<Msg>) {
    digest_.add_u64(static_cast<std::uint64_t>(e.msg));
  } else if constexpr (requires(const Msg& m, TraceDigest& d) { m.add_to(d); }) {
    e.msg.add_to(digest_);
  }
  return true;
}

template <typename Msg>
bool Network<Msg>::fire(const Pending& p) {
  const NetEvent& e = p.event;
  if (live_timers_.erase(e.id) == 0) return false;  // cancelled (already counted)
  if (up_[e.node] == 0 || incarnation_[e.node] != p.incarnation) {
    count(&NetStats::timers_discarded, e.node);
    fold('D', e);
    return false;
  }
  count(&NetStats::timers_fired, e.node);
  fold('T', e);
  return true;
}

template <typename Msg>
void Network<Msg>::fold(char what, const NetEvent& e) {
  digest_.add_byte(static_cast<std::uint8_t>(what));
  digest_.add_i64(now_us_);
  digest_.add_u64(e.node);
  digest_.add_u64(e.from);
  digest_.add_u64(e.id);
  digest_.add_u64(e.tag);
}

}  // namespace scalebook::sim::net
