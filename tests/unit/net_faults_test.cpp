// Faults in the network (sim/net/network.h): partitions (nothing crosses, heal restores,
// in-flight messages are lost) and crashes (no sends, no receives, no timers, fresh
// incarnations whose predecessors' timers never fire).
#include <gtest/gtest.h>

#include <vector>

#include "sim/net/network.h"

namespace net = scalebook::sim::net;
using Net = net::Network<int>;
using net::EventKind;

namespace {

struct Delivery {
  net::NodeId from, to;
  int msg;
  std::int64_t time_us;
  bool operator==(const Delivery&) const = default;
};

Net make(std::uint32_t nodes, std::int64_t latency_us = 1000) {
  net::NetworkDesc d;
  d.nodes = nodes;
  d.default_link.latency = net::Latency::constant(latency_us);
  return Net(d);
}

std::vector<Delivery> deliveries(Net& n, std::int64_t until_us) {
  std::vector<Delivery> out;
  n.run_until(until_us, [&](const net::Event<int>& e) {
    if (e.kind == EventKind::Message) out.push_back({e.from, e.node, e.msg, e.time_us});
  });
  return out;
}

std::vector<std::uint64_t> timer_tags(Net& n, std::int64_t until_us) {
  std::vector<std::uint64_t> out;
  n.run_until(until_us, [&](const net::Event<int>& e) {
    if (e.kind == EventKind::Timer) out.push_back(e.tag);
  });
  return out;
}

bool side(net::NodeId n) { return n <= 1; }  // {0, 1} | {2, 3, 4}

}  // namespace

// [SECTION] Partitions

