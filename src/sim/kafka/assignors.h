// Kafka client-side consumer partition assignors, as a UI-free deterministic model.
//
// Ported (re-expressed, not copied) from apache/kafka trunk at commit
// 1eb7644349cb07139d6a3c1ad1986979647cac99 (2024-10-25, version 4.0.0-SNAPSHOT):
// clients/.../consumer/RangeAssignor.java, RoundRobinAssignor.java, StickyAssignor.java,
// CooperativeStickyAssignor.java and internals/AbstractStickyAssignor.java.
//
// MODELLED
//  * assign_range        - RangeAssignor without racks. Per topic, subscribers are ordered the
//                          way Kafka's MemberInfo orders them (members with a group.instance.id
//                          first, by instance id; then the rest by member id); the partitions are
//                          cut into contiguous ranges, the first (P % C) subscribers take one extra.
//  * assign_round_robin  - RoundRobinAssignor: all subscribed topic-partitions sorted by
//                          (topic, partition), members in MemberInfo order, dealt round robin,
//                          skipping members not subscribed to the partition's topic.
//  * assign_sticky / assign_cooperative_sticky - the "constrained" path of AbstractStickyAssignor
//                          (taken when every member has the same subscription), including its
//                          resolution of partitions claimed by several members (higher generation
//                          wins; equal generations -> claim invalidated for all of them) and the
//                          cooperative rule that a partition moving between live members is left
//                          out of this assignment (it is revoked first, assigned next rebalance).
//
// NOT MODELLED
//  * Rack awareness (client.rack / replica racks) in all assignors: behaves as if no member has a
//    rack, which is also what Kafka does when no rack information is available.
//  * The general sticky path (members with unequal subscriptions: GeneralAssignmentBuilder with
//    its partition-movement / balance-score search). assign_sticky throws std::invalid_argument
//    for such input instead of guessing.
//  * Server-side (KIP-848, group.protocol=consumer) assignors, user-data serialisation, the
//    eager/cooperative protocol selection and the rebalance state machine itself.
//
// WHERE KAFKA'S DOCS AND CODE DIFFER (the model follows the code)
//  * RangeAssignor's javadoc says consumers are laid out "in lexicographic order"; the code sorts
//    static members (with group.instance.id) first by instance id, dynamic members after, by
//    member id. RoundRobinAssignor does the same.
//  * Sticky: which members keep more than minQuota owned partitions, and therefore who gives
//    partitions up, depends on java.util.HashMap iteration order over member ids. The model
//    reproduces that order: Java String.hashCode, HashMap's (h ^ h>>>16) spreading, default
//    capacity 16 doubling at load factor 0.75, ties in a bucket kept in insertion order, where the
//    insertion order is the order of the `members` vector. (Divergence: member ids that are not
//    ASCII, or 8+ ids colliding in one bucket of a >=64 table, where Java treeifies the bin.)
//  * Sticky keeps, of a member's owned partitions, the first ones sorted by (partition, topic)
//    - partition number first - not by (topic, partition).
//  * Kafka's quirk that an empty-subscription first member does not break "all subscriptions
//    equal" is reproduced (the next member's topics become the reference).
//  * One simplification: Kafka reads the competing claimant's generation from
//    Subscription.generationId() but the claimant's own from the assignor user data; the model has
//    a single generation per member. Owned partitions whose topic is not currently assignable, or
//    whose partition number does not exist, are dropped (Kafka drops only the former; the latter
//    cannot arise in Kafka since partition counts only grow).
//
// Strings compare byte-wise (std::string), Java compares UTF-16 code units: same for ASCII.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace scalebook::sim::kafka {

struct TopicPartition {
  std::string topic;
  int partition = 0;
  // By (topic, partition). Spelled out rather than a defaulted <=>: Emscripten's libc++
  // (clang 14) has no operator<=> for std::string.
  friend bool operator<(const TopicPartition& a, const TopicPartition& b) {
    return a.topic != b.topic ? a.topic < b.topic : a.partition < b.partition;
  }
  friend bool operator==(const TopicPartition&, const TopicPartition&) = default;
};

struct Member {
  std::string id;                                 // member.id
  std::vector<std::string> topics;                // subscription
  std::optional<std::string> group_instance_id;   // static membership (range / round robin order)
  std::vector<TopicPartition> owned;              // previously owned partitions (sticky)
  std::optional<int> generation;                  // generation of `owned`; absent = -1 (sticky)
};

// Cluster metadata: topic -> partition count. Topics nobody subscribes to, and topics with zero
// partitions, are ignored (as AbstractPartitionAssignor does).
using PartitionCounts = std::map<std::string, int>;
// member id -> assigned partitions sorted by (topic, partition). Every member has an entry.
using Assignment = std::map<std::string, std::vector<TopicPartition>>;

Assignment assign_range(const PartitionCounts& partitions, const std::vector<Member>& members);
Assignment assign_round_robin(const PartitionCounts& partitions,
                              const std::vector<Member>& members);

struct StickyResult {
  Assignment assignment;
  // Partitions handed to a new owner while another live member claimed them
  // (AbstractStickyAssignor.partitionsTransferringOwnership): partition -> new owner.
  std::map<TopicPartition, std::string> transferring;
};

// `members` order is the insertion order of Kafka's subscription HashMap (see header comment).
// Throws std::invalid_argument if members' subscriptions differ (general path not modelled),
// std::logic_error if Kafka's own consistency checks would throw IllegalStateException.
StickyResult assign_sticky(const PartitionCounts& partitions, const std::vector<Member>& members);
// CooperativeStickyAssignor: the sticky result minus `transferring` partitions.
StickyResult assign_cooperative_sticky(const PartitionCounts& partitions,
                                       const std::vector<Member>& members);

// Exposed for tests: java.lang.String.hashCode of an ASCII string, and the iteration order of a
// java.util.HashMap<String,?> built with default capacity by inserting `keys` in order.
int java_string_hash(const std::string& s);
std::vector<std::string> java_hashmap_order(const std::vector<std::string>& keys);

}  // namespace scalebook::sim::kafka
