// comparison.h — one fan-out scenario (graph + workload) run through one or more
// strategies in lockstep, and what a chart of each lane shows at a moment.
//
// Models: every post and read of the workload is applied to every lane in event order
// (posts before reads at the same µs, as generated), so the lanes answer the same reads
// of the same posts with the same Snowflake IDs — the basis for comparing push, pull and
// hybrid side by side (their timeline digests must be equal). apply_until(t) applies
// every event at or before t, then moves each lane's clock to t.
//
// Invariants: the state after apply_until(t) depends only on t (apply_until(a);
// apply_until(b) with a <= b equals apply_until(b)); once t reaches the end of the run,
// each lane equals run_scenario() of its strategy alone. A Comparison is a value (the
// immutable graph and workload are shared): a copy is a snapshot.
// Not modelled: anything of the strategies themselves (timeline_sim.h).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "sim/fanout/scenario.h"
#include "sim/fanout/timeline_sim.h"

namespace scalebook::sim::fanout {

class Comparison {
 public:
  Comparison() = default;
  // One lane per desc, in order. Preconditions: scenario != nullptr.
  Comparison(std::shared_ptr<const Scenario> scenario, std::span<const SimDesc> lanes);

  void apply_until(std::int64_t t_us);

  bool empty() const { return lanes_.empty(); }
  const Scenario& scenario() const { return *scenario_; }
  std::span<const Event> events() const { return scenario_->workload.events; }
  std::size_t events_applied() const { return next_event_; }  // events()[0 … this) are applied
  const std::vector<TimelineSim>& lanes() const { return lanes_; }

 private:
  std::shared_ptr<const Scenario> scenario_;
  std::vector<TimelineSim> lanes_;
  std::size_t next_event_ = 0;
};

// A lane's chart figures at t_us (after apply_until(t_us)).
struct LaneSample {
  float p50_s = 0, p99_s = 0;  // delivery latency of the inserts of posts made in the last second, s
  float backlog = 0;           // inserts queued
  float memory_bytes = 0;      // timeline caches, all replicas
  float write_amp = 0;         // inserts per post so far (0 before the first post)
  float fan_in = 0;            // fetches per read so far (0 before the first read)
};
LaneSample sample_lane(const TimelineSim& sim, std::int64_t t_us);

}  // namespace scalebook::sim::fanout
