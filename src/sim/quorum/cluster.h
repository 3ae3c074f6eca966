// Scalebook — Dynamo-style leaderless quorum replication (N, R, W), UI-free and deterministic,
// on the network kernel (sim/net/network.h).
//
// Sources read:
//  * DeCandia et al., "Dynamo: Amazon's Highly Available Key-value Store", SOSP 2007, §4.2–4.7
//    (ring and preference list, vector clocks, get/put with R and W, sloppy quorum and hinted
//    handoff, read repair as described in §5).
//  * github.com/apache/cassandra, read through the code index (stored versions, one commit each):
//      service/reads/AbstractReadExecutor.java       @ 280b8e71f955bc9c37617517c4b9ec05e3c798e0
//      service/reads/repair/BlockingReadRepair.java   @ 280b8e71f955bc9c37617517c4b9ec05e3c798e0
//      service/reads/DigestResolver.java              @ 04f30a4e4d4204341d2a526f9792cfe74311038b
//      service/reads/repair/AbstractReadRepair.java   @ 031eb9328ad46a5104877e94031615bacecc1ee4
//      service/reads/repair/BlockingPartitionRepair.java @ 01ef147d11354fb61c7ae5340f16ae2e5d239e6e
//      db/ConsistencyLevel.java                       @ 0676af036fc17d1e9d9aa23e1305ea1dcacd2040
//      service/reads/ReadCallback.java: only its response() (signal once n >= blockFor &&
//        resolver.isDataPresent()), seen in code-search excerpts of several versions
//      doc/source/operating/hints.rst (coordinator-side hints, max_hint_window 3 h) and the
//        cassandra.yaml defaults read_request_timeout_in_ms 5000, write_request_timeout_in_ms 2000
//    (The full snapshot is over the fetch size limit, so files were read one by one from the code
//    index; they are not all at one commit.) Written from the behaviour of that code; no code
//    copied.
//  * Bailis, Venkataraman, Franklin, Hellerstein, Stoica, "Probabilistically Bounded Staleness
//    for Practical Partial Quorums", VLDB 2012: the WARS legs, t-visibility, k-staleness
//    (see pbs.h).
//  NOTE: neither paper's full text was in this session's reference store. Their content here is
//  from the published papers as known to the author, cross-checked only against secondary
//  summaries (the CACM 2014 PBS abstract; tutorial pages on sloppy quorums). Section numbers
//  and the closed forms should be re-checked against the PDFs before the chapter cites them.
//
// WHAT IS MODELLED
//  * M nodes on a hash ring (ring.h); a key's N home replicas are the first N of its
//    preference list. Every node stores every key it is sent; storage is durable (survives a
//    crash) and instant.
//  * Last-write-wins versions, as Cassandra does: a write's version is (coordinator's
//    timestamp = virtual now_us, op id); a replica keeps the newest version it has seen, reads
//    return the newest of the replies they use. All nodes read the one virtual clock.
//  * A coordinator per request (chosen by the caller, or uniformly among up nodes for the
//    built-in workload). The client's hop to the coordinator is not modelled. A message from
//    the coordinator to itself (it is a replica) is handled locally with no latency, after its
//    remote sends (Cassandra: "delay the local read till the end").
//  * Failure detector (optional, on by default): a perfect oracle — the coordinator knows which
//    replicas it can reach right now (up and both links intact). With fewer than W (R) live
//    targets the op fails at once as kUnavailable (Cassandra's UnavailableException). Off: it
//    sends to every home replica and learns only by timing out.
//  * Writes: sent to every live home replica; succeed on the W-th ack (ConsistencyLevel.blockFor:
//    ONE = 1, QUORUM = N/2 + 1, ALL = N; pass W accordingly); fail with kTimeout if W acks have
//    not arrived write_timeout_us after the start.
//  * Reads, two fan-outs:
//      kAllReplicas (Dynamo, and the model PBS analyses): ask all live home replicas for data,
//        answer from the first R replies.
//      kBlockFor (Cassandra 4.x without speculative retry, NeverSpeculatingReadExecutor): ask
//        exactly R live replicas — the coordinator first if it is one (the snitch's locality),
//        then preference order — one for data, R-1 for a digest; done when R replies are in
//        AND the data reply is among them (ReadCallback). On a digest mismatch, a second round
//        of full data reads to the same replicas (AbstractReadRepair.startRepair) resolves the
//        newest version.
//    A read fails with kTimeout after read_timeout_us (including time spent repairing).
//  * Read repair on a mismatch among the replies a read used:
//      kBlocking (Cassandra's BlockingReadRepair): send the resolved version to every stale
//        replier and return only after all of them acked (BlockingPartitionRepair's blockFor is
//        the write quorum minus the contacts that needed no repair, i.e. all repaired ones).
//      kAsync (Dynamo §5): return at once, then update stale repliers, including late replies
//        until the read's timeout. Fire-and-forget.
//  * Hinted handoff with a sloppy quorum (Dynamo §4.6), optional: for each home replica the
//    coordinator knows to be unreachable, the write goes instead to the next reachable node
//    past the home replicas on the preference list, tagged with a hint naming the intended
//    replica. The stand-in keeps it in a separate hint store (not served to reads) and every
//    hint_replay_interval_us tries to hand it to the intended replica if it can reach it,
//    deleting the hint on its ack. sloppy_quorum = true counts stand-in acks toward W
//    (Dynamo); false does not (Cassandra: hints never count toward the consistency level,
//    except ANY).
//  * Faults through the kernel: crash/restart (a crashed or rebooted coordinator's in-flight ops
//    fail at once as kCoordinatorLost; a restarted node keeps its store and hints), partition/isolate/
//    heal, message loss (link loss), latency distributions per link, or per message class as
//    Bailis's WARS legs (use_wars_legs: W = write request, A = its ack, R = read request,
//    S = read reply; repairs and hints travel as W/A).
//  * Metrics per op (OpRecord): latency, outcome, the version written/returned, and for reads
//    `stale` = it returned a version older than the newest write that had been acknowledged to
//    its client before the read began. Aggregates in ClusterStats. Probe reads (write_with_
//    probes) read a key t after a write committed, for PBS t-visibility (pbs.h).
// DETERMINISM: a run is a pure function of (desc, the sequence of calls). Streams: the
//   network's per-node link streams; the workload's arrivals/keys/coordinators from a split of
//   the seed; each node's hint-replay phase from net.rng(n). Containers are ordered (std::map)
//   and iterated in key order. TIE RULES: the kernel's (same-microsecond events in scheduling
//   order); client ops due at t run after every network event due at or before t, in the
//   order they were scheduled; workload arrivals at t after scheduled ops at t.
// A Cluster is a value: copying it snapshots the run.
//
// WHAT IS NOT MODELLED
//  * Vector clocks and sibling versions (Dynamo §4.4): concurrent writes are resolved by
//    last-write-wins on the coordinator's timestamp, which silently drops one of two concurrent
//    writes; Dynamo would return both to the client for semantic reconciliation.
//  * Clock skew between coordinators (LWW then loses acknowledged writes; here never).
//  * Sloppy reads: Dynamo reads from "the first N healthy nodes", stand-ins included; here reads
//    go to home replicas only and a stand-in's hints are never read.
//  * Speculative retry, the dynamic snitch, digest hashing (a digest IS the version here),
//    Cassandra's coordinator-side hint storage, hints for timed-out writes and max_hint_window,
//    anti-entropy with Merkle trees (Dynamo §4.7), gossip failure detection delays (phi
//    accrual), membership changes, virtual nodes, disk, CPU and queueing (no request ever waits
//    behind another), client retries, deletes and tombstones.
//
// DOCS vs CODE (what the book should teach)
//  * Dynamo's sloppy quorum counts a stand-in's ack toward W, so R + W > N no longer implies a
//    read quorum intersects the write quorum (the write may sit only on stand-ins). Cassandra's
//    hints are stored by the coordinator itself, not by the next node on the ring (hints.rst),
//    and do not count toward the consistency level: blockForWrite adds pending replicas for every
//    level but ANY, the one level a hint alone satisfies (the hint-counting itself lives in
//    StorageProxy, not read here). Cassandra also writes a hint when a live replica times out.
//  * Cassandra does not send a read to all N replicas: without speculative retry it contacts
//    exactly blockFor of them, one for data and the rest for digests, and waits for the data
//    reply even when enough digests are in. Dynamo and the PBS paper's WARS model send to all N
//    and take the first R. Fewer contacts means a crashed contact turns into a timeout, not a
//    slower success.
//  * A digest mismatch costs Cassandra a second full-data round (to every contact) before the
//    repair writes, and with BLOCKING read repair the client waits for those writes too, so a
//    stale replica shows up as read latency. Dynamo's read repair is after the reply.
//  * Cassandra's QUORUM is rf / 2 + 1 in integer arithmetic (block_for below): RF = 4 needs 3
//    replies and RF = 2 needs 2, i.e. QUORUM = ALL and no replica may be down. Even RFs buy no
//    extra fault tolerance over the odd RF below them.
#pragma once
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/event_queue.h"
#include "sim/core/rng.h"
#include "sim/net/network.h"
#include "sim/quorum/ring.h"

