// fanout/scenario.h — the fanout widget's run: one follower graph and workload
// (src/sim/fanout) run through the strategy and an optional comparison strategy in
// lockstep (sim/fanout/comparison.h), with chart samples over the run. UI-free (native
// and Wasm): the view (view.cpp) draws it; the browser's summary, state and digest come
// from here.
//
// configure() turns the schema's values into the model's descs (config.h, the same ones
// `scalebook sim fanout` uses); a change that keeps the graph and workload descs (the
// strategy, the threshold, …) keeps the graph and the posts instead of generating them
// again. compare = strategy runs one lane (the same run twice would be identical; the
// CLI accepts the combination, so it is not a check). advance() applies every event up
// to the new time in every lane and takes a chart sample every sample period of
// simulated time (100 ms, longer for long runs, so that one run is at most 400 samples),
// each after exactly the events at or before its time, so advance(a); advance(b) equals
// advance(a + b). Time keeps running after the end of the workload (nothing more
// happens); animating() stops 1 s after it.
// Kept for the view: the lanes' models (their delivery logs, the first lane's only),
// the workload's events and how many are applied, the last 512 samples per chart.
// Not modelled: anything of the strategies themselves — that is src/sim/fanout.
#pragma once
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "sim/fanout/comparison.h"
#include "sim/fanout/estimate.h"
#include "sim/fanout/graph.h"
#include "sim/fanout/workload.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::fanout {

namespace fo = sim::fanout;

inline constexpr std::int64_t kMinSampleUs = 100'000;  // chart sample period: 100 ms, or longer for long runs
inline constexpr std::int64_t kSamplesPerRun = 400;    // … so that one run is at most this many samples

// Chart series live in widgets/samples.h's rings (UI-free), which the view draws as they are.
using chart::SampleRing;

struct Series {  // one lane's chart samples (512 each: SampleRing's default, bounded memory)
  SampleRing p50_s, p99_s, backlog, memory, write_amp, fan_in;
};

class FanoutScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return time_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override;

  // For the view.
  const std::string& error() const { return error_; }  // "" or "parameter 'k': why"
  // Changes at every configure(): the run started over (the view restarts its particles).
  std::uint64_t run_id() const { return run_id_; }
  double clock_s() const { return static_cast<double>(time_us_) * 1e-6; }
  std::int64_t duration_us() const { return inputs_ ? inputs_->duration_us : 0; }
  std::int64_t sample_us() const { return sample_us_; }
  std::uint32_t celebrities() const { return graph_desc_.celebrities; }  // users 0 … celebrities-1
  const fo::WorkloadDesc& workload_desc() const { return workload_desc_; }
  // Valid when error() is empty.
  const fo::FollowerGraph& graph() const { return *inputs_->graph; }
  std::span<const fo::Event> events() const { return run_.events(); }
  std::size_t events_applied() const { return run_.events_applied(); }
  std::size_t lane_count() const { return run_.lanes().size(); }
  const fo::TimelineSim& lane(std::size_t i) const { return run_.lanes()[i]; }  // 0: the strategy (records deliveries)
  const Series& series(std::size_t i) const { return series_[i]; }
  // The back-of-envelope estimate (mode = estimate shows it under the charts).
  bool estimate_mode() const { return estimate_mode_; }
  const fo::EnvelopeInputs& envelope_inputs() const { return envelope_in_; }
  const fo::Envelope& envelope() const { return envelope_; }
  double target_s() const { return target_s_; }

 private:
  std::int64_t now_capped() const { return std::min(time_us_, duration_us()); }
  void take_sample(std::int64_t t_us);

  std::shared_ptr<const fo::Scenario> inputs_;  // graph + workload, kept while their descs stay
  fo::GraphDesc graph_desc_;
  fo::WorkloadDesc workload_desc_;
  fo::Comparison run_;
  std::vector<Series> series_;
  std::uint64_t run_id_ = 0;
  std::int64_t time_us_ = 0;
  std::int64_t sample_us_ = kMinSampleUs, next_sample_us_ = 0;
  double target_s_ = 5;
  std::string error_;
  bool estimate_mode_ = false;
  fo::EnvelopeInputs envelope_in_;
  fo::Envelope envelope_;
};

}  // namespace scalebook::widgets::fanout

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_fanout_scenario();
}
