// Kafka consumer partition assignors: ports of apache/kafka's own unit-test expectations
// (commit 1eb7644349cb07139d6a3c1ad1986979647cac99) plus seeded property tests.
// Each ported TEST is named after the Kafka test class and method it ports. Kafka runs most of
// them under several RackConfig values; the model has no racks, so the no-rack case is ported.
// Member vectors list members in the order Kafka's test inserts them into its HashMap.
#include "sim/kafka/assignors.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <stdexcept>

namespace k = scalebook::sim::kafka;
using k::Assignment;
using k::Member;
using k::PartitionCounts;
using k::TopicPartition;
using TPs = std::vector<TopicPartition>;

namespace {

TopicPartition tp(const std::string& t, int p) { return {t, p}; }
TPs sorted(TPs v) {
  std::sort(v.begin(), v.end());
  return v;
}
Member mem(std::string id, std::vector<std::string> topics, TPs owned = {},
           std::optional<int> gen = std::nullopt) {
  Member m;
  m.id = std::move(id);
  m.topics = std::move(topics);
  m.owned = std::move(owned);
  m.generation = gen;
  return m;
}
Member stat(std::string id, std::string instance, std::vector<std::string> topics) {
  Member m = mem(std::move(id), std::move(topics));
  m.group_instance_id = std::move(instance);
  return m;
}
// Kafka test idiom: feed this round's assignment back as owned partitions at `gen`.
void own(std::vector<Member>& ms, const Assignment& a, int gen) {
  for (auto& m : ms) {
    m.owned = a.at(m.id);
    m.generation = gen;
  }
}
std::size_t spread(const Assignment& a) {
  std::size_t lo = SIZE_MAX, hi = 0;
  for (const auto& [id, v] : a) {
    lo = std::min(lo, v.size());
    hi = std::max(hi, v.size());
  }
  return a.empty() ? 0 : hi - lo;
}
std::size_t count_topic(const TPs& v, const std::string& t) {
  return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [&](auto& x) { return x.topic == t; }));
}
bool contains_all(const TPs& big, const TPs& small) {
  std::set<TopicPartition> s(big.begin(), big.end());
  return std::all_of(small.begin(), small.end(), [&](auto& x) { return s.count(x) > 0; });
}

const std::string topic = "topic", topic1 = "topic1", topic2 = "topic2", topic3 = "topic3";
const std::string c1 = "consumer1", c2 = "consumer2", c3 = "consumer3", c4 = "consumer4";

}  // namespace

// ---------------------------------------------------------------- Java HashMap emulation
TEST(KafkaJavaHashMap, StringHashMatchesJava) {
  EXPECT_EQ(k::java_string_hash(""), 0);
  EXPECT_EQ(k::java_string_hash("a"), 97);
  EXPECT_EQ(k::java_string_hash("hello"), 99162322);           // "hello".hashCode()
  EXPECT_EQ(k::java_string_hash("consumer1"), -421004549);  // "consumer1".hashCode()
}