namespace scalebook::sim::quorum {

// [SECTION] Types

inline constexpr NodeId kNoNode = 0xFFFF'FFFFu;
using OpId = std::uint64_t;  // from 1

struct Version {
  std::int64_t ts_us = -1;  // -1: never written
  std::uint64_t seq = 0;    // the writing op's id: breaks timestamp ties
  bool exists() const { return ts_us >= 0; }
  bool newer_than(const Version& o) const { return ts_us != o.ts_us ? ts_us > o.ts_us : seq > o.seq; }
  bool at_least(const Version& o) const { return !o.newer_than(*this); }
  bool operator==(const Version& o) const { return ts_us == o.ts_us && seq == o.seq; }
};

enum class MsgType : std::uint8_t { kWrite, kWriteAck, kRead, kReadReply, kRepair, kRepairAck, kHint, kHintAck };

struct Message {
  MsgType type = MsgType::kWrite;
  OpId op = 0;
  Key key = 0;
  Version version;
  std::uint8_t phase = 0;     // reads: 0 first round, 1 Cassandra's full-data round after a mismatch
  bool digest = false;        // reads: a digest request / reply (carries the version only)
  NodeId hint_for = kNoNode;  // writes, hints: the home replica this copy is held for
  void add_to(TraceDigest& d) const {
    d.add_byte(static_cast<std::uint8_t>(type));
    d.add_u64(op);
    d.add_u64(key);
    d.add_i64(version.ts_us);
    d.add_u64(version.seq);
    d.add_byte(phase);
    d.add_byte(digest ? 1 : 0);
    d.add_u64(hint_for);
  }
};

enum class ReadFanout : std::uint8_t { kAllReplicas, kBlockFor };
enum class ReadRepair : std::uint8_t { kNone, kBlocking, kAsync };
enum class OpKind : std::uint8_t { kWrite, kRead };
enum class Outcome : std::uint8_t { kPending, kOk, kTimeout, kUnavailable, kCoordinatorLost };

const char* to_string(Outcome o);

// Cassandra's consistency levels for a single datacenter (db/ConsistencyLevel.blockFor): how many
// replicas a read or write waits for. QUORUM is rf / 2 + 1 in integer arithmetic.
enum class Consistency : std::uint8_t { kOne, kTwo, kThree, kQuorum, kAll };
constexpr std::uint32_t block_for(Consistency cl, std::uint32_t replication_factor) {
  switch (cl) {
    case Consistency::kOne: return 1;
    case Consistency::kTwo: return 2;
    case Consistency::kThree: return 3;
    case Consistency::kQuorum: return replication_factor / 2 + 1;
    case Consistency::kAll: return replication_factor;
  }
  return replication_factor;
}

// Bailis's WARS legs: one latency distribution per message class.
struct WarsLegs {
  net::Latency w = net::Latency::constant(1000);  // coordinator -> replica, write
  net::Latency a = net::Latency::constant(1000);  // replica -> coordinator, write ack
  net::Latency r = net::Latency::constant(1000);  // coordinator -> replica, read
  net::Latency s = net::Latency::constant(1000);  // replica -> coordinator, read reply
};

struct ClusterDesc {
  std::uint32_t nodes = 5;  // M
  std::uint32_t tokens_per_node = 1;  // virtual nodes on the ring (ring.h)
  std::uint32_t n = 3, r = 2, w = 2;
  std::uint64_t seed = 1;
  ReadFanout read_fanout = ReadFanout::kAllReplicas;
  ReadRepair read_repair = ReadRepair::kNone;
  bool hinted_handoff = false;
  bool sloppy_quorum = true;       // with hinted_handoff: stand-in acks count toward W (Dynamo)
  bool failure_detector = true;    // perfect: skip replicas the coordinator cannot reach now
  std::int64_t write_timeout_us = 2'000'000;  // cassandra.yaml write_request_timeout: 2 s
  std::int64_t read_timeout_us = 5'000'000;   // cassandra.yaml read_request_timeout: 5 s
  std::int64_t hint_replay_interval_us = 1'000'000;
  net::LinkDesc link;              // 1 ms constant, lossless
  bool fifo_links = false;
  bool use_wars_legs = false;      // latency by message class (overrides per-link latency)
  WarsLegs wars;
  // Built-in workload (0 = none): Poisson arrivals, uniform keys 0..keys-1, uniform up coordinator.
  double writes_per_s = 0.0, reads_per_s = 0.0;
  std::uint32_t keys = 16;
};

struct OpRecord {
  OpId id = 0;
  OpKind kind = OpKind::kWrite;
  Key key = 0;
  NodeId coordinator = 0;
  std::int64_t start_us = 0, end_us = -1;
  Outcome outcome = Outcome::kPending;
  Version version;   // write: the version written; read: the version returned
  Version required;  // read: the newest write acknowledged before it began
  bool stale = false;     // read: returned older than `required`
  bool mismatch = false;  // read: its replies disagreed
  std::uint32_t replies = 0;  // acks (write) or replies used (read)
  OpId probe_of = 0;          // a probe read: the write it probes (0: not a probe)
  std::int64_t probe_delay_us = 0;
  std::int64_t latency_us() const { return end_us < 0 ? -1 : end_us - start_us; }
};

struct OpCounts {
  std::uint64_t issued = 0, ok = 0, timeout = 0, unavailable = 0, coordinator_lost = 0;
  std::uint64_t failed() const { return timeout + unavailable + coordinator_lost; }
};

struct ClusterStats {
  OpCounts writes, reads;
  std::uint64_t stale_reads = 0;        // completed reads with stale == true
  std::uint64_t mismatched_reads = 0;   // reads whose replies disagreed
  std::uint64_t repair_writes = 0, repair_acks = 0;
  std::uint64_t hinted_writes = 0;      // writes sent to a stand-in
  std::uint64_t hints_stored = 0, hints_replayed = 0, hints_delivered = 0;
};

// [SECTION] Cluster

class Cluster {
 public:
  static constexpr std::uint64_t kOpTimeoutTimer = 1;
  static constexpr std::uint64_t kHintTimer = 2;

