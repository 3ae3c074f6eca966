// Network delivery (sim/net/network.h): latency, the tie rule, determinism, per-sender
// streams, loss statistics, FIFO links, link overrides, timers.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <tuple>
#include <vector>

#include "sim/net/network.h"

namespace net = scalebook::sim::net;
using Net = net::Network<int>;
using net::EventKind;

namespace {

struct Seen {
  EventKind kind;
  std::int64_t time_us, sent_us;
  net::NodeId node, from;
  std::uint64_t id, tag;
  int msg;
  bool operator==(const Seen&) const = default;
};

Seen seen(const net::Event<int>& e) { return {e.kind, e.time_us, e.sent_us, e.node, e.from, e.id, e.tag, e.msg}; }

std::vector<Seen> drain(Net& n, std::int64_t until_us = INT64_MAX / 2) {
  std::vector<Seen> out;
  n.run_until(until_us, [&](const net::Event<int>& e) { out.push_back(seen(e)); });
  return out;
}

net::NetworkDesc desc(std::uint32_t nodes, std::uint64_t seed, net::Latency latency, double loss = 0.0) {
  net::NetworkDesc d;
  d.nodes = nodes;
  d.seed = seed;
  d.default_link = net::LinkDesc{latency, loss};
  return d;
}

// A gossip storm with jittered latency: every delivery is forwarded to a node picked by
// the receiver's protocol stream until the hop budget runs out; plus periodic timers.
struct Storm {
  std::vector<Seen> events;
  std::uint64_t digest;
};
Storm storm(std::uint64_t seed) {
  Net n(desc(5, seed, net::Latency::log_normal(200, 1000, 0.7), 0.05));
  for (net::NodeId s = 0; s < 5; ++s) {
    n.send(s, (s + 1) % 5, 40);
    n.set_timer(s, 500 * (s + 1), s);
  }
  Storm out;
  n.run_until(1'000'000, [&](const net::Event<int>& e) {
    out.events.push_back(seen(e));
    if (e.kind == EventKind::Timer) {
      n.broadcast(e.node, 3);
    } else if (e.msg > 0) {
      const auto to = static_cast<net::NodeId>(n.rng(e.node).uniform_int(5));
      n.send(e.node, to, e.msg - 1);
    }
  });
  out.digest = n.digest().value();
  return out;
}

}  // namespace

TEST(NetDelivery, ConstantLatencyArrivesExactlyThen) {
  Net n(desc(2, 1, net::Latency::constant(1500)));
  n.run_until(100, [](const net::Event<int>&) {});
  ASSERT_EQ(n.now_us(), 100);
  const auto id = n.send(0, 1, 42);
  EXPECT_FALSE(n.step(1599).has_value());
  EXPECT_EQ(n.now_us(), 1599);
  const auto e = n.step(5000);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(seen(*e), (Seen{EventKind::Message, 1600, 100, 1, 0, id, 0, 42}));
  EXPECT_EQ(n.now_us(), 1600);
  EXPECT_FALSE(n.step(5000).has_value());
  EXPECT_EQ(n.now_us(), 5000);
}

TEST(NetDelivery, SameTimeEventsComeOutInTheOrderTheyWereScheduled) {
  // Everything below is due at t = 100; the calls interleave nodes, timers and messages.
  auto run = [](bool reversed) {
    Net n(desc(3, 1, net::Latency::constant(100)));
    std::vector<std::function<void()>> calls{
        [&] { n.set_timer(1, 100, 7); }, [&] { n.send(0, 1, 10); }, [&] { n.send(2, 1, 20); },
        [&] { n.set_timer(0, 100, 8); }, [&] { n.send(1, 0, 30); }};
    if (reversed) std::reverse(calls.begin(), calls.end());
    for (auto& c : calls) c();
    std::vector<std::pair<std::uint64_t, int>> order;  // (tag, msg)
    for (const auto& s : drain(n)) {
      EXPECT_EQ(s.time_us, 100);
      order.push_back({s.tag, s.msg});
    }
    return order;
  };
  using V = std::vector<std::pair<std::uint64_t, int>>;
  EXPECT_EQ(run(false), (V{{7, 0}, {0, 10}, {0, 20}, {8, 0}, {0, 30}}));
  EXPECT_EQ(run(true), (V{{0, 30}, {8, 0}, {0, 20}, {0, 10}, {7, 0}}));
}

TEST(NetDelivery, JitteredDeliveriesAreSortedByArrivalThenSendOrder) {
  // Oracle: all sends happen at t = 0, so the queue's order must be (arrival, message id).
  Net n(desc(5, 9, net::Latency::uniform(0, 20)));
  for (int i = 0; i < 2000; ++i) n.send(i % 5, (i * 7 + 3) % 5, i);
  const auto got = drain(n);
  ASSERT_EQ(got.size(), 2000u);
  int ties = 0;
  std::vector<int> seen_ids(2000, 0);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_GE(got[i].time_us, 0);
    EXPECT_LE(got[i].time_us, 20);
    ++seen_ids[got[i].id];
    if (i == 0) continue;
    EXPECT_LT(std::tie(got[i - 1].time_us, got[i - 1].id), std::tie(got[i].time_us, got[i].id));
    ties += got[i - 1].time_us == got[i].time_us;
  }
  EXPECT_GT(ties, 1000);  // the tie rule was really exercised
  EXPECT_EQ(std::count(seen_ids.begin(), seen_ids.end(), 1), 2000);
}