// ---------------------------------------------------------------- RangeAssignor
TEST(KafkaRangeAssignorTest, testOneConsumerNoTopic) {
  auto a = k::assign_range({}, {mem(c1, {})});
  ASSERT_EQ(a.size(), 1u);
  EXPECT_TRUE(a[c1].empty());
}
TEST(KafkaRangeAssignorTest, testOneConsumerNonexistentTopic) {
  auto a = k::assign_range({}, {mem(c1, {topic1})});
  EXPECT_TRUE(a[c1].empty());
}
TEST(KafkaRangeAssignorTest, testOneConsumerOneTopic) {
  auto a = k::assign_range({{topic1, 3}}, {mem(c1, {topic1})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0), tp(topic1, 1), tp(topic1, 2)}));
}
TEST(KafkaRangeAssignorTest, testOnlyAssignsPartitionsFromSubscribedTopics) {
  auto a = k::assign_range({{topic1, 3}, {"other", 3}}, {mem(c1, {topic1})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0), tp(topic1, 1), tp(topic1, 2)}));
}
TEST(KafkaRangeAssignorTest, testOneConsumerMultipleTopics) {
  auto a = k::assign_range({{topic1, 1}, {topic2, 2}}, {mem(c1, {topic1, topic2})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0), tp(topic2, 0), tp(topic2, 1)}));
}
TEST(KafkaRangeAssignorTest, testTwoConsumersOneTopicOnePartition) {
  auto a = k::assign_range({{topic1, 1}}, {mem(c1, {topic1}), mem(c2, {topic1})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0)}));
  EXPECT_TRUE(a[c2].empty());
}
TEST(KafkaRangeAssignorTest, testTwoConsumersOneTopicTwoPartitions) {
  auto a = k::assign_range({{topic1, 2}}, {mem(c1, {topic1}), mem(c2, {topic1})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0)}));
  EXPECT_EQ(a[c2], (TPs{tp(topic1, 1)}));
}
TEST(KafkaRangeAssignorTest, testMultipleConsumersMixedTopics) {
  auto a = k::assign_range({{topic1, 3}, {topic2, 2}},
                           {mem(c1, {topic1}), mem(c2, {topic1, topic2}), mem(c3, {topic1})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0)}));
  EXPECT_EQ(a[c2], (TPs{tp(topic1, 1), tp(topic2, 0), tp(topic2, 1)}));
  EXPECT_EQ(a[c3], (TPs{tp(topic1, 2)}));
}
TEST(KafkaRangeAssignorTest, testTwoConsumersTwoTopicsSixPartitions) {
  auto a = k::assign_range({{topic1, 3}, {topic2, 3}},
                           {mem(c1, {topic1, topic2}), mem(c2, {topic1, topic2})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0), tp(topic1, 1), tp(topic2, 0), tp(topic2, 1)}));
  EXPECT_EQ(a[c2], (TPs{tp(topic1, 2), tp(topic2, 2)}));
}
TEST(KafkaRangeAssignorTest, testTwoStaticConsumersTwoTopicsSixPartitions) {
  // consumer-b sorts after consumer-a by member id, but before it by instance id.
  auto a = k::assign_range({{topic1, 3}, {topic2, 3}},
                           {stat("consumer-b", "instance1", {topic1, topic2}),
                            stat("consumer-a", "instance2", {topic1, topic2})});
  EXPECT_EQ(a["consumer-b"], (TPs{tp(topic1, 0), tp(topic1, 1), tp(topic2, 0), tp(topic2, 1)}));
  EXPECT_EQ(a["consumer-a"], (TPs{tp(topic1, 2), tp(topic2, 2)}));
}
TEST(KafkaRangeAssignorTest, testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions) {
  auto a = k::assign_range({{topic1, 3}, {topic2, 3}},
                           {stat("consumer-b", "instance1", {topic1, topic2}),
                            mem("consumer-a", {topic1, topic2})});
  EXPECT_EQ(a["consumer-b"], (TPs{tp(topic1, 0), tp(topic1, 1), tp(topic2, 0), tp(topic2, 1)}));
  EXPECT_EQ(a["consumer-a"], (TPs{tp(topic1, 2), tp(topic2, 2)}));
}

