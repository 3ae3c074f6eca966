// A Kafka consumer group reading one topic, with the classic (JoinGroup/SyncGroup) rebalance
// protocol, as a UI-free deterministic model. The assignments come from assignors.h (ported
// from the Java client); the client and coordinator behaviour below was read from apache/kafka
// at commit 1eb7644349cb07139d6a3c1ad1986979647cac99 (ConsumerCoordinator, AbstractCoordinator,
// ConsumerConfig; KIP-429 incremental cooperative rebalancing, KIP-345 static membership).
//
// MODELLED
//  * One topic of P partitions. Producers append `produce_per_s` records a second in total,
//    spread evenly over the partitions or with `hot_percent` of them on partition 0. Production
//    is a deterministic fluid: partition p's log end at time t is floor(rate_p · t).
//  * Consumers, each able to process `consume_per_s` records a second, shared evenly (water
//    filling) over the partitions it is consuming. Time advances in 10 ms ticks on a fixed grid;
//    a tick appends, then each consuming member processes, with the state at the tick's end.
//    Per partition: log end, committed offset, the owner's position, and the highest offset
//    ever processed (records below it processed again are counted as duplicates).
//  * Auto-commit (enable.auto.commit=true): each member commits its positions every
//    auto.commit.interval.ms (5 s) from its start; it also commits when a rebalance opens
//    (onJoinPrepare), which leaves the periodic timer alone (only the periodic commit resets
//    nextAutoCommitTimer), and on a graceful close (close() calls
//    maybeAutoCommitOffsetsSync). A crash commits
//    nothing: the next owner resumes from the last commit and the records processed after it
//    are delivered twice.
//  * The group as the coordinator sees it: members join (a round starts), leave (LeaveGroup:
//    a round starts at once), or stop heartbeating (crash): the session then expires
//    session.timeout.ms (45 s, Kafka >= 3.0) after the member's last heartbeat, and heartbeats
//    go out every heartbeat.interval.ms (3 s) from the member's start, so a crash is detected
//    between session − heartbeat and session after it. A round waits for every member still
//    in the group: a crashed member that has not yet expired holds the round open until it
//    expires (the coordinator completes the join when all members rejoined, or removes the
//    ones whose session expires).
//  * EAGER protocol (range, roundrobin, sticky): at the start of a round every live member
//    commits and revokes all of its partitions (Kafka also stops fetching them first:
//    maybeMarkPartitionsPendingRevocation) and consumes nothing until the round completes;
//    then everyone starts from the committed offsets of the new assignment.
//  * COOPERATIVE protocol (cooperative-sticky): at the start of a round members commit and
//    keep consuming everything they own. When the round completes, the assignor's result
//    leaves out partitions that move between live members; their owners revoke them (without
//    a commit: Kafka's onJoinComplete revokes without committing, so records processed from
//    them since the round's commit are delivered again) and rejoin at once: a second round
//    hands the revoked partitions to their new owners. Unmoved partitions never stop.
//  * Static membership (group.instance.id = "consumer-<n>"): a static member never sends
//    LeaveGroup (AbstractCoordinator.maybeLeaveGroup sends it only for dynamic members), so
//    even a graceful close is noticed at session expiry; a restart before then takes the old
//    member's place with its partitions and no rebalance. A dynamic member's restart is a new
//    member (a new member.id), which starts a round that the old, dead member holds open until
//    its session expires.
//  * member.id = client.id + "-" + a random version-4 UUID (from the seed), client.id =
//    "consumer-scalebook-1" (each consumer its own process): the range and round-robin
//    assignors order dynamic members by member.id, so the order, and the sticky assignors'
//    HashMap order, depend on the seed, as in Kafka.
//
// NOT MODELLED (stated parameters instead)
//  * How long a round takes: in Kafka it is as long as the slowest member takes to reach
//    poll() again (bounded by max.poll.interval.ms) plus the JoinGroup/SyncGroup round trips;
//    here it is `rebalance_us`, the same for every round. Members joining or leaving while a
//    round is open are part of that round (no separate SyncGroup phase). At t = 0 the group is
//    already stable at generation 1 (no group.initial.rebalance.delay.ms).
//  * Heartbeats other than the periodic ones (a JoinGroup also resets the session), the
//    heartbeat thread's timing jitter, max.poll.interval.ms, fetch sizes, max.poll.records,
//    processing batches, retention (nothing is ever lost), producers' keys and ordering,
//    commit failures, the KIP-848 consumer protocol, rebalance listeners (an application that
//    commits in onPartitionsRevoked avoids the cooperative duplicates above), and brokers.
//
// INVARIANTS (tested): appended = unique processed + backlog; processed = unique + duplicates;
// advance(a); advance(b) == advance(a + b); the same seed gives the same run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/rng.h"
#include "sim/kafka/assignors.h"

