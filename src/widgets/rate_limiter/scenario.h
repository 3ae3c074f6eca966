// rate_limiter/scenario.h — the rate-limiter widget's run: one generated request stream
// fed to 1–3 limiters side by side (src/sim/ratelimit), stepped in simulated time.
// UI-free (native and Wasm): the view (view.cpp) draws it; the browser's summary, state
// and digest come from here.
//
// configure() builds the experiment from the schema's values (config.h, the same build
// `scalebook sim rate-limiter` uses) and generates the whole request trace up front.
// advance() decides every request up to the new time in every lane, in order, and takes
// a chart sample every 100 ms of simulated time (offered and admitted requests/s over a
// 1 s window), so advance(a); advance(b) equals advance(a + b). Time stops at the end of
// the traffic.
//
// Kept for the view (bounded): per lane the last 10 s of decisions (at most 8192), the
// last 101 chart samples, per-client counts when there are several clients.
// Not modelled: anything of the limiters themselves — that is src/sim/ratelimit.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/core/digest.h"
#include "sim/core/metrics.h"
#include "sim/ratelimit/runner.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::rate_limiter {

namespace rl = sim::ratelimit;

inline constexpr std::int64_t kSpanUs = 10000000;    // the time axis shows (at most) 10 s
inline constexpr std::int64_t kSampleUs = 100000;    // chart sample period
inline constexpr std::size_t kSamples = 101;         // 10 s of chart, both ends included
inline constexpr std::size_t kMaxRecent = 8192;      // decisions kept per lane (bounded memory)
inline constexpr std::uint32_t kMaxClientRows = 64;  // the view draws one row per client up to this many

struct Event {
  std::int64_t time_us, delay_us;
  std::uint32_t client;
  rl::Verdict verdict;
};

struct ClientCount {
  std::uint64_t sent = 0, rejected = 0;
};

// One limiter (algorithm) and what it decided.
struct Lane {
  explicit Lane(const rl::LimiterConfig& c) : limiter(c) {}
  rl::Limiter limiter;
  std::deque<Event> recent;  // the last kSpanUs of decisions, at most kMaxRecent
  sim::WindowedCounter admitted_rate{1000000, 10};
  std::uint64_t admitted = 0, delayed = 0, rejected = 0;
  double delay_sum_us = 0;
  std::vector<float> samples;  // admitted r/s, oldest first (at most kSamples)
  std::unordered_map<std::uint32_t, ClientCount> per_client;  // only with several clients
  sim::TraceDigest digest;

  rl::Algorithm algorithm() const { return limiter.config().algorithm; }
  std::uint64_t total() const { return admitted + delayed + rejected; }
};

// The busiest client of a lane (most requests sent; ties: lowest id) against the others.
struct BusiestClient {
  bool any = false;  // false with one client
  std::uint32_t id = 0;
  ClientCount top, rest;
  std::size_t others = 0;  // clients seen besides the busiest
};

class RateLimiterScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return time_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return error_.empty() && time_us_ < duration_us_; }

  // For the view.
  const std::string& error() const { return error_; }  // "" or "parameter 'k': why"
  const std::vector<Lane>& lanes() const { return lanes_; }
  const std::vector<float>& offered_samples() const { return offered_samples_; }
  std::int64_t last_sample_us() const { return next_sample_us_ - kSampleUs; }  // time of the newest sample
  std::int64_t duration_us() const { return duration_us_; }
  std::size_t requests_offered() const { return next_request_; }
  std::uint32_t clients() const { return clients_; }
  std::uint32_t last_client() const { return last_client_; }  // the most recent request's client
  double limit_per_s() const { return limit_per_s_; }
  // True when every lane is the distributed limiter (its limit is global, not per client).
  bool distributed_only() const;
  // The lane's limiter state for the most recent client, 0..1 (bucket / queue / window / tolerance used).
  double utilisation(std::size_t lane) const;
  BusiestClient busiest(std::size_t lane) const;
  // The chart's peak: the limit and every offered and admitted sample.
  double peak_rate() const;
  // The chart's y axis runs from 0 to this "nice" value (1, 2, 2.5, 5 × 10^k) at or above
  // 1.08 × peak_rate(): every plotted sample lies in [0, chart_y_max()] (tested per preset).
  double chart_y_max() const;

 private:
  void process_until(std::int64_t t_us);
  void sample(std::int64_t t_us);

  std::string error_;
  std::vector<rl::Request> requests_;
  std::vector<Lane> lanes_;
  sim::WindowedCounter offered_{1000000, 10};
  std::vector<float> offered_samples_;
  std::int64_t time_us_ = 0, duration_us_ = 0, next_sample_us_ = kSampleUs;
  std::size_t next_request_ = 0;
  std::uint32_t last_client_ = 0, clients_ = 1;
  double limit_per_s_ = 0;
};

}  // namespace scalebook::widgets::rate_limiter

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_rate_limiter_scenario();
}