  explicit Cluster(const ClusterDesc& desc);  // aborts on a bad desc (n > nodes, r or w not in 1..n)

  void run_until(std::int64_t until_us);
  std::int64_t now_us() const { return net_.now_us(); }

  // Client operations, started now (call between run_until calls). coordinator = kNoNode: a
  // uniformly chosen up node. Returns the op id (its record exists at once).
  OpId write(Key key, NodeId coordinator = kNoNode);
  OpId read(Key key, NodeId coordinator = kNoNode);
  // Ops started at a future time (>= now), after every network event due then.
  void schedule_write(std::int64_t at_us, Key key, NodeId coordinator = kNoNode);
  void schedule_read(std::int64_t at_us, Key key, NodeId coordinator = kNoNode);
  // A write that, when it succeeds at time c, reads its key at c + d for each d (probe reads,
  // OpRecord::probe_of = this write), coordinated by probe_coordinator (kNoNode: any up node).
  OpId write_with_probes(Key key, NodeId coordinator, const std::vector<std::int64_t>& probe_delays_us,
                         NodeId probe_coordinator = kNoNode);

  // Faults.
  void crash(NodeId n);
  void restart(NodeId n);
  void partition(const std::vector<NodeId>& a, const std::vector<NodeId>& b) { net_.partition(a, b); }
  void isolate(const std::vector<NodeId>& group) { net_.isolate(group); }
  void heal() { net_.heal(); }
  void cut_link(NodeId from, NodeId to) { net_.cut_link(from, to); }