// ---------------------------------------------------------------- RoundRobinAssignor
TEST(KafkaRoundRobinAssignorTest, testOneConsumerNoTopic) {
  auto a = k::assign_round_robin({}, {mem(c1, {})});
  EXPECT_TRUE(a[c1].empty());
}
TEST(KafkaRoundRobinAssignorTest, testOneConsumerNonexistentTopic) {
  auto a = k::assign_round_robin({}, {mem(c1, {topic})});
  EXPECT_TRUE(a[c1].empty());
}
TEST(KafkaRoundRobinAssignorTest, testOneConsumerOneTopic) {
  auto a = k::assign_round_robin({{topic, 3}}, {mem(c1, {topic})});
  EXPECT_EQ(a[c1], (TPs{tp(topic, 0), tp(topic, 1), tp(topic, 2)}));
}
TEST(KafkaRoundRobinAssignorTest, testOnlyAssignsPartitionsFromSubscribedTopics) {
  auto a = k::assign_round_robin({{topic, 3}, {"other", 3}}, {mem(c1, {topic})});
  EXPECT_EQ(a[c1], (TPs{tp(topic, 0), tp(topic, 1), tp(topic, 2)}));
}
TEST(KafkaRoundRobinAssignorTest, testOneConsumerMultipleTopics) {
  auto a = k::assign_round_robin({{topic1, 1}, {topic2, 2}}, {mem(c1, {topic1, topic2})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0), tp(topic2, 0), tp(topic2, 1)}));
}
TEST(KafkaRoundRobinAssignorTest, testTwoConsumersOneTopicOnePartition) {
  auto a = k::assign_round_robin({{topic, 1}}, {mem(c1, {topic}), mem(c2, {topic})});
  EXPECT_EQ(a[c1], (TPs{tp(topic, 0)}));
  EXPECT_TRUE(a[c2].empty());
}
TEST(KafkaRoundRobinAssignorTest, testTwoConsumersOneTopicTwoPartitions) {
  auto a = k::assign_round_robin({{topic, 2}}, {mem(c1, {topic}), mem(c2, {topic})});
  EXPECT_EQ(a[c1], (TPs{tp(topic, 0)}));
  EXPECT_EQ(a[c2], (TPs{tp(topic, 1)}));
}
TEST(KafkaRoundRobinAssignorTest, testMultipleConsumersMixedTopics) {
  auto a = k::assign_round_robin({{topic1, 3}, {topic2, 2}},
                                 {mem(c1, {topic1}), mem(c2, {topic1, topic2}), mem(c3, {topic1})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0)}));
  EXPECT_EQ(a[c2], (TPs{tp(topic1, 1), tp(topic2, 0), tp(topic2, 1)}));
  EXPECT_EQ(a[c3], (TPs{tp(topic1, 2)}));
}
TEST(KafkaRoundRobinAssignorTest, testTwoDynamicConsumersTwoTopicsSixPartitions) {
  auto a = k::assign_round_robin({{topic1, 3}, {topic2, 3}},
                                 {mem(c1, {topic1, topic2}), mem(c2, {topic1, topic2})});
  EXPECT_EQ(a[c1], (TPs{tp(topic1, 0), tp(topic1, 2), tp(topic2, 1)}));
  EXPECT_EQ(a[c2], (TPs{tp(topic1, 1), tp(topic2, 0), tp(topic2, 2)}));
}
TEST(KafkaRoundRobinAssignorTest, testTwoStaticConsumersTwoTopicsSixPartitions) {
  auto a = k::assign_round_robin({{topic1, 3}, {topic2, 3}},
                                 {stat("consumer-b", "instance1", {topic1, topic2}),
                                  stat("consumer-a", "instance2", {topic1, topic2})});
  EXPECT_EQ(a["consumer-b"], (TPs{tp(topic1, 0), tp(topic1, 2), tp(topic2, 1)}));
  EXPECT_EQ(a["consumer-a"], (TPs{tp(topic1, 1), tp(topic2, 0), tp(topic2, 2)}));
}
TEST(KafkaRoundRobinAssignorTest, testOneStaticConsumerAndOneDynamicConsumerTwoTopicsSixPartitions) {
  auto a = k::assign_round_robin({{topic1, 3}, {topic2, 3}},
                                 {stat("consumer-b", "instance1", {topic1, topic2}),
                                  mem("consumer-a", {topic1, topic2})});
  EXPECT_EQ(a["consumer-b"], (TPs{tp(topic1, 0), tp(topic1, 2), tp(topic2, 1)}));
  EXPECT_EQ(a["consumer-a"], (TPs{tp(topic1, 1), tp(topic2, 0), tp(topic2, 2)}));
}
TEST(KafkaRoundRobinAssignorTest, testStaticMemberRoundRobinAssignmentPersistentAfterMemberIdChanges) {
  const std::vector<std::string> both{topic1, topic2};
  const PartitionCounts parts{{topic1, 5}, {topic2, 5}};
  std::map<std::string, TPs> expected{
      {"instance1", {tp(topic1, 0), tp(topic1, 3), tp(topic2, 1), tp(topic2, 4)}},
      {"instance2", {tp(topic1, 1), tp(topic1, 4), tp(topic2, 2)}},
      {"instance3", {tp(topic1, 2), tp(topic2, 0), tp(topic2, 3)}}};
  auto by_instance = [](const std::vector<Member>& ms, const Assignment& a) {
    std::map<std::string, TPs> out;
    for (const auto& m : ms) out[*m.group_instance_id] = a.at(m.id);
    return out;
  };
  std::vector<Member> ms{stat(c1, "instance1", both), stat(c2, "instance2", both),
                         stat(c3, "instance3", both)};
  EXPECT_EQ(by_instance(ms, k::assign_round_robin(parts, ms)), expected);
  // Member ids change (consumer3 -> consumer4, consumer2 -> consumer5): same per-instance result.
  std::vector<Member> ms2{stat(c1, "instance1", both), stat("consumer5", "instance2", both),
                          stat(c4, "instance3", both)};
  EXPECT_EQ(by_instance(ms2, k::assign_round_robin(parts, ms2)), expected);
}

