// Tiny protocols end to end on sim/net/network.h: ping-pong, and a broadcast-and-ack with
// retransmission timers that must converge through loss, a partition and a crash.
#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "sim/net/network.h"

namespace net = scalebook::sim::net;
using net::EventKind;

namespace {

struct Msg {
  enum class Kind : std::uint8_t { Value, Ack };
  Kind kind = Kind::Value;
  std::int64_t value = 0;
  void add_to(scalebook::sim::TraceDigest& d) const {
    d.add_byte(static_cast<std::uint8_t>(kind));
    d.add_i64(value);
  }
};
using Net = net::Network<Msg>;

// Node 0 sends VALUE to every other node and, every retry_us, again to those that have not
// acked; a receiver keeps the value in memory (lost when it crashes) and acks every copy.
class BroadcastAndAck {
 public:
  static constexpr std::uint64_t kRetry = 1;

  BroadcastAndAck(Net& net, std::int64_t retry_us)
      : net_(net), retry_us_(retry_us), ack_us_(net.nodes()), stored_(net.nodes()) {}

  void start(std::int64_t value) {
    value_ = value;
    stored_[0] = value;
    for (net::NodeId to = 1; to < net_.nodes(); ++to) net_.send(0, to, Msg{Msg::Kind::Value, value});
    timer_ = net_.set_timer_after(0, retry_us_, kRetry);
  }

  void on_event(const net::Event<Msg>& e) {
    if (e.kind == EventKind::Timer) {
      for (net::NodeId to = 1; to < net_.nodes(); ++to) {
        if (ack_us_[to]) continue;
        net_.send(0, to, Msg{Msg::Kind::Value, value_});
        ++retransmissions_;
      }
      timer_ = net_.set_timer_after(0, retry_us_, kRetry);
    } else if (e.msg.kind == Msg::Kind::Value) {
      stored_[e.node] = e.msg.value;
      net_.send(e.node, e.from, Msg{Msg::Kind::Ack, e.msg.value});
    } else if (!ack_us_[e.from]) {
      ack_us_[e.from] = e.time_us;
      if (++acks_ == net_.nodes() - 1) {
        EXPECT_TRUE(net_.cancel_timer(timer_));
        done_us_ = e.time_us;
      }
    }
  }
  void on_restart(net::NodeId n) { stored_[n].reset(); }  // its memory is gone

  std::optional<std::int64_t> done_us() const { return done_us_; }
  std::optional<std::int64_t> ack_us(net::NodeId n) const { return ack_us_[n]; }
  std::optional<std::int64_t> stored(net::NodeId n) const { return stored_[n]; }
  std::uint64_t retransmissions() const { return retransmissions_; }

 private:
  Net& net_;
  std::int64_t retry_us_;
  std::int64_t value_ = 0;
  net::TimerId timer_ = net::kNoTimer;
  std::vector<std::optional<std::int64_t>> ack_us_;
  std::vector<std::optional<std::int64_t>> stored_;
  std::uint32_t acks_ = 0;
  std::uint64_t retransmissions_ = 0;
  std::optional<std::int64_t> done_us_;
};

struct Outcome {
  bool all_acked = false;
  std::uint64_t digest = 0;
};

// 5 nodes, jittered lossy links; node 3 is cut off for the first 100 ms, node 4 is down
// for the first 150 ms (and comes back with empty memory).
Outcome run_broadcast(std::uint64_t seed, Net* keep = nullptr) {
  net::NetworkDesc d;
  d.nodes = 5;
  d.seed = seed;
  d.default_link = net::LinkDesc{net::Latency::log_normal(500, 2000, 0.6), 0.3};
  Net local(d);
  Net& n = keep ? *keep : local;
  BroadcastAndAck p(n, 10'000);
  auto handle = [&](const net::Event<Msg>& e) { p.on_event(e); };
  n.isolate({3});
  n.crash(4);
  p.start(77);
  n.run_until(100'000, handle);
  n.heal();
  n.run_until(150'000, handle);
  n.restart(4);
  p.on_restart(4);
  n.run_until(2'000'000, handle);

  EXPECT_TRUE(p.done_us().has_value());
  for (net::NodeId i = 1; i < 5; ++i) {
    EXPECT_TRUE(p.ack_us(i).has_value()) << i;
    EXPECT_EQ(p.stored(i), std::optional<std::int64_t>(77)) << i;
  }
  EXPECT_GT(p.ack_us(3).value_or(0), 100'000 + 2 * 500);  // not before the heal, plus a round trip
  EXPECT_GT(p.ack_us(4).value_or(0), 150'000 + 2 * 500);  // not before the restart
  EXPECT_GT(p.retransmissions(), 0u);
  EXPECT_EQ(n.node_stats(0).sent, 4 + p.retransmissions());
  EXPECT_EQ(n.pending_events(), 0u);  // converged: the retry timer was cancelled, nothing in flight
  EXPECT_EQ(n.stats().sent, n.stats().delivered + n.stats().dropped());
  return {p.done_us().has_value(), n.digest().value()};
}

}  // namespace

TEST(NetProtocol, PingPongBouncesUntilTheCounterRunsOut) {
  Net n({.nodes = 2, .seed = 1, .default_link = {net::Latency::constant(1000), 0.0}, .fifo_links = false});
  std::vector<std::pair<net::NodeId, std::int64_t>> got;  // (receiver, value)
  n.send(0, 1, Msg{Msg::Kind::Value, 0});
  n.run_until(1'000'000, [&](const net::Event<Msg>& e) {
    got.push_back({e.node, e.msg.value});
    if (e.msg.value < 10) n.send(e.node, e.from, Msg{Msg::Kind::Value, e.msg.value + 1});
  });
  ASSERT_EQ(got.size(), 11u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].first, i % 2 == 0 ? 1u : 0u);
    EXPECT_EQ(got[i].second, static_cast<std::int64_t>(i));
  }
  EXPECT_EQ(n.stats().delivered, 11u);
  EXPECT_EQ(n.node_stats(1).received, 6u);
}

TEST(NetProtocol, BroadcastAndAckConvergesThroughLossPartitionAndCrash) {
  net::NetworkDesc d;
  d.nodes = 5;
  d.seed = 3;
  d.default_link = net::LinkDesc{net::Latency::log_normal(500, 2000, 0.6), 0.3};
  Net n(d);
  const Outcome o = run_broadcast(3, &n);
  EXPECT_TRUE(o.all_acked);
  EXPECT_GT(n.stats().dropped_loss, 0u);
  EXPECT_GT(n.stats().dropped_partition, 0u);
  EXPECT_GT(n.stats().dropped_crash, 0u);
  EXPECT_GT(n.stats().timers_fired, 10u);  // it kept retrying through the 150 ms outage
}

TEST(NetProtocol, BroadcastAndAckIsAFunctionOfItsSeed) {
  const Outcome a = run_broadcast(11), b = run_broadcast(11), c = run_broadcast(12);
  EXPECT_EQ(a.digest, b.digest);
  EXPECT_NE(a.digest, c.digest);
}
