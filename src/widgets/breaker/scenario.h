// breaker/scenario.h — the circuit-breaker widget's run: a service with a bounded pool of
// worker threads, each request calling one dependency through a resilience4j
// CircuitBreaker (src/sim/breaker/resilience4j.h), and the reader's faults on that
// dependency taken mid-run as actions (fail, slow, recover).
// UI-free (native and Wasm): the view (view.cpp) draws it; summary, state and digest come
// from here, and `scalebook sim breaker --action 10:slow --until 30` runs it natively.
//
// The request path, per arrival (a Poisson stream at `rate` per second):
//  1. The service needs a free worker thread; with all `threads` busy the request is turned
//     away at once (the service's own 503: the cascade the breaker exists to stop).
//  2. The thread asks the breaker for permission (tryAcquirePermission). Refused
//     (CallNotPermittedException) ⇒ the fallback answers at once and the thread is free.
//  3. Permitted ⇒ the thread calls the dependency and waits. The call's latency is drawn
//     when it starts, from the dependency's state at that moment: `latency_ms` × U[0.5, 1.5)
//     when healthy or failing, the `slow` action's latency × U[0.5, 1.5) when slow. A call
//     longer than `timeout_ms` ends at the timeout as a failure (resilience4j records the
//     TimeoutException of a TimeLimiter as an error with the timeout as its duration).
//     Otherwise it fails with probability `error_rate` (or the `fail` action's percentage).
//     The result goes to the breaker (onSuccess / onError with the duration) when it arrives.
// Without the breaker (`breaker = false`) step 2 is skipped.
//
// Parameters → r4j::Config one to one (failure_threshold → failureRateThreshold, window_type
// and window_size → slidingWindowType/Size, minimum_calls, wait_s → waitDurationInOpenState,
// half_open_calls → permittedNumberOfCallsInHalfOpenState, slow_ms and slow_threshold →
// slowCallDurationThreshold and slowCallRateThreshold, auto_half_open →
// automaticTransitionFromOpenToHalfOpenEnabled). The widget's defaults are the section's
// example (50 % of at least 20 calls in a 10-second window, 5 s open); the "library-defaults"
// preset is resilience4j's own.
//
// Timeline: events (arrivals, call results) run in time order, results before arrivals at
// the same microsecond; a sample every 100 ms records the breaker's state, the outcomes of
// the last 100 ms, the threads busy and the window's failure rate, taken before the events
// at that instant — so advance(a); advance(b) == advance(a + b). Two random streams (split
// from the seed): arrivals, and call latencies/outcomes; a fault changes neither arrival.
// Not modelled: the thread's own CPU time (a refused or turned-away request costs 0 µs),
// retries, a bulkhead separate from the service pool, the breaker's event consumers,
// resilience4j's exception predicates (every timeout and error is recorded as a failure).
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <vector>

#include "sim/breaker/resilience4j.h"
#include "sim/core/rng.h"
#include "widgets/params.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::breaker {

namespace r4j = sim::breaker::r4j;

inline constexpr std::int64_t kSampleUs = 100'000;  // one sample per 100 ms

// The breaker's state in a sample (Off: the run has no breaker).
enum class Mark : std::uint8_t { Off, Closed, Open, HalfOpen };

enum class Dependency : std::uint8_t { Healthy, Failing, Slow };

struct Totals {
  std::uint64_t requests = 0;
  std::uint64_t calls = 0;        // let through to the dependency (calls started)
  std::uint64_t ok = 0;           // answered by the dependency, successfully
  std::uint64_t errors = 0;       // answered by the dependency with an error
  std::uint64_t timeouts = 0;     // given up at the timeout
  std::uint64_t fallback = 0;     // refused by the breaker: the fallback answered at once
  std::uint64_t turned_away = 0;  // no free thread: the service itself failed the request
};

class BreakerScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return now_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return ok() && now_us_ < duration_us_; }
  std::string act(const Action& a) override;

  bool ok() const { return error_.empty() && duration_us_ > 0; }
  const std::string& error() const { return error_; }
  std::int64_t duration_us() const { return duration_us_; }
  bool has_breaker() const { return breaker_.has_value(); }
  const r4j::Config& config() const { return config_; }

  // What the view shows, as of the last event (refreshed at the end of every advance and act).
  Mark mark() const { return mark_; }
  const r4j::Snapshot& window() const { return window_; }  // the breaker's current window
  int minimum_calls() const { return minimum_calls_; }       // before the window is judged
  std::int64_t open_until_us() const { return open_until_us_; }  // when OPEN: first instant a call may try
  int attempts() const { return attempts_; }                 // consecutive OPENs
  const std::vector<r4j::Transition>& transitions() const;   // the breaker's log (empty: none)
  int threads() const { return threads_; }
  int busy() const { return busy_; }
  int max_busy() const { return max_busy_; }
  double rate_per_s() const { return rate_; }
  std::int64_t timeout_us() const { return timeout_us_; }
  Dependency dependency() const { return dep_; }
  int fail_percent() const { return fail_pct_; }
  std::int64_t slow_us() const { return slow_us_; }
  std::int64_t healthy_latency_us() const { return latency_us_; }
  const Totals& totals() const { return totals_; }

  // One value per 100 ms sample (sample k at k × 100 ms). The per-second rings are moving
  // rates over the last second before the sample (over the run so far in its first second):
  // 100 ms counts of a Poisson stream are too noisy to read.
  const std::vector<Mark>& marks() const { return marks_; }
  const chart::SampleRing& arrivals_per_s() const { return arrival_rate_; }
  const chart::SampleRing& calls_per_s() const { return call_rate_; }          // calls started
  const chart::SampleRing& ok_per_s() const { return ok_rate_; }
  const chart::SampleRing& failed_per_s() const { return failed_rate_; }     // errors + timeouts
  const chart::SampleRing& fallback_per_s() const { return fallback_rate_; }
  const chart::SampleRing& turned_away_per_s() const { return turned_rate_; }
  const chart::SampleRing& busy_samples() const { return busy_ring_; }
  const chart::SampleRing& failure_rate() const { return failure_ring_; }   // % of the window, 0 when empty
  // Up to the last 8 applied actions' texts, newest last ("10.00 s: the dependency slowed to 2,000 ms").
  const std::vector<std::string>& events() const { return events_; }

 private:
  struct Call {
    std::int64_t done_us;
    std::uint64_t seq;
    std::int64_t duration_us;
    bool ok;
    bool timed_out;
  };
  struct Later {
    bool operator()(const Call& a, const Call& b) const {
      return a.done_us != b.done_us ? a.done_us > b.done_us : a.seq > b.seq;
    }
  };

  void arrive(std::int64_t t);
  void finish(const Call& c);
  void sample();
  void refresh();
  void note(std::string text);

  std::string error_ = "it has not been configured";
  r4j::Config config_;
  std::optional<r4j::CircuitBreaker> breaker_;
  sim::Rng arrivals_{1}, calls_{1};
  double rate_ = 0;
  int threads_ = 0;
  std::int64_t latency_us_ = 0, timeout_us_ = 0, duration_us_ = 0;
  double error_rate_ = 0;
  Dependency dep_ = Dependency::Healthy;
  int fail_pct_ = 0;
  std::int64_t slow_us_ = 0;

  std::int64_t now_us_ = 0, next_arrival_us_ = 0, next_sample_us_ = 0;
  std::uint64_t seq_ = 0;
  std::priority_queue<Call, std::vector<Call>, Later> in_flight_;
  int busy_ = 0, max_busy_ = 0;
  Totals totals_;

  Mark mark_ = Mark::Off;
  r4j::Snapshot window_;
  int minimum_calls_ = 0;
  std::int64_t open_until_us_ = 0;
  int attempts_ = 0;

  std::vector<Mark> marks_;
  std::vector<Totals> history_;  // the totals at the last 11 samples (a ring)
  chart::SampleRing arrival_rate_, call_rate_, ok_rate_, failed_rate_, fallback_rate_, turned_rate_, busy_ring_, failure_ring_;
  std::vector<std::string> events_;
};

}  // namespace scalebook::widgets::breaker

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_breaker_scenario();
}