// ---------------------------------------------------------------- Sticky (eager)
TEST(KafkaAbstractStickyAssignorTest, testTwoConsumersTwoTopicsSixPartitions) {
  auto r = k::assign_sticky({{topic1, 3}, {topic2, 3}},
                            {mem(c1, {topic1, topic2}), mem(c2, {topic1, topic2})});
  EXPECT_EQ(r.assignment[c1], sorted({tp(topic1, 0), tp(topic1, 2), tp(topic2, 1)}));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic1, 1), tp(topic2, 0), tp(topic2, 2)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest, testConsumerOwningMinQuotaExpectedMaxQuota) {
  const std::vector<std::string> ts{topic1, topic2};
  auto r = k::assign_sticky({{topic1, 2}, {topic2, 3}},
                            {mem(c1, ts, {tp(topic1, 0), tp(topic2, 1)}, 1),
                             mem(c2, ts, {tp(topic1, 1), tp(topic2, 2)}, 1)});
  EXPECT_EQ(r.assignment[c1], sorted({tp(topic1, 0), tp(topic2, 1), tp(topic2, 0)}));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic1, 1), tp(topic2, 2)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest, testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers) {
  // Depends on Java HashMap iteration order: consumer2 is visited before consumer1.
  const std::vector<std::string> ts{topic1, topic2};
  auto r = k::assign_sticky({{topic1, 2}, {topic2, 2}},
                            {mem(c1, ts, {tp(topic1, 0), tp(topic2, 0)}, 1),
                             mem(c2, ts, {tp(topic1, 1), tp(topic2, 1)}, 1), mem(c3, ts, {}, 1)});
  EXPECT_EQ(r.transferring, (std::map<TopicPartition, std::string>{{tp(topic2, 0), c3}}));
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic1, 0)}));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic1, 1), tp(topic2, 1)}));
  EXPECT_EQ(r.assignment[c3], (TPs{tp(topic2, 0)}));
}
TEST(KafkaAbstractStickyAssignorTest, testAllConsumersAreUnderMinQuota) {
  const std::vector<std::string> ts{topic1, topic2};
  auto r = k::assign_sticky({{topic1, 2}, {topic2, 3}},
                            {mem(c1, ts, {tp(topic1, 0)}, 1), mem(c2, ts, {tp(topic1, 1)}, 1),
                             mem(c3, ts, {}, 1)});
  EXPECT_TRUE(r.transferring.empty());
  EXPECT_EQ(r.assignment[c1], sorted({tp(topic1, 0), tp(topic2, 1)}));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic1, 1), tp(topic2, 2)}));
  EXPECT_EQ(r.assignment[c3], (TPs{tp(topic2, 0)}));
}
TEST(KafkaAbstractStickyAssignorTest, testAddRemoveConsumerOneTopic) {
  const PartitionCounts parts{{topic, 3}};
  std::vector<Member> ms{mem(c1, {topic})};
  auto r = k::assign_sticky(parts, ms);
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 0), tp(topic, 1), tp(topic, 2)}));
  own(ms, r.assignment, 1);
  ms.push_back(mem(c2, {topic}, {}, 1));  // join
  r = k::assign_sticky(parts, ms);
  EXPECT_EQ(r.transferring, (std::map<TopicPartition, std::string>{{tp(topic, 2), c2}}));
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 0), tp(topic, 1)}));
  EXPECT_EQ(r.assignment[c2], (TPs{tp(topic, 2)}));
  own(ms, r.assignment, 1);
  ms.erase(ms.begin());  // consumer1 leaves
  r = k::assign_sticky(parts, ms);
  EXPECT_EQ(r.assignment[c2], (TPs{tp(topic, 0), tp(topic, 1), tp(topic, 2)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest, testTopicBalanceAfterReassignment) {
  const std::vector<std::string> ts{topic1, topic2};
  const PartitionCounts parts{{topic1, 12}, {topic2, 12}};
  auto per_topic = [&](const Assignment& a, std::size_t n) {
    for (const auto& [id, v] : a) {
      EXPECT_EQ(count_topic(v, topic1), n) << id;
      EXPECT_EQ(count_topic(v, topic2), n) << id;
    }
  };
  std::vector<Member> ms{mem(c1, ts)};
  auto r = k::assign_sticky(parts, ms);
  per_topic(r.assignment, 12);
  EXPECT_TRUE(r.transferring.empty());
  own(ms, r.assignment, 1);
  ms.push_back(mem(c2, ts, {}, 1));
  r = k::assign_sticky(parts, ms);
  per_topic(r.assignment, 6);
  own(ms, r.assignment, 1);
  ms.push_back(mem(c3, ts, {}, 1));
  ms.push_back(mem(c4, ts, {}, 1));
  r = k::assign_sticky(parts, ms);
  per_topic(r.assignment, 3);
  own(ms, r.assignment, 1);
  ms.erase(ms.begin(), ms.begin() + 2);  // consumer1 and consumer2 leave
  r = k::assign_sticky(parts, ms);
  per_topic(r.assignment, 6);
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest, testAllConsumersReachExpectedQuotaAndAreConsideredFilled) {
  auto r = k::assign_sticky({{topic, 4}}, {mem(c1, {topic}, {tp(topic, 0), tp(topic, 1)}, 1),
                                           mem(c2, {topic}, {tp(topic, 2)}, 1), mem(c3, {topic}, {}, 1)});
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 0), tp(topic, 1)}));
  EXPECT_EQ(r.assignment[c2], (TPs{tp(topic, 2)}));
  EXPECT_EQ(r.assignment[c3], (TPs{tp(topic, 3)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest, testOwnedPartitionsAreInvalidatedForConsumerWithStaleGeneration) {
  const std::vector<std::string> ts{topic, topic2};
  const TPs owned{tp(topic, 0), tp(topic, 2), tp(topic2, 1)};
  auto r = k::assign_sticky({{topic, 3}, {topic2, 3}}, {mem(c1, ts, owned, 10), mem(c2, ts, owned, 9)});
  EXPECT_EQ(r.assignment[c1], sorted(owned));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic, 1), tp(topic2, 0), tp(topic2, 2)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest, testOwnedPartitionsAreInvalidatedForConsumerWithNoGeneration) {
  const std::vector<std::string> ts{topic, topic2};
  const TPs owned{tp(topic, 0), tp(topic, 2), tp(topic2, 1)};
  auto r = k::assign_sticky({{topic, 3}, {topic2, 3}},
                            {mem(c1, ts, owned, 10), mem(c2, ts, owned, std::nullopt)});
  EXPECT_EQ(r.assignment[c1], sorted(owned));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic, 1), tp(topic2, 0), tp(topic2, 2)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest,
     testPartitionsTransferringOwnershipIncludeThePartitionClaimedByMultipleConsumersInSameGeneration) {
  auto r = k::assign_sticky({{topic, 3}}, {mem(c1, {topic}, {tp(topic, 0), tp(topic, 1)}, 1),
                                           mem(c2, {topic}, {tp(topic, 0), tp(topic, 2)}, 1),
                                           mem(c3, {topic}, {}, 1)});
  EXPECT_EQ(r.transferring, (std::map<TopicPartition, std::string>{{tp(topic, 0), c3}}));
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 1)}));
  EXPECT_EQ(r.assignment[c2], (TPs{tp(topic, 2)}));
  EXPECT_EQ(r.assignment[c3], (TPs{tp(topic, 0)}));
}
TEST(KafkaAbstractStickyAssignorTest, testEnsurePartitionsAssignedToHighestGeneration) {
  const std::vector<std::string> ts{topic, topic2, topic3};
  auto r = k::assign_sticky({{topic, 3}, {topic2, 3}, {topic3, 3}},
                            {mem(c1, ts, {tp(topic, 0), tp(topic2, 0), tp(topic3, 0)}, 10),
                             mem(c2, ts, {tp(topic, 1), tp(topic2, 1), tp(topic3, 1)}, 9),
                             mem(c3, ts, {tp(topic2, 1), tp(topic3, 0), tp(topic3, 2)}, 8)});
  EXPECT_EQ(r.assignment[c1], sorted({tp(topic, 0), tp(topic2, 0), tp(topic3, 0)}));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic, 1), tp(topic2, 1), tp(topic3, 1)}));
  EXPECT_EQ(r.assignment[c3], sorted({tp(topic, 2), tp(topic2, 2), tp(topic3, 2)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest, testNoReassignmentOnCurrentMembers) {
  const std::vector<std::string> ts{topic, topic2, topic3, topic1};
  auto r = k::assign_sticky({{topic, 3}, {topic1, 3}, {topic2, 3}, {topic3, 3}},
                            {mem(c1, ts, {}, std::nullopt),
                             mem(c2, ts, {tp(topic, 0), tp(topic2, 0), tp(topic1, 0)}, 9),
                             mem(c3, ts, {tp(topic3, 2), tp(topic2, 2), tp(topic1, 1)}, 8),
                             mem(c4, ts, {tp(topic3, 1), tp(topic, 1), tp(topic, 2)}, 7)});
  EXPECT_EQ(r.assignment[c1], sorted({tp(topic1, 2), tp(topic2, 1), tp(topic3, 0)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaAbstractStickyAssignorTest, testOwnedPartitionsAreInvalidatedForConsumerWithMultipleGeneration) {
  const std::vector<std::string> ts{topic, topic2};
  auto r = k::assign_sticky({{topic, 3}, {topic2, 3}},
                            {mem(c1, ts, {tp(topic, 0), tp(topic2, 1), tp(topic, 1)}, 10),
                             mem(c2, ts, {tp(topic, 0), tp(topic2, 1), tp(topic2, 2)}, 8)});
  EXPECT_EQ(r.assignment[c1], sorted({tp(topic, 0), tp(topic2, 1), tp(topic, 1)}));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic, 2), tp(topic2, 2), tp(topic2, 0)}));
  EXPECT_TRUE(r.transferring.empty());
}
TEST(KafkaStickyAssignorTest,
     testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer) {
  auto r = k::assign_sticky({{topic, 4}}, {mem(c1, {topic}, {tp(topic, 0), tp(topic, 1)}, 1),
                                           mem(c2, {topic}, {tp(topic, 0), tp(topic, 2)}, 1),
                                           mem(c3, {topic}, {}, 1)});
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 1), tp(topic, 3)}));
  EXPECT_EQ(r.assignment[c2], (TPs{tp(topic, 2)}));
  EXPECT_EQ(r.assignment[c3], (TPs{tp(topic, 0)}));
}
TEST(KafkaStickyAssignorTest, testAssignmentWithMultipleGenerations1_allSubscriptionsEqual) {
  const std::vector<std::string> ts{topic, topic2};
  const PartitionCounts parts{{topic, 6}, {topic2, 6}};
  std::vector<Member> ms{mem(c1, ts), mem(c2, ts), mem(c3, ts)};
  auto r1 = k::assign_sticky(parts, ms).assignment;
  ASSERT_TRUE(r1[c1].size() == 4 && r1[c2].size() == 4 && r1[c3].size() == 4);
  std::vector<Member> round2{mem(c1, ts, r1[c1], 1), mem(c2, ts, r1[c2], 1)};  // consumer3 gone
  auto r2 = k::assign_sticky(parts, round2).assignment;
  ASSERT_TRUE(r2[c1].size() == 6 && r2[c2].size() == 6);
  EXPECT_TRUE(contains_all(r2[c1], r1[c1]));
  EXPECT_TRUE(contains_all(r2[c2], r1[c2]));
  // consumer1 leaves; consumer3 returns with its stale generation-1 partitions.
  std::vector<Member> round3{mem(c2, ts, r2[c2], 2), mem(c3, ts, r1[c3], 1)};
  auto r3 = k::assign_sticky(parts, round3).assignment;
  ASSERT_TRUE(r3[c2].size() == 6 && r3[c3].size() == 6);
  std::set<TopicPartition> s2(r3[c2].begin(), r3[c2].end());
  for (const auto& x : r3[c3]) EXPECT_FALSE(s2.count(x));
}
TEST(KafkaStickyAssignorTest, testAssignmentWithConflictingPreviousGenerations_allSubscriptionsEqual) {
  const std::vector<std::string> ts{topic, topic2, topic3};
  const TPs c2p0{tp(topic, 0), tp(topic, 1), tp(topic2, 0), tp(topic2, 1), tp(topic2, 2), tp(topic2, 3)};
  const TPs c3p0{tp(topic, 2), tp(topic, 3), tp(topic3, 0), tp(topic3, 1), tp(topic3, 2), tp(topic3, 3)};
  auto r = k::assign_sticky(
      {{topic, 4}, {topic2, 4}, {topic3, 4}},
      {mem(c1, ts, {tp(topic, 0), tp(topic, 1), tp(topic, 2), tp(topic2, 2), tp(topic2, 3), tp(topic3, 0)}, 1),
       mem(c2, ts, c2p0, 2), mem(c3, ts, c3p0, 2)});
  ASSERT_EQ(r.assignment[c1].size(), 4u);
  ASSERT_EQ(r.assignment[c2].size(), 4u);
  ASSERT_EQ(r.assignment[c3].size(), 4u);
  EXPECT_TRUE(contains_all(c2p0, r.assignment[c2]));
  EXPECT_TRUE(contains_all(c3p0, r.assignment[c3]));
}
TEST(KafkaStickyAssignor, UnequalSubscriptionsAreRejected) {
  EXPECT_THROW(k::assign_sticky({{topic1, 1}, {topic2, 1}}, {mem(c1, {topic1}), mem(c2, {topic2})}),
               std::invalid_argument);
}

