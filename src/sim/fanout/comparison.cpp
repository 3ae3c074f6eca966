#include "sim/fanout/comparison.h"

namespace scalebook::sim::fanout {

Comparison::Comparison(std::shared_ptr<const Scenario> scenario, std::span<const SimDesc> lanes)
    : scenario_(std::move(scenario)) {
  lanes_.reserve(lanes.size());
  for (const SimDesc& d : lanes) lanes_.emplace_back(scenario_->graph, d, scenario_->workload.last_visit_us);
}

void Comparison::apply_until(std::int64_t t_us) {
  if (lanes_.empty()) return;
  const auto& events = scenario_->workload.events;
  for (; next_event_ < events.size() && events[next_event_].time_us <= t_us; ++next_event_) {
    const Event& e = events[next_event_];
    for (auto& lane : lanes_) {
      if (e.kind == EventKind::Post) lane.post(e.user, e.time_us);
      else lane.read(e.user, e.time_us);
    }
  }
  for (auto& lane : lanes_) lane.advance_to(t_us);
}

LaneSample sample_lane(const TimelineSim& sim, std::int64_t t_us) {
  const FanoutMetrics& m = sim.metrics();
  const LogHistogram recent = m.recent_delivery_latency_us.snapshot(t_us);
  LaneSample s;
  s.p50_s = static_cast<float>(static_cast<double>(recent.quantile(0.5)) * 1e-6);
  s.p99_s = static_cast<float>(static_cast<double>(recent.quantile(0.99)) * 1e-6);
  s.backlog = static_cast<float>(sim.backlog_inserts(t_us));
  s.memory_bytes = static_cast<float>(sim.cache_memory_bytes());
  s.write_amp = m.posts ? static_cast<float>(static_cast<double>(m.deliveries) / static_cast<double>(m.posts)) : 0.0f;
  s.fan_in = m.reads ? static_cast<float>(static_cast<double>(m.fetches) / static_cast<double>(m.reads)) : 0.0f;
  return s;
}

}  // namespace scalebook::sim::fanout