  // Views.
  const Ring& ring() const { return ring_; }
  std::vector<NodeId> home_replicas(Key k) const { return ring_.home_replicas(k, desc_.n); }
  bool up(NodeId n) const { return net_.up(n); }
  Version stored(NodeId n, Key k) const;                       // the node's own copy
  const std::map<std::pair<NodeId, Key>, Version>& hints(NodeId n) const { return nodes_.at(n).hints; }
  std::size_t hint_count() const;                              // over all nodes
  bool replicas_agree(Key k) const;                            // every home replica holds the same version
  const std::vector<OpRecord>& ops() const { return ops_; }
  const OpRecord& op(OpId id) const { return ops_.at(id - 1); }
  std::size_t pending_ops() const { return pending_.size(); }
  const ClusterStats& stats() const { return stats_; }
  // Latency quantile (nearest rank, q in [0,1]) over successful ops of a kind; -1 if none.
  std::int64_t latency_quantile_us(OpKind kind, double q) const;
  const net::Network<Message>& network() const { return net_; }
  const ClusterDesc& desc() const { return desc_; }
  TraceDigest digest() const;

 private:
  struct NodeState {
    std::map<Key, Version> store;
    std::map<std::pair<NodeId, Key>, Version> hints;  // (intended replica, key) -> version
    net::TimerId hint_timer = net::kNoTimer;
  };
  struct Pending {
    OpId id = 0;
    NodeId coordinator = 0;
    std::vector<NodeId> contacts;                   // read: asked replicas; write: unused
    std::vector<std::pair<NodeId, NodeId>> targets; // write: (target, hint_for)
    std::uint32_t acks = 0;
    std::vector<std::pair<NodeId, Version>> replies;  // read: this phase's replies
    bool data_present = false;
    std::uint8_t phase = 0;
    std::uint32_t repairs_waiting = 0;
    bool returned = false;  // read answered; still listening for late replies (async repair)
    Version resolved;
    std::vector<std::int64_t> probe_delays_us;
    NodeId probe_coordinator = kNoNode;
    net::TimerId timer = net::kNoTimer;
  };
  struct ClientOp {
    OpKind kind = OpKind::kWrite;
    Key key = 0;
    NodeId coordinator = kNoNode;
    OpId probe_of = 0;
    std::int64_t probe_delay_us = 0;
  };