// ---------------------------------------------------------------- CooperativeSticky
TEST(KafkaCooperativeStickyAssignorTest,
     testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithEqualPartitionsPerConsumer) {
  auto r = k::assign_cooperative_sticky({{topic, 3}}, {mem(c1, {topic}, {tp(topic, 0), tp(topic, 1)}, 1),
                                                       mem(c2, {topic}, {tp(topic, 0), tp(topic, 2)}, 1),
                                                       mem(c3, {topic}, {}, 1)});
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 1)}));
  EXPECT_EQ(r.assignment[c2], (TPs{tp(topic, 2)}));
  EXPECT_TRUE(r.assignment[c3].empty());  // topic-0 must be revoked by both claimants first
}
TEST(KafkaCooperativeStickyAssignorTest,
     testAllConsumersHaveOwnedPartitionInvalidatedWhenClaimedByMultipleConsumersInSameGenerationWithUnequalPartitionsPerConsumer) {
  auto r = k::assign_cooperative_sticky({{topic, 4}}, {mem(c1, {topic}, {tp(topic, 0), tp(topic, 1)}, 1),
                                                       mem(c2, {topic}, {tp(topic, 0), tp(topic, 2)}, 1),
                                                       mem(c3, {topic}, {}, 1)});
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 1), tp(topic, 3)}));
  EXPECT_EQ(r.assignment[c2], (TPs{tp(topic, 2)}));
  EXPECT_TRUE(r.assignment[c3].empty());
}
TEST(KafkaCooperativeStickyAssignorTest, NoTransfersWhenOwnersAlreadyAtQuota) {  // own check; Kafka's testUniformSubscriptionTransferOwnershipListIsRight needs racks
  // Without racks both owners already hold their quota, so nothing moves.
  auto r = k::assign_cooperative_sticky({{topic1, 4}}, {mem("c0", {topic1}, {tp(topic1, 0), tp(topic1, 1)}, 1),
                                                        mem("c1", {topic1}, {tp(topic1, 2), tp(topic1, 3)}, 1)});
  EXPECT_TRUE(r.transferring.empty());
}
// Kafka's CooperativeStickyAssignorTest.verifyValidityAndBalance re-runs the rebalance until no
// partition is revoked, then checks the abstract test's final expectations.
TEST(KafkaCooperativeStickyAssignorTest, testMaxQuotaConsumerMoreThanNumExpectedMaxCapacityMembers) {
  const std::vector<std::string> ts{topic1, topic2};
  const PartitionCounts parts{{topic1, 2}, {topic2, 2}};
  std::vector<Member> ms{mem(c1, ts, {tp(topic1, 0), tp(topic2, 0)}, 1),
                         mem(c2, ts, {tp(topic1, 1), tp(topic2, 1)}, 1), mem(c3, ts, {}, 1)};
  auto r = k::assign_cooperative_sticky(parts, ms);
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic1, 0)}));  // topic2-0 revoked ...
  EXPECT_TRUE(r.assignment[c3].empty());              // ... not yet handed over
  own(ms, r.assignment, 2);
  r = k::assign_cooperative_sticky(parts, ms);
  EXPECT_TRUE(r.transferring.empty());
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic1, 0)}));
  EXPECT_EQ(r.assignment[c2], sorted({tp(topic1, 1), tp(topic2, 1)}));
  EXPECT_EQ(r.assignment[c3], (TPs{tp(topic2, 0)}));
}
TEST(KafkaCooperativeStickyAssignorTest, testAddRemoveConsumerOneTopic) {
  const PartitionCounts parts{{topic, 3}};
  std::vector<Member> ms{mem(c1, {topic}, {tp(topic, 0), tp(topic, 1), tp(topic, 2)}, 1),
                         mem(c2, {topic}, {}, 1)};
  auto r = k::assign_cooperative_sticky(parts, ms);
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 0), tp(topic, 1)}));
  EXPECT_TRUE(r.assignment[c2].empty());
  own(ms, r.assignment, 2);
  r = k::assign_cooperative_sticky(parts, ms);
  EXPECT_EQ(r.assignment[c1], (TPs{tp(topic, 0), tp(topic, 1)}));
  EXPECT_EQ(r.assignment[c2], (TPs{tp(topic, 2)}));
}