TEST(NetDelivery, LatencyStaysWithinTheLinkBounds) {
  Net n(desc(3, 4, net::Latency::log_normal(300, 800, 1.2, 5000)));
  for (int i = 0; i < 3000; ++i) n.send(i % 3, (i + 1) % 3, i);
  std::int64_t lo = INT64_MAX, hi = 0;
  for (const auto& s : drain(n)) {
    lo = std::min(lo, s.time_us - s.sent_us);
    hi = std::max(hi, s.time_us - s.sent_us);
  }
  EXPECT_GE(lo, 300);
  EXPECT_LE(hi, 5000);
  EXPECT_LT(lo, 400);  // the distribution spans its range
  EXPECT_EQ(hi, 5000);
}

TEST(NetDelivery, SameSeedSameRunDifferentSeedDifferentRun) {
  const Storm a = storm(21), b = storm(21), c = storm(22);
  ASSERT_GT(a.events.size(), 100u);
  EXPECT_EQ(a.events, b.events);
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_NE(a.events, c.events);
  EXPECT_NE(a.digest, c.digest);
}

TEST(NetDelivery, WithoutJitterOrLossTheSeedDoesNotMatter) {
  auto run = [](std::uint64_t seed) {
    Net n(desc(4, seed, net::Latency::constant(250)));
    for (int i = 0; i < 40; ++i) n.send(i % 4, (i / 4) % 4, i);
    return std::pair{drain(n), n.digest().value()};
  };
  EXPECT_EQ(run(1), run(2));
}

