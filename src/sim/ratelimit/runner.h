// runner.h — one configurable, per-client limiter and a run over a request stream.
//
// Models: the rate-limiter widget's and CLI's experiment: a request stream
// (generated or from a trace) fed to one algorithm (per client, in bounded
// memory), with summary metrics. Several Runs over the same stream give the
// side-by-side comparison. All parameters come from LimiterConfig, which the
// CLI and the widget fill from the same parameter schema.
// Metrics: counts of admitted/delayed/rejected, a delay histogram (LogHistogram,
// ≤1.6% quantile error), the most requests released in any window of the
// algorithm's `window_us` (exact, over release times = arrival + delay), client
// evictions, and for the sliding-window counter its estimate's error against
// the exact sliding log of the same admitted stream (per client).
// Does NOT model: anything the individual algorithm headers list.
#pragma once
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "sim/core/metrics.h"
#include "sim/ratelimit/decision.h"
#include "sim/ratelimit/distributed.h"
#include "sim/ratelimit/gcra.h"
#include "sim/ratelimit/keyed_table.h"
#include "sim/ratelimit/nginx_limit_req.h"
#include "sim/ratelimit/shaper.h"
#include "sim/ratelimit/stripe_bucket.h"
#include "sim/ratelimit/token_bucket.h"
#include "sim/ratelimit/traffic.h"
#include "sim/ratelimit/windows.h"

namespace scalebook::sim::ratelimit {

enum class Algorithm { TokenBucket, StripeBucket, Shaper, Nginx, FixedWindow, SlidingLog, SlidingCounter, Gcra, Distributed };

// Names as used by the parameter schema ("token-bucket", "nginx", ...).
const std::vector<std::string_view>& algorithm_names();
std::optional<Algorithm> algorithm_from_name(std::string_view name);
std::string_view algorithm_name(Algorithm a);

struct LimiterConfig {
  Algorithm algorithm = Algorithm::TokenBucket;
  RateSpec rate{};
  std::int64_t burst = 5;        // nginx burst, GCRA max_burst
  std::int64_t delay = 0;        // nginx delay=N
  bool nodelay = false;          // nginx nodelay
  std::int64_t capacity = 10;    // token bucket capacity, shaper queue length
  std::int64_t initial_tokens = -1;  // token bucket initial fill (-1 = full)
  std::int64_t window_us = 1000000;  // window algorithms
  std::size_t max_clients = 10000;   // keyed table capacity
  int gateways = 4;                  // distributed
  std::int64_t sync_us = 100000;     // distributed

  // Requests per window for window algorithms: rate × window, rounded down.
  std::int64_t window_limit() const { return rate.count * window_us / rate.period_us(); }
};

// "" if the config can run, else a message naming the parameter ("window: ...").
std::string validate(const LimiterConfig& c);

// One algorithm, per client. decide() takes requests in non-decreasing time.
class Limiter {
 public:
  explicit Limiter(const LimiterConfig& c);
  Decision decide(std::int64_t now_us, std::uint64_t client);
  const LimiterConfig& config() const { return config_; }
  std::uint64_t evictions() const;
  std::size_t clients() const;
  // Sliding-window counter only: the estimate for `client` at now_us (0 otherwise).
  double counter_estimate(std::int64_t now_us, std::uint64_t client) const;
  // How "full" the limiter is for `client` at now_us, in [0, 1] (for drawing):
  // bucket tokens used, shaper/nginx queue used, window count / limit, GCRA
  // (TAT - now) / tolerance. 0 for an unknown client.
  double utilisation(std::int64_t now_us, std::uint64_t client) const;
  const DistributedWindow* distributed() const { return std::get_if<DistributedWindow>(&impl_); }

 private:
  LimiterConfig config_;
  std::variant<Keyed<TokenBucket>, Keyed<StripeBucket>, Keyed<Shaper>, NginxZone, Keyed<FixedWindow>, Keyed<SlidingLog>,
               Keyed<SlidingCounter>, Keyed<Gcra>, DistributedWindow>
      impl_;
};

struct RunSummary {
  std::uint64_t requests = 0, admitted = 0, delayed = 0, rejected = 0;
  LogHistogram delay_us;          // over delayed requests only
  std::int64_t max_delay_us = 0;
  std::int64_t max_released_per_window = 0;  // most releases in any window_us-long half-open interval
  std::uint64_t evictions = 0;
  std::size_t clients = 0;
  // Sliding-window counter only.
  std::uint64_t counter_samples = 0;
  double counter_error_mean_abs = 0, counter_error_max = 0, counter_error_min = 0;
  // Distributed only.
  std::int64_t over_admission_max = 0, over_admission_total = 0;
};

struct Run {
  std::vector<Decision> decisions;
  RunSummary summary;
};

Run run_limiter(const LimiterConfig& c, const std::vector<Request>& requests);

}  // namespace scalebook::sim::ratelimit