// ---------------------------------------------------------------- properties
namespace {
struct Rng {  // splitmix64, seeded
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int upto(int n) { return static_cast<int>(next() % static_cast<std::uint64_t>(n)); }
};
PartitionCounts random_topics(Rng& g, int max_topics, int max_parts) {
  PartitionCounts pc;
  const int nt = 1 + g.upto(max_topics);
  for (int t = 0; t < nt; ++t) pc["t" + std::to_string(t)] = g.upto(max_parts + 1);
  return pc;
}
std::vector<std::string> names(const PartitionCounts& pc) {
  std::vector<std::string> v;
  for (const auto& [t, n] : pc) v.push_back(t);
  return v;
}
// Checks every partition of a subscribed topic is assigned exactly once, to a subscriber.
void expect_exact_cover(const PartitionCounts& pc, const std::vector<Member>& ms, const Assignment& a) {
  std::map<TopicPartition, int> seen;
  for (const auto& m : ms)
    for (const auto& x : a.at(m.id)) {
      ++seen[x];
      EXPECT_NE(std::find(m.topics.begin(), m.topics.end(), x.topic), m.topics.end());
    }
  std::set<std::string> subscribed;
  for (const auto& m : ms) subscribed.insert(m.topics.begin(), m.topics.end());
  std::size_t expected = 0;
  for (const auto& [t, n] : pc)
    if (subscribed.count(t)) expected += static_cast<std::size_t>(n);
  EXPECT_EQ(seen.size(), expected);
  for (const auto& [x, c] : seen) EXPECT_EQ(c, 1) << x.topic << "-" << x.partition;
}
}  // namespace