namespace scalebook::sim::kafka {

enum class AssignorKind : std::uint8_t { Range, RoundRobin, Sticky, CooperativeSticky };
enum class Protocol : std::uint8_t { Eager, Cooperative };

const char* assignor_name(AssignorKind a);  // "range", "roundrobin", "sticky", "cooperative-sticky"
inline Protocol protocol_of(AssignorKind a) {
  return a == AssignorKind::CooperativeSticky ? Protocol::Cooperative : Protocol::Eager;
}

inline constexpr std::int64_t kTickUs = 10'000;  // the consumption grid
inline constexpr int kMaxLiveConsumers = 32;

struct GroupDesc {
  int partitions = 12;
  int consumers = 6;  // members at t = 0
  AssignorKind assignor = AssignorKind::Range;
  std::int64_t produce_per_s = 6000;  // over the whole topic
  int hot_percent = 0;                // 0: even; else partition 0's share of production, %
  std::int64_t consume_per_s = 2000;  // per consumer
  std::int64_t session_timeout_us = 45'000'000;
  std::int64_t heartbeat_interval_us = 3'000'000;
  std::int64_t auto_commit_interval_us = 5'000'000;
  std::int64_t rebalance_us = 3'000'000;  // one JoinGroup/SyncGroup round (a stated parameter)
  bool static_membership = false;
  std::uint64_t seed = 1;
};

// A process's life. Crashed and Stopped members may still be in the group (until expiry).
enum class Life : std::uint8_t { Live, Crashed, Stopped };

struct GroupMember {
  int slot = 0;                  // consumer number shown to the reader (1-based)
  std::string member_id;
  std::optional<std::string> instance_id;  // group.instance.id (static membership)
  Life life = Life::Live;
  bool in_group = true;          // the coordinator counts it
  std::vector<int> owned;        // partitions it holds (sorted)
  std::vector<int> sticky_prev;  // eager sticky: last assignment, kept in the assignor's user data
  int generation = -1;           // generation of `owned`
  std::int64_t started_us = 0;   // heartbeat and auto-commit phase
  std::int64_t next_commit_us = 0;
  std::int64_t expires_us = -1;  // Crashed/Stopped and in the group: when the session expires
  std::uint64_t processed = 0;
};

struct PartitionState {
  std::int64_t log_end = 0;
  std::int64_t committed = 0;
  std::int64_t position = 0;  // the owner's position (meaningful while consuming)
  std::int64_t high = 0;      // one past the highest offset ever processed
  int owner = -1;             // index into members(), -1: nobody holds it
  bool consuming = false;
  std::uint64_t duplicates = 0;
};

struct Round {
  std::int64_t start_us = 0;
  std::int64_t end_us = -1;  // -1: open
  int generation = 0;        // the generation it produced (0 while open)
  bool follow_up = false;    // a cooperative second round (rejoin after revoking)
  std::string reason;
  int revoked = 0;           // partitions revoked by this round (eager: all held at its start)
};

struct GroupTotals {
  std::uint64_t appended = 0, processed = 0, unique = 0, duplicates = 0;
  std::int64_t lag = 0, backlog = 0;  // lag: log end − (position or committed); backlog: never processed
  std::int64_t max_lag = 0;           // over the run, at tick ends
  std::int64_t stalled_partition_us = 0;  // Σ over ticks of partitions nobody consumes × tick
  int rebalances = 0;                 // rounds completed
};

class ConsumerGroup {
 public:
  explicit ConsumerGroup(const GroupDesc& d);

  void advance(std::int64_t dt_us);
  std::int64_t now_us() const { return now_us_; }

  // Reader actions at now_us(): "" when applied, else why not (nothing changed). join at the
  // live-consumer cap is applied as a no-op with a note (it returns "").
  std::string join();
  std::string leave(int slot);
  std::string crash(int slot);
  std::string restart(int slot);

  const GroupDesc& desc() const { return desc_; }
  Protocol protocol() const { return protocol_of(desc_.assignor); }
  const std::vector<GroupMember>& members() const { return members_; }  // every incarnation, in join order
  int current_member(int slot) const;  // index of the slot's newest incarnation, -1 if none
  int slots() const { return next_slot_ - 1; }
  const std::vector<PartitionState>& partitions() const { return parts_; }
  const std::vector<Round>& rounds() const { return rounds_; }
  bool in_round() const { return in_round_; }
  int generation() const { return generation_; }
  GroupTotals totals() const;
  // The assignment of the last completed round, as the assignor returned it.
  const Assignment& last_assignment() const { return last_assignment_; }
  // Texts of what happened ("12.00 s: consumer 3 crashed"), newest last, up to 12.
  const std::vector<std::string>& events() const { return events_; }
  // Session expiry of a heartbeat-less member that was last alive at t.
  std::int64_t expiry_after(const GroupMember& m, std::int64_t t) const;

 private:
  void tick(std::int64_t t);
  std::int64_t next_timer() const;
  void fire_timers(std::int64_t t);
  void commit(GroupMember& m, bool periodic);
  void start_round(const std::string& reason, bool follow_up);
  void maybe_complete_round();
  void complete_round();
  void drop_partitions(int idx, bool keep_ownership);
  void take(int idx, int p);
  int add_member(int slot);
  std::string new_member_id();
  void note(const std::string& text);
  std::int64_t appended_at(int p, std::int64_t t) const;

  GroupDesc desc_;
  Rng ids_{1};
  std::int64_t now_us_ = 0, last_tick_us_ = 0;
  std::vector<GroupMember> members_;
  std::vector<PartitionState> parts_;
  std::vector<std::int64_t> weight_;  // production weight per partition
  std::int64_t weight_sum_ = 1;
  std::vector<Round> rounds_;
  bool in_round_ = false;
  std::int64_t round_due_us_ = 0;
  int generation_ = 0;
  int next_slot_ = 1;
  Assignment last_assignment_;
  std::vector<std::string> events_;
  std::uint64_t processed_ = 0, duplicates_ = 0;
  std::int64_t max_lag_ = 0, stalled_us_ = 0;
};

}  // namespace scalebook::sim::kafka
