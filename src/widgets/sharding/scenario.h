// sharding/scenario.h — the sharding widget's run: one membership change under one or two
// strategies on the same keys (src/sim/sharding/rebalance.h), played out on a timeline.
// UI-free (native and Wasm): the view (view.cpp) draws it; the browser's summary, state and
// digest come from here.
//
// configure() builds the workload from the parameters and the seed, then for the main
// strategy (and the compared one, if any and different) the rebalance of the operation —
// add-node when `operation` is none, so there is always something to watch — with a
// sample of kMaxDrawnKeys keys to follow (the kHotKeys hottest first when popularity is
// skewed), laid out as column stacks (column_slots) with a departure time per mover.
//
// Timeline (simulated seconds; 1 simulated second per real second at speed 1): 0–2 s the
// cluster as configured; at 2 s the operation; movers leave over 0.25 s, top of each
// column first, and each flies 0.7 s, so all have landed at 2.95 s; from then on the new
// placement holds and nothing animates. Everything is a function of the time, so
// advance(a); advance(b) equals advance(a + b).
//
// The parameters a fence, a page or the CLI may set are checked by check_params (the
// widget's WidgetInfo::check): combinations the model cannot run, and what the widget
// cannot show — more than kMaxKeys keys or kMaxGeneratedNodes generated nodes (the command
// line, which draws nothing, takes the schema's whole range: check_model_params).
// Not modelled: anything of the strategies themselves — that is src/sim/sharding.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/sharding/rebalance.h"
#include "sim/sharding/workload.h"
#include "widgets/params.h"
#include "widgets/scenario.h"
#include "widgets/sharding/node_step.h"

namespace scalebook::widgets::sharding {

namespace sh = sim::sharding;

inline constexpr double kOperationAtS = 2.0;  // the operation happens here
inline constexpr double kStaggerS = 0.25;     // movers leave one after another over this long
inline constexpr double kFlightS = 0.7;       // each mover's trip
inline constexpr double kLandedS = kOperationAtS + kStaggerS + kFlightS;
inline constexpr std::size_t kMaxDrawnKeys = 1200;  // the sample followed key by key
inline constexpr std::size_t kHotKeys = 3;          // ringed when popularity is skewed
inline constexpr long long kMaxKeys = 200000;       // the widget's workload limit (the CLI's is the schema's)

// "" or "parameter 'k': why" — the combinations the model cannot run (for the main
// strategy and the compared one), with the messages `scalebook sim sharding` has always given.
std::string check_model_params(const ParamMap& params);
// check_model_params, then what the widget cannot show: the widget's WidgetInfo::check.
std::string check_params(const ParamMap& params);

// One strategy's run: the rebalance, its sample's column slots and departure times.
struct Lane {
  sh::Rebalance run;
  sh::ColumnSlots slots;
  std::vector<float> depart;  // per sampled key: when it leaves (simulated s); movers only, else 0
};

// Progress of a lane's sample at time t: keys per column now (stayers, movers not yet
// departed, movers landed) and how many movers have left.
struct ColumnProgress {
  std::vector<std::uint32_t> now;
  std::size_t departed = 0;
};

class ShardingScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override { time_us_ += dt_us; }
  std::int64_t time_us() const override { return time_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  // Until the keys land; the loader announces the final summary on the last frame.
  bool animating() const override { return error_.empty() && clock_s() < kLandedS; }

  // For the view.
  const std::string& error() const { return error_; }  // "" or "parameter 'k': why"
  const std::vector<Lane>& lanes() const { return lanes_; }
  const sh::Workload& workload() const { return workload_; }
  const std::vector<std::size_t>& sample() const { return sample_; }  // workload indexes (hot keys first)
  std::size_t hot_count() const { return hot_count_; }
  double hottest_share() const;  // request share of the hottest key (0 without hot keys)
  double skew() const { return skew_; }
  std::uint32_t vnodes() const { return vnodes_; }
  bool equal_weights() const { return equal_weights_; }  // every node weight 1, before and after
  const sh::OperationDesc& operation() const { return op_; }
  const NodeStep& node_step() const { return step_; }  // what the "+ node" / "− node" buttons ask for
  double clock_s() const { return static_cast<double>(time_us_) * 1e-6; }
  bool applied() const { return clock_s() >= kOperationAtS; }
  ColumnProgress progress(const Lane& lane, double t) const;
  // A number no other configure() in this process returned: a view's cue to rebuild what it
  // derived from the run (not part of the state).
  std::uint64_t generation() const { return generation_; }

 private:
  std::string error_;
  std::vector<Lane> lanes_;
  sh::Workload workload_;
  std::vector<std::size_t> sample_;
  std::size_t hot_count_ = 0;
  double skew_ = 0;
  std::uint32_t vnodes_ = 160;
  bool equal_weights_ = true;
  sh::OperationDesc op_;
  NodeStep step_;
  std::int64_t time_us_ = 0;
  std::uint64_t generation_ = 0;
};

// 12345 → "12,345".
std::string thousands(unsigned long long v);

}  // namespace scalebook::widgets::sharding

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_sharding_scenario();
}