TEST(NetDelivery, OneSendersTrafficNeverShiftsAnothersDelays) {
  auto delays_of_node0 = [](bool node2_talks, bool protocol_draws) {
    Net n(desc(3, 5, net::Latency::uniform(100, 10'000)));
    std::vector<std::int64_t> d;  // in send order
    auto record = [&](const net::Event<int>& e) {
      if (e.from == 0) d.push_back(e.time_us - e.sent_us);
    };
    for (int i = 0; i < 200; ++i) {
      n.send(0, 1, i);
      if (node2_talks) n.send(2, 1, -i);
      if (protocol_draws) n.rng(0).next_u64();
      n.run_until(n.now_us() + 50, record);
    }
    n.run_until(INT64_MAX / 2, record);
    return d;
  };
  const auto base = delays_of_node0(false, false);
  ASSERT_EQ(base.size(), 200u);
  EXPECT_EQ(base, delays_of_node0(true, false));
  EXPECT_EQ(base, delays_of_node0(false, true));
}

TEST(NetDelivery, LossRateMatchesTheLinkWithinTolerance) {
  Net n(desc(4, 17, net::Latency::uniform(10, 5000), 0.2));
  const int kMessages = 20000;
  for (int i = 0; i < kMessages; ++i) n.send(i % 4, (i + 1 + i / 4) % 4, i);
  const auto got = drain(n);
  const auto& s = n.stats();
  EXPECT_EQ(s.sent, static_cast<std::uint64_t>(kMessages));
  EXPECT_NEAR(static_cast<double>(s.dropped_loss) / kMessages, 0.2, 0.012);  // sd ≈ 0.0028
  EXPECT_EQ(s.delivered, got.size());
  EXPECT_EQ(s.sent, s.delivered + s.dropped());
  EXPECT_EQ(s.in_flight(), 0u);
  std::uint64_t per_node_sent = 0, per_node_loss = 0, per_node_received = 0;
  for (net::NodeId i = 0; i < 4; ++i) {
    per_node_sent += n.node_stats(i).sent;
    per_node_loss += n.node_stats(i).dropped_loss;
    per_node_received += n.node_stats(i).received;
  }
  EXPECT_EQ(per_node_sent, s.sent);
  EXPECT_EQ(per_node_loss, s.dropped_loss);
  EXPECT_EQ(per_node_received, s.delivered);
}

TEST(NetDelivery, InFlightCountsMessagesOnTheWire) {
  Net n(desc(2, 1, net::Latency::constant(1000)));
  n.send(0, 1, 1);
  n.send(1, 0, 2);
  EXPECT_EQ(n.stats().in_flight(), 2u);
  EXPECT_EQ(n.node_stats(0).in_flight(), 1u);
  n.step(1000);
  EXPECT_EQ(n.stats().in_flight(), 1u);
}

TEST(NetDelivery, FifoLinksNeverReorderWhileDatagramLinksDo) {
  auto ids = [](bool fifo) {
    auto d = desc(2, 3, net::Latency::uniform(0, 1000));
    d.fifo_links = fifo;
    Net n(d);
    std::vector<std::uint64_t> out;
    auto record = [&](const net::Event<int>& e) { out.push_back(e.id); };
    for (int i = 0; i < 200; ++i) {
      n.send(0, 1, i);
      n.run_until(n.now_us() + 5, record);
    }
    n.run_until(INT64_MAX / 2, record);
    return out;
  };
  const auto udp = ids(false), tcp = ids(true);
  ASSERT_EQ(udp.size(), 200u);
  ASSERT_EQ(tcp.size(), 200u);
  EXPECT_FALSE(std::is_sorted(udp.begin(), udp.end()));
  EXPECT_TRUE(std::is_sorted(tcp.begin(), tcp.end()));
}

TEST(NetDelivery, LinkOverridesAndDefaultChangesApplyToLaterSends) {
  Net n(desc(3, 1, net::Latency::constant(1000)));
  n.set_link(0, 1, net::LinkDesc{net::Latency::constant(50), 0.0});
  n.send(0, 1, 1);
  n.send(1, 0, 2);
  n.send(0, 2, 3);
  n.set_default_link(net::LinkDesc{net::Latency::constant(3000), 0.0});
  n.send(2, 0, 4);  // sent after the change
  std::vector<std::pair<int, std::int64_t>> got;
  for (const auto& s : drain(n)) got.push_back({s.msg, s.time_us});
  EXPECT_EQ(got, (std::vector<std::pair<int, std::int64_t>>{{1, 50}, {2, 1000}, {3, 1000}, {4, 3000}}));
}

TEST(NetDelivery, TimersFireOnceAtTheirTimeUnlessCancelled) {
  Net n(desc(2, 1, net::Latency::constant(10)));
  n.run_until(1000, [](const net::Event<int>&) {});
  const auto a = n.set_timer(0, 5000, 1);
  const auto b = n.set_timer_after(1, 2000, 2);  // due at 3000
  const auto c = n.set_timer(1, 4000, 3);
  const auto past = n.set_timer(0, 10, 4);  // in the past: fires now
  EXPECT_NE(a, net::kNoTimer);
  EXPECT_TRUE(n.cancel_timer(c));
  EXPECT_FALSE(n.cancel_timer(c));
  const auto got = drain(n);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0], (Seen{EventKind::Timer, 1000, 1000, 0, 0, past, 4, 0}));
  EXPECT_EQ(got[1], (Seen{EventKind::Timer, 3000, 1000, 1, 1, b, 2, 0}));
  EXPECT_EQ(got[2], (Seen{EventKind::Timer, 5000, 1000, 0, 0, a, 1, 0}));
  EXPECT_FALSE(n.cancel_timer(a));  // already fired
  EXPECT_EQ(n.stats().timers_set, 4u);
  EXPECT_EQ(n.stats().timers_fired, 3u);
  EXPECT_EQ(n.stats().timers_cancelled, 1u);
  EXPECT_EQ(n.node_stats(1).timers_fired, 1u);
}

TEST(NetDelivery, NextEventSkipsAheadWithoutPassingIdleTime) {
  Net n(desc(2, 1, net::Latency::constant(700)));
  n.send(0, 1, 5);
  const auto e = n.next_event();
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->time_us, 700);
  EXPECT_FALSE(n.next_event().has_value());
  EXPECT_EQ(n.now_us(), 700);  // idle: the clock stays
}

TEST(NetDelivery, PayloadsAreFoldedIntoTheDigest) {
  auto digest = [](int payload) {
    Net n(desc(2, 1, net::Latency::constant(10)));
    n.send(0, 1, payload);
    drain(n);
    return n.digest().value();
  };
  EXPECT_EQ(digest(1), digest(1));
  EXPECT_NE(digest(1), digest(2));
}

TEST(NetDelivery, ACopyIsASnapshotThatReplaysTheSameFuture) {
  Net n(desc(3, 8, net::Latency::exponential(100, 2000), 0.1));
  for (int i = 0; i < 300; ++i) n.send(i % 3, (i + 1) % 3, i);
  n.set_timer(2, 4000, 5);
  drain(n, 1500);
  Net copy = n;
  const auto a = drain(n), b = drain(copy);
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_EQ(n.digest().value(), copy.digest().value());
  // From here the two diverge independently.
  n.set_default_link(net::LinkDesc{net::Latency::constant(10), 0.0});
  copy.set_default_link(net::LinkDesc{net::Latency::constant(10), 0.0});
  n.send(0, 1, 1);
  copy.send(0, 2, 1);
  const auto from_n = n.next_event(), from_copy = copy.next_event();
  ASSERT_TRUE(from_n.has_value() && from_copy.has_value());
  EXPECT_EQ(from_n->node, 1u);
  EXPECT_EQ(from_copy->node, 2u);
  EXPECT_EQ(n.stats().sent, copy.stats().sent);
  EXPECT_NE(n.digest().value(), copy.digest().value());
}