TEST(KafkaAssignorProperties, RangeAndRoundRobinCoverAndBalance) {
  Rng g{42};
  for (int iter = 0; iter < 400; ++iter) {
    PartitionCounts pc = random_topics(g, 4, 9);
    auto ts = names(pc);
    std::vector<Member> ms;
    const int nm = 1 + g.upto(6);
    const bool same = g.upto(2) == 0;
    for (int i = 0; i < nm; ++i) {
      std::vector<std::string> sub;
      for (const auto& t : ts)
        if (same || g.upto(2)) sub.push_back(t);
      ms.push_back(mem("m" + std::to_string(g.upto(1000)) + "_" + std::to_string(i), sub));
      if (g.upto(3) == 0) ms.back().group_instance_id = "i" + std::to_string(g.upto(100)) + std::to_string(i);
    }
    auto range = k::assign_range(pc, ms);
    expect_exact_cover(pc, ms, range);
    for (const auto& t : ts) {  // per topic, subscribers' counts differ by at most one
      std::size_t lo = SIZE_MAX, hi = 0;
      for (const auto& m : ms)
        if (std::find(m.topics.begin(), m.topics.end(), t) != m.topics.end()) {
          lo = std::min(lo, count_topic(range[m.id], t));
          hi = std::max(hi, count_topic(range[m.id], t));
        }
      if (hi) { EXPECT_LE(hi - lo, 1u); }
    }
    auto rr = k::assign_round_robin(pc, ms);
    expect_exact_cover(pc, ms, rr);
    if (same) { EXPECT_LE(spread(rr), 1u); }
  }
}

