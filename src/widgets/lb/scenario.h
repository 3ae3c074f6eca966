// lb/scenario.h — the load-balancing widget's run: clients → one balancer → N backends,
// each with c workers and one FIFO queue, under one or two balancing algorithms side by
// side on the SAME arrivals, service demands and client addresses. The pickers are the
// real balancers' (src/sim/lb: nginx.h smooth weighted round robin, least_conn and
// ip_hash; envoy.h round robin, least request as power of two choices, random);
// Erlang C (erlang.h) gives the pooled and the separate-queue predictions beside them.
// UI-free (native and Wasm): the view (view.cpp) draws it; summary, state and digest
// come from here, and `scalebook sim lb` (src/cli/sim_lb.cpp) runs the same lanes.
//
// Why not queueing.h's run_queueing: its dispatcher is generic (round robin, random,
// fewest outstanding, two choices) and it runs to the end in one call. Here each lane is
// a small discrete-event loop (simulate_lane) with the same service samplers
// (sample_service_us) that asks a real picker for every request and logs every queue
// change in time order. configure() runs every lane to the end (the system drains); the
// timeline then reveals the log: at time t every event at or before t has been applied,
// so advance(a); advance(b) equals advance(a + b). The whole run plays in kPlaySeconds
// of real time at speed 1.
//
// Load: utilisation ρ is the offered load over the capacity of N backends at full
// speed: λ = ρ · N · c / mean service time (with `slow_backend` k > 1, backend a serves
// k× slower, so the true capacity is lower: the balancer has to notice). With ramp_to > 0
// the arrival rate rises linearly from ρ to ramp_to over the arrivals (a thinned
// Poisson process), walking up the knee. Service demand is drawn once per request (mean
// service_ms) and divided by the speed of the backend that serves it.
// Kept for the view (bounded): per lane, per backend queue length, busy workers,
// completions and busy time so far; latency so far in a LogHistogram; one chart sample
// of p50 and p99 per 1/kSamples of the run over the completions of the last kSmooth
// samples' span.
// Not modelled: timeouts, retries, failures, network delay, the balancer's own cost,
// several balancer processes (each nginx worker would have its own state).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/metrics.h"
#include "sim/lb/queueing.h"
#include "widgets/params.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::lb {

namespace slb = sim::lb;

inline constexpr double kPlaySeconds = 20;              // real seconds for the whole run at speed 1
inline constexpr std::size_t kSamples = 200;            // chart samples over the run
inline constexpr std::size_t kSmooth = 4;               // sample spans per chart point
inline constexpr long long kMaxWidgetRequests = 50000;  // the widget's limit (the CLI's is the schema's)
inline constexpr int kMaxBackends = 16;

enum class Algorithm : std::uint8_t { kRoundRobin, kNginxSwrr, kLeastConn, kEnvoyP2c, kRandom, kIpHash };
// "round-robin" … "ip-hash"; false when unknown.
bool parse_algorithm(const std::string& name, Algorithm& out);
const char* algorithm_name(Algorithm a);   // the parameter value
const char* algorithm_label(Algorithm a);  // "round robin", "nginx least_conn", …

// The parameters as the model needs them (shared with `scalebook sim lb`).
struct Setup {
  std::vector<Algorithm> algorithms;  // algorithm, then compare's (if not "none")
  int backends = 4;
  int workers = 1;
  std::vector<int> weights;           // one per backend (all 1 by default)
  double slow_factor = 1;             // backend 0 serves this many times slower
  double utilisation = 0.7, ramp_to = 0;
  slb::ServiceDesc service;           // mean_us = service_ms · 1000
  std::uint64_t requests = 20000;
  int clients = 100;                  // distinct client addresses (ip-hash)
  std::uint64_t seed = 1;
  double arrival_rate_per_s(double rho) const { return rho * backends * workers * 1e6 / slb::service_mean_us(service); }
};
// The weights parameter: "" or why not (without the parameter's name).
std::string parse_weights(std::string_view text, std::vector<int>& out);
// "" or "parameter 'k': why" (the model's own limits; check_params adds the widget's).
std::string build_setup(const ParamMap& params, std::uint64_t seed, Setup& out);
std::string check_model_params(const ParamMap& params);
std::string check_params(const ParamMap& params);

// The shared input of every lane: arrival times, service demand at speed 1, client.
struct Workload {
  std::vector<std::int64_t> arrival_us;
  std::vector<double> demand_us;
  std::vector<std::uint32_t> client_ipv4;
};
Workload generate_workload(const Setup& s);
// Client k's address: 10.(k / 256).(k % 256).1 (distinct /24s, which is what ip_hash reads).
std::uint32_t client_address(std::uint32_t k);

// One queue change, in time order.
struct Event {
  enum Kind : std::uint8_t { kQueued, kStarted, kDequeued, kDone };  // kDequeued: queue → worker
  std::int64_t time_us = 0;
  std::int64_t latency_us = 0;  // kDone: completion − arrival
  std::uint16_t backend = 0;
  Kind kind = kQueued;
};

struct LaneRun {
  std::vector<std::uint8_t> pick;   // backend per request
  std::vector<Event> events;        // every queue change, time-ordered
  std::int64_t end_us = 0;          // last completion
};
// Runs one algorithm over the workload to the end.
LaneRun simulate_lane(const Setup& s, Algorithm a, const Workload& w);

struct BackendNow {
  std::uint32_t queued = 0, busy = 0;
  std::uint64_t picked = 0, completed = 0;
  std::int64_t busy_area_us = 0, last_change_us = 0;  // ∫ busy dt up to last_change_us
  std::uint32_t max_queue = 0;
};

struct Lane {
  Algorithm algorithm = Algorithm::kRoundRobin;
  LaneRun run;
  std::size_t next_event = 0;
  std::vector<BackendNow> backends;
  sim::LogHistogram latency_us;                  // completions so far
  std::vector<std::int64_t> recent_done_us, recent_latency_us;  // completions in the smoothing span
  chart::SampleRing p50_ms{kSamples + 2}, p99_ms{kSamples + 2};
  sim::TraceDigest digest;                       // of every pick
  double utilisation(std::size_t b, std::int64_t now_us, int workers) const;
};

class LbScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return time_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return error_.empty() && time_us_ < duration_us_; }
  double sim_us_per_s() const override;

  // For the view.
  const std::string& error() const { return error_; }
  const Setup& setup() const { return setup_; }
  const std::vector<Lane>& lanes() const { return lanes_; }
  std::int64_t duration_us() const { return duration_us_; }
  std::int64_t arrivals_end_us() const { return arrivals_end_us_; }
  double sample_period_s() const { return static_cast<double>(period_us_) / 1e6; }
  std::size_t requests_arrived() const;  // requests whose arrival is ≤ now
  // Erlang C mean response times in ms at the configured ρ (exact for exponential
  // service and equal speeds): one queue feeding all N·c workers, and N separate M/M/c queues.
  double pooled_mean_ms() const;
  double separate_mean_ms() const;

 private:
  void apply(Lane& lane, const Event& e);
  void sample(Lane& lane, std::int64_t boundary_us);

  std::string error_;
  Setup setup_;
  std::vector<std::int64_t> arrivals_;
  std::vector<Lane> lanes_;
  std::int64_t time_us_ = 0, duration_us_ = 0, arrivals_end_us_ = 0, period_us_ = 1;
  std::size_t samples_done_ = 0;
};

}  // namespace scalebook::widgets::lb

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_lb_scenario();
}
