// kafka/scenario.h — the consumer-group widget's run: one topic of P partitions, producers
// appending at a steady rate, a group of consumers with auto-commit, and the classic
// rebalance protocol, eager or cooperative (src/sim/kafka/group.h, assignments from
// src/sim/kafka/assignors.h). The reader's actions mid-run: a consumer joins, leaves
// gracefully, crashes, or restarts.
// UI-free (native and Wasm): the view (view.cpp) draws it; summary, state and digest come
// from here, and `scalebook sim kafka --action 10:crash:2 --until 60` runs it natively.
//
// Parameters → Kafka config: assignor → partition.assignment.strategy (range, roundrobin and
// sticky run the eager protocol, cooperative-sticky the cooperative one, as in Kafka),
// session_timeout_ms → session.timeout.ms (45 s since Kafka 3.0), heartbeat_interval_ms →
// heartbeat.interval.ms (3 s), auto_commit_ms → auto.commit.interval.ms (5 s),
// static_membership → a group.instance.id per consumer. rebalance_ms is the model's: how long
// one JoinGroup/SyncGroup round takes (Kafka's depends on the members' poll loops).
//
// Timeline: the group advances on its own 10 ms grid (group.h); a sample every 100 ms
// records the group's lag and the partitions being consumed, taken after the group reached
// the sample's instant, so advance(a); advance(b) == advance(a + b).
#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/kafka/group.h"
#include "widgets/params.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::kafka {

namespace kg = sim::kafka;

inline constexpr std::int64_t kSampleUs = 100'000;

// What a consumer is doing, as the view and the state show it.
enum class Doing : std::uint8_t { Consuming, Idle, Rebalancing, Revoked, DeadUndetected, StoppedUndetected, Gone };
const char* doing_word(Doing d);

// "" or "parameter 'heartbeat_interval_ms': …" (the heartbeat must be shorter than the session).
std::string check_params(const std::map<std::string, std::string>& p);

class KafkaScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return group_ ? group_->now_us() : 0; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return ok() && time_us() < duration_us_; }
  std::string act(const Action& a) override;

  bool ok() const { return group_.has_value(); }
  std::int64_t duration_us() const { return duration_us_; }
  const kg::ConsumerGroup& group() const { return *group_; }
  // The member the view shows for a slot (its newest incarnation) and what it is doing.
  Doing doing(int member_index) const;

  const chart::SampleRing& lag_samples() const { return lag_; }          // records, group total
  const chart::SampleRing& consuming_samples() const { return consuming_; }  // partitions consumed

 private:
  void sample();
  std::optional<kg::ConsumerGroup> group_;
  std::int64_t duration_us_ = 0, next_sample_us_ = 0;
  chart::SampleRing lag_, consuming_;
};

}  // namespace scalebook::widgets::kafka

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_kafka_scenario();
}