TEST(NetPartition, NoMessageCrossesAndHealRestores) {
  Net n = make(5);
  n.isolate({0, 1});
  for (net::NodeId s = 0; s < 5; ++s) n.broadcast(s, static_cast<int>(s));
  const auto during = deliveries(n, 10'000);
  for (const auto& d : during) EXPECT_EQ(side(d.from), side(d.to)) << d.from << "->" << d.to;
  EXPECT_EQ(during.size(), 2u * 1 + 3u * 2);  // within-side pairs, both directions
  EXPECT_EQ(n.stats().dropped_partition, 2u * 2 * 3);
  n.heal();
  for (net::NodeId s = 0; s < 5; ++s) n.broadcast(s, static_cast<int>(s));
  EXPECT_EQ(deliveries(n, 20'000).size(), 20u);
  EXPECT_EQ(n.stats().dropped_partition, 12u);
}

TEST(NetPartition, InFlightMessagesAcrossANewPartitionAreDropped) {
  Net n = make(3);
  n.send(0, 1, 1);  // will cross the cut
  n.send(2, 1, 2);  // a bystander's message
  n.send(1, 0, 3);
  deliveries(n, 500);
  n.isolate({0});
  const auto got = deliveries(n, 5000);
  EXPECT_EQ(got, (std::vector<Delivery>{{2, 1, 2, 1000}}));
  EXPECT_EQ(n.stats().dropped_partition, 2u);
  EXPECT_EQ(n.stats().in_flight(), 0u);
}

TEST(NetPartition, ACutThatHealsDuringTheFlightStillLosesTheMessage) {
  Net n = make(2);
  n.send(0, 1, 1);
  deliveries(n, 300);
  n.cut_link(0, 1);
  deliveries(n, 600);
  n.restore_link(0, 1);
  n.send(0, 1, 2);  // sent after the heal: arrives
  EXPECT_EQ(deliveries(n, 5000), (std::vector<Delivery>{{0, 1, 2, 1600}}));
  EXPECT_EQ(n.stats().dropped_partition, 1u);
}

TEST(NetPartition, AMessageSentIntoACutIsDroppedAtOnceEvenIfHealedBeforeItWouldArrive) {
  Net n = make(2);
  n.isolate({1});
  n.send(0, 1, 1);
  EXPECT_EQ(n.stats().dropped_partition, 1u);
  EXPECT_EQ(n.pending_events(), 0u);
  n.heal();
  EXPECT_TRUE(deliveries(n, 5000).empty());
}

TEST(NetPartition, AOneWayCutDropsOnlyThatDirection) {
  Net n = make(2);
  n.cut_link(0, 1);
  n.send(0, 1, 1);
  n.send(1, 0, 2);
  EXPECT_EQ(deliveries(n, 5000), (std::vector<Delivery>{{1, 0, 2, 1000}}));
}

TEST(NetPartition, ExplicitSidesLeaveABridgeNodeTalkingToBoth) {
  Net n = make(3);
  n.partition({0}, {1});  // node 2 is in neither side
  n.broadcast(2, 9);
  n.send(0, 1, 1);
  n.send(1, 0, 2);
  const auto got = deliveries(n, 5000);
  EXPECT_EQ(got, (std::vector<Delivery>{{2, 0, 9, 1000}, {2, 1, 9, 1000}}));
}

// [SECTION] Crashes

TEST(NetCrash, ACrashedNodeNeitherSendsNorReceives) {
  Net n = make(3);
  n.crash(1);
  EXPECT_FALSE(n.up(1));
  n.send(1, 0, 1);  // refused at the sender
  n.send(0, 1, 2);  // dropped on arrival
  n.send(0, 2, 3);
  EXPECT_EQ(deliveries(n, 5000), (std::vector<Delivery>{{0, 2, 3, 1000}}));
  EXPECT_EQ(n.stats().dropped_crash, 2u);
  EXPECT_EQ(n.node_stats(1).sent, 1u);
  EXPECT_EQ(n.node_stats(1).dropped_crash, 1u);
  EXPECT_EQ(n.node_stats(0).dropped_crash, 1u);
  EXPECT_EQ(n.node_stats(1).received, 0u);
  EXPECT_EQ(n.stats().sent, n.stats().delivered + n.stats().dropped());
}

TEST(NetCrash, MessagesInFlightToACrashedNodeAreDroppedWhileItIsDown) {
  Net n = make(3);
  n.send(0, 1, 1);  // arrives at 1000: node 1 is down
  n.send(0, 2, 2);  // arrives at 1000: node 2 has restarted by then
  deliveries(n, 200);
  n.crash(1);
  n.crash(2);
  deliveries(n, 500);
  n.restart(2);
  EXPECT_EQ(deliveries(n, 5000), (std::vector<Delivery>{{0, 2, 2, 1000}}));
  EXPECT_EQ(n.stats().dropped_crash, 1u);
}

TEST(NetCrash, WhatACrashedNodeSentBeforeItCrashedStillArrives) {
  Net n = make(2);
  n.send(0, 1, 1);
  n.crash(0);
  EXPECT_EQ(deliveries(n, 5000), (std::vector<Delivery>{{0, 1, 1, 1000}}));
}

TEST(NetCrash, TimersOfADownNodeDoNotFire) {
  Net n = make(2);
  n.set_timer(1, 1000, 1);
  n.set_timer(0, 1000, 2);
  deliveries(n, 500);
  n.crash(1);
  EXPECT_EQ(timer_tags(n, 5000), (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(n.stats().timers_discarded, 1u);
  EXPECT_EQ(n.node_stats(1).timers_discarded, 1u);
}

TEST(NetCrash, RestartGivesAFreshIncarnationAndStaleTimersNeverFire) {
  Net n = make(2);
  EXPECT_EQ(n.incarnation(1), 0u);
  const auto stale = n.set_timer(1, 1000, 1);  // due after the restart
  deliveries(n, 200);
  n.crash(1);
  n.set_timer(1, 800, 2);  // set while down: belongs to the dead incarnation
  deliveries(n, 400);
  n.restart(1);
  EXPECT_TRUE(n.up(1));
  EXPECT_EQ(n.incarnation(1), 1u);
  n.set_timer(1, 1200, 3);  // the new incarnation's own timer
  EXPECT_EQ(timer_tags(n, 5000), (std::vector<std::uint64_t>{3}));
  EXPECT_EQ(n.stats().timers_discarded, 2u);
  EXPECT_FALSE(n.cancel_timer(stale));  // gone: it came due and was discarded
}

TEST(NetCrash, RestartingAnUpNodeIsARebootThatKillsItsTimers) {
  Net n = make(1);
  n.set_timer(0, 1000, 1);
  n.restart(0);
  n.set_timer(0, 2000, 2);
  EXPECT_EQ(timer_tags(n, 5000), (std::vector<std::uint64_t>{2}));
  EXPECT_EQ(n.incarnation(0), 1u);
}

TEST(NetCrash, FaultsAreFoldedIntoTheDigest) {
  auto digest = [](bool crash_idle_node) {
    Net n = make(3);
    n.send(0, 1, 1);
    if (crash_idle_node) n.crash(2);
    deliveries(n, 5000);
    return n.digest().value();
  };
  EXPECT_EQ(digest(false), digest(false));
  EXPECT_NE(digest(false), digest(true));
}
