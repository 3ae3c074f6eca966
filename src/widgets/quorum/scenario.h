// quorum/scenario.h — the quorum widget's run: a Dynamo-style leaderless store
// (src/sim/quorum/cluster.h) on the network kernel under its built-in workload (Poisson reads
// and writes, uniform keys, a random live coordinator), and the reader's faults taken mid-run
// as actions (crash, restart, isolate, split, heal). UI-free (native and Wasm): the view
// (view.cpp) draws it; summary, state and digest come from here, and `scalebook sim quorum
// --action 5:split:2` runs it natively.
//
// Parameters → ClusterDesc one to one: N, R, W; the read path (dynamo = kAllReplicas,
// cassandra = kBlockFor); read repair; hinted handoff and the sloppy-quorum rule; the perfect
// failure detector; links of latency_ms plus an exponential extra of mean tail_ms (constant
// when tail_ms = 0), lossless, not FIFO. Timeouts are cassandra.yaml's (writes 2 s, reads
// 5 s), hints are replayed every second. The cross-parameter check: N ≤ nodes, R ≤ N, W ≤ N.
//
// Timeline: advance() runs the cluster's event loop to the new time, stopping on a fixed
// 100 ms grid to record the cumulative counts (so advance(a); advance(b) == advance(a + b));
// the view's chart is per-second rates over the last 1 s (10 samples). Time runs at a fifth
// of real time at speed 1 (sim_us_per_s), so a message of a few milliseconds is seen on the
// wire. The watched key is key 0: the view shows its home replicas and what each node holds.
// Actions: node arguments are 1-based (n1 … nM). Cutting a node off again, or healing a
// network with nothing cut, is accepted and changes nothing (the browser sweep applies the
// first action after every preset on one action log).
// Not modelled here: anything of quorum replication itself — that is src/sim/quorum.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/quorum/cluster.h"
#include "widgets/params.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::quorum {

namespace qs = sim::quorum;

inline constexpr std::int64_t kSampleUs = 100'000;  // one sample per 100 ms
inline constexpr std::size_t kRateWindow = 10;      // samples per rate (1 s)
inline constexpr qs::Key kWatchedKey = 0;

// "" or "parameter 'k': why".
std::string check_params(const ParamMap& params);

class QuorumScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return cluster_ ? cluster_->now_us() : 0; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return cluster_ && !finished(); }
  double sim_us_per_s() const override { return 200'000; }
  std::string act(const Action& a) override;

  bool ok() const { return cluster_.has_value(); }
  const std::string& error() const { return error_; }
  const qs::Cluster& cluster() const { return *cluster_; }
  std::int64_t duration_us() const { return duration_us_; }
  bool finished() const { return time_us() >= duration_us_; }
  // Per 100 ms sample: stale reads and failed operations (reads + writes) in the second before it.
  const chart::SampleRing& stale_per_s() const { return stale_rate_; }
  const chart::SampleRing& failed_per_s() const { return failed_rate_; }
  // The newest version of the watched key acknowledged to a client so far (none yet: !exists()).
  qs::Version watched_latest() const { return derived_.watched_latest; }
  // Up to the last 8 applied actions' texts, newest last ("5.00 s: split n1-n2 from the rest").
  const std::vector<std::string>& events() const { return events_; }
  // The moment of the first stale read (-1: none).
  std::int64_t first_stale_us() const { return derived_.first_stale_us; }
  // Nearest-rank latency quantiles of successful ops (Cluster::latency_quantile_us; -1: none).
  std::int64_t write_p50_us() const { return derived_.write_p50; }
  std::int64_t write_p99_us() const { return derived_.write_p99; }
  std::int64_t read_p50_us() const { return derived_.read_p50; }
  std::int64_t read_p99_us() const { return derived_.read_p99; }

 private:
  struct Totals {
    std::uint64_t stale = 0, failed = 0;
  };
  // What the summary, the state and the view read, recomputed once per change of the run
  // (configure, advance, act) rather than on every frame: each is a pass over the op records.
  struct Derived {
    qs::Version watched_latest;
    std::int64_t first_stale_us = -1;
    std::int64_t write_p50 = -1, write_p99 = -1, read_p50 = -1, read_p99 = -1;
  };
  void refresh();
  std::string apply(const Action& a);
  void sample();
  void note(std::string text);
  std::string node_arg(const Action& a, qs::NodeId& n) const;
  Totals totals() const;

  std::string error_;
  std::optional<qs::Cluster> cluster_;
  std::int64_t duration_us_ = 0;
  std::int64_t next_sample_us_ = 0;
  std::vector<Totals> history_;  // cumulative, one per sample
  chart::SampleRing stale_rate_, failed_rate_;
  std::vector<std::string> events_;
  Derived derived_;
};

}  // namespace scalebook::widgets::quorum

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_quorum_scenario();
}
