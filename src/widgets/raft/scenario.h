// raft/scenario.h — the Raft widget's run: a cluster of etcd-style Raft nodes
// (src/sim/raft/cluster.h) on the network kernel, a client proposing at a steady rate, and
// the reader's faults taken mid-run as actions (crash, restart, isolate, split, heal).
// UI-free (native and Wasm): the view (view.cpp) draws it; summary, state and digest come
// from here, and `scalebook sim raft --action 3:crash-leader` runs it natively.
//
// Parameters → ClusterDesc as etcd's server maps its flags: --heartbeat-interval is one
// tick, ElectionTick = election-timeout / heartbeat-interval (integer division, as
// etcd's embed config does), and etcd's own rule that the election timeout be at least
// five heartbeats is the cross-parameter check. Links: constant latency plus a uniform
// extra up to `jitter_ms`, optional loss, FIFO per link (etcd's TCP streams).
//
// Timeline: advance() runs the cluster's discrete-event loop to the new time, stopping on
// a fixed 100 ms grid to record each node's state and the proposal counts (the view's
// timeline and chart), so advance(a); advance(b) == advance(a + b). Time runs at a
// quarter of real time at speed 1 (sim_us_per_s), so that a 10 ms message is seen on
// the wire. The run stops at `duration`, or at the first safety violation (the checker
// in sim/raft/safety.h; the summary then says which property broke — it never has).
// Actions: node arguments are 1-based (n1 … nN) as the view labels them; crash-leader
// and isolate-leader resolve "the leader" when taken (the up leader of the highest term),
// so a replay resolves it identically.
// Not modelled here: anything of Raft itself — that is src/sim/raft (see its headers).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/raft/cluster.h"
#include "widgets/params.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::raft {

namespace rs = sim::raft;

inline constexpr std::int64_t kSampleUs = 100'000;  // one timeline sample per 100 ms

// Node state on the timeline: what each 100 ms sample recorded.
enum class Mark : std::uint8_t { Down, Follower, PreCandidate, Candidate, Leader };

// "" or "parameter 'k': why".
std::string check_params(const ParamMap& params);

class RaftScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return cluster_ ? cluster_->now_us() : 0; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return cluster_ && !finished(); }
  double sim_us_per_s() const override { return 250'000; }
  std::string act(const Action& a) override;

  bool ok() const { return cluster_.has_value(); }
  const std::string& error() const { return error_; }
  const rs::Cluster& cluster() const { return *cluster_; }
  std::int64_t duration_us() const { return duration_us_; }
  bool finished() const { return time_us() >= duration_us_ || !cluster_->safety().ok(); }
  // Per node, one Mark per 100 ms sample so far (sample k at k × 100 ms).
  const std::vector<std::vector<Mark>>& marks() const { return marks_; }
  const chart::SampleRing& proposed() const { return proposed_; }    // proposals made so far
  const chart::SampleRing& committed() const { return committed_; }  // of them, committed
  // Up to the last 8 applied actions' texts, newest last ("2.40 s: crashed n3 (the leader)").
  const std::vector<std::string>& events() const { return events_; }

 private:
  void sample();
  void note(std::string text);
  std::string node_arg(const Action& a, std::size_t i, rs::NodeId& n) const;

  std::string error_;
  std::optional<rs::Cluster> cluster_;
  std::int64_t duration_us_ = 0;
  std::int64_t next_sample_us_ = 0;
  std::vector<std::vector<Mark>> marks_;
  chart::SampleRing proposed_, committed_;
  std::vector<std::string> events_;
};

}  // namespace scalebook::widgets::raft

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_raft_scenario();
}