  OpId start(OpKind kind, Key key, NodeId coordinator, OpId probe_of, std::int64_t probe_delay_us);
  void start_write(Pending& p, OpRecord& rec);
  void start_read(Pending& p, OpRecord& rec);
  void send(NodeId from, NodeId to, const Message& m);
  void drain_local();
  void handle(const net::Event<Message>& e);
  void on_message(NodeId at, NodeId from, const Message& m);
  void on_write_ack(const Message& m);
  void on_read_reply(NodeId from, const Message& m);
  void resolve_read(Pending& p);
  void repair(Pending& p, NodeId replica, const Version& v);
  void on_timer(NodeId n, std::uint64_t tag);
  void replay_hints(NodeId n);
  void arm_hint_timer(NodeId n, std::int64_t delay_us);
  void finish(OpId id, Outcome outcome, const Version& v);
  void fail_coordinated_by(NodeId n);
  bool reachable(NodeId from, NodeId to) const;
  NodeId pick_coordinator();
  void workload_arrival();
  std::int64_t next_gap_us();

  ClusterDesc desc_;
  Ring ring_;
  net::Network<Message> net_;
  std::vector<NodeState> nodes_;
  std::vector<OpRecord> ops_;        // index id - 1
  std::map<OpId, Pending> pending_;  // ops not yet finished (and async reads still listening)
  std::map<Key, Version> latest_acked_;
  EventQueue<ClientOp> scheduled_;
  struct Local {
    NodeId node;
    Message msg;
  };
  std::vector<Local> local_;  // messages a node sent itself, handled after the current step
  Rng client_rng_;
  std::int64_t next_arrival_us_;
  ClusterStats stats_;
  TraceDigest digest_;
};

}  // namespace scalebook::sim::quorum