TEST(KafkaAssignorProperties, StickyCoverBalanceAndMaximalStickiness) {
  Rng g{7};
  for (int iter = 0; iter < 600; ++iter) {
    PartitionCounts pc = random_topics(g, 3, 8);
    auto ts = names(pc);
    const int nm = 1 + g.upto(7);
    // Disjoint previous ownership: deal each partition to a random member or to nobody.
    std::vector<Member> ms;
    for (int i = 0; i < nm; ++i) ms.push_back(mem("c" + std::to_string(g.upto(50)) + "x" + std::to_string(i), ts, {}, 3));
    for (const auto& [t, n] : pc)
      for (int p = 0; p < n; ++p) {
        int who = g.upto(nm + 1);
        if (who < nm) ms[static_cast<std::size_t>(who)].owned.push_back(tp(t, p));
      }
    auto r = k::assign_sticky(pc, ms);
    expect_exact_cover(pc, ms, r.assignment);
    EXPECT_LE(spread(r.assignment), 1u);
    int total = 0;
    for (const auto& [t, n] : pc) total += n;
    const int minq = total / nm, maxq = (total + nm - 1) / nm, extra = total % nm;
    int kept = 0, bound = 0, rich = 0;
    for (const auto& m : ms) {
      const int owned = static_cast<int>(m.owned.size());
      std::set<TopicPartition> mine(m.owned.begin(), m.owned.end());
      for (const auto& x : r.assignment[m.id]) kept += static_cast<int>(mine.count(x));
      bound += std::min(owned, minq);
      if (owned >= maxq) ++rich;
    }
    if (maxq > minq) bound += std::min(extra, rich);
    EXPECT_EQ(kept, bound) << "sticky must keep every owned partition the quotas allow";
    // transferring = exactly the partitions taken from a live previous owner.
    std::map<TopicPartition, std::string> moved;
    for (const auto& m : ms)
      for (const auto& x : m.owned) {
        const auto& now = r.assignment[m.id];
        if (!std::binary_search(now.begin(), now.end(), x))
          for (const auto& [id, v] : r.assignment)
            if (std::binary_search(v.begin(), v.end(), x)) moved[x] = id;
      }
    EXPECT_EQ(r.transferring, moved);
  }
}

TEST(KafkaAssignorProperties, CooperativeNeverHandsOverWhileOwnedAndConverges) {
  Rng g{2024};
  for (int iter = 0; iter < 300; ++iter) {
    PartitionCounts pc = random_topics(g, 3, 8);
    auto ts = names(pc);
    const int nm = 1 + g.upto(6);
    std::vector<Member> ms;
    for (int i = 0; i < nm; ++i) ms.push_back(mem("k" + std::to_string(i), ts, {}, 1));
    for (const auto& [t, n] : pc)  // possibly overlapping claims, mixed generations
      for (int p = 0; p < n; ++p)
        for (int c = 0; c < 2; ++c) {
          int who = g.upto(nm + 2);
          if (who < nm) ms[static_cast<std::size_t>(who)].owned.push_back(tp(t, p));
        }
    for (auto& m : ms) m.generation = g.upto(3) == 0 ? std::nullopt : std::optional<int>(1 + g.upto(2));
    int rounds = 0;
    for (;; ++rounds) {
      ASSERT_LE(rounds, 3);
      auto r = k::assign_cooperative_sticky(pc, ms);
      std::map<TopicPartition, std::string> owner_of;
      std::set<TopicPartition> revoked_somewhere;
      for (const auto& m : ms)
        for (const auto& x : m.owned) {
          const auto& now = r.assignment[m.id];
          if (!std::binary_search(now.begin(), now.end(), x)) revoked_somewhere.insert(x);
        }
      for (const auto& m : ms) {
        std::set<TopicPartition> mine(m.owned.begin(), m.owned.end());
        for (const auto& x : r.assignment[m.id])
          if (!mine.count(x)) { EXPECT_FALSE(revoked_somewhere.count(x)) << "handed over while owned"; }
      }
      if (revoked_somewhere.empty()) {
        expect_exact_cover(pc, ms, r.assignment);
        EXPECT_LE(spread(r.assignment), 1u);
        break;
      }
      own(ms, r.assignment, 5 + rounds);
    }
  }
}

TEST(KafkaJavaHashMap, IterationOrderFollowsBuckets) {
  // Buckets (16-slot table): consumer1 -> 12, consumer2 -> 11, consumer3 -> 10.
  EXPECT_EQ(k::java_hashmap_order({"consumer1", "consumer2", "consumer3"}),
            (std::vector<std::string>{"consumer3", "consumer2", "consumer1"}));
}
