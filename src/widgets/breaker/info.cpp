// The circuit-breaker widget's schema: a service whose worker threads call one dependency
// through a resilience4j CircuitBreaker, and the faults the reader can put on the dependency
// mid-run. Model: src/sim/breaker/resilience4j.h. Scenario: breaker/scenario.h.
// CLI: `scalebook sim breaker`.
#include "widgets/breaker/scenario.h"
#include "widgets/catalog.h"

namespace scalebook::widgets {

WidgetInfo breaker_info() {
  using T = ParamType;
  return {
      .name = "breaker",
      .title = "A circuit breaker, as resilience4j runs it",
      .aria_label = "Requests flow from clients into a service's pool of worker threads, through a circuit breaker "
                    "coloured by its state (closed, open or half-open) to a dependency that may be healthy, failing "
                    "or slow. Below, the breaker's state over time, the requests per second by outcome, and the "
                    "failure rate in the breaker's window against its threshold.",
      .description = "A service calls one dependency through resilience4j's circuit breaker. Make the dependency fail "
                     "or slow down mid-run and watch the service's threads fill, the breaker's window cross its "
                     "threshold, the breaker open and answer from the fallback, and its half-open trial calls decide "
                     "when to close again. Switch the breaker off to see the cascade it prevents.",
      .params = {
          {.name = "rate", .type = T::Float, .default_value = "100", .min = 1, .max = 2000, .choices = {},
           .help = "Requests per second reaching the service (a Poisson stream).", .label = "Requests/s"},
          {.name = "threads", .type = T::Int, .default_value = "50", .min = 1, .max = 2000, .choices = {},
           .help = "The service's worker threads; a request that finds all of them busy is turned away.",
           .label = "Threads"},
          {.name = "latency_ms", .type = T::Float, .default_value = "20", .min = 0.1, .max = 10000, .choices = {},
           .help = "The healthy dependency's latency: each call takes this × a uniform 0.5-1.5.",
           .label = "Latency (ms)"},
          {.name = "timeout_ms", .type = T::Float, .default_value = "1000", .min = 1, .max = 60000, .choices = {},
           .help = "The caller gives up after this long and records a failure (a TimeLimiter).",
           .label = "Timeout (ms)"},
          {.name = "error_rate", .type = T::Float, .default_value = "0", .min = 0, .max = 1, .choices = {},
           .help = "Share of the healthy dependency's calls that fail anyway.", .label = "Background errors"},
          {.name = "breaker", .type = T::Bool, .default_value = "true", .min = 0, .max = 0, .choices = {},
           .help = "Put the circuit breaker in front of the dependency (off: every request calls it).",
           .label = "Circuit breaker"},
          {.name = "failure_threshold", .type = T::Float, .default_value = "50", .min = 1, .max = 100, .choices = {},
           .help = "failureRateThreshold: the breaker opens when this percentage of the window's calls failed.",
           .label = "Failure threshold (%)"},
          {.name = "window_type", .type = T::Choice, .default_value = "time", .min = 0, .max = 0,
           .choices = {"time", "count"},
           .help = "slidingWindowType: the last N seconds (time) or the last N calls (count).",
           .label = "Window type"},
          {.name = "window_size", .type = T::Int, .default_value = "10", .min = 1, .max = 1000, .choices = {},
           .help = "slidingWindowSize: seconds (time window) or calls (count window).", .label = "Window size"},
          {.name = "minimum_calls", .type = T::Int, .default_value = "20", .min = 1, .max = 10000, .choices = {},
           .help = "minimumNumberOfCalls: the window is not judged before it holds this many calls.",
           .label = "Minimum calls"},
          {.name = "wait_s", .type = T::Float, .default_value = "5", .min = 0.001, .max = 600, .choices = {},
           .help = "waitDurationInOpenState: how long the breaker stays open before trial calls.",
           .label = "Open for (s)"},
          {.name = "half_open_calls", .type = T::Int, .default_value = "10", .min = 1, .max = 1000, .choices = {},
           .help = "permittedNumberOfCallsInHalfOpenState: trial calls let through when half-open.",
           .label = "Trial calls"},
          {.name = "auto_half_open", .type = T::Bool, .default_value = "false", .min = 0, .max = 0, .choices = {},
           .help = "automaticTransitionFromOpenToHalfOpenEnabled: go half-open when the wait ends, not on the next "
                   "call after it.",
           .label = "Automatic half-open"},
          {.name = "slow_ms", .type = T::Float, .default_value = "60000", .min = 1, .max = 600000, .choices = {},
           .help = "slowCallDurationThreshold: a call longer than this counts as slow.", .label = "Slow call (ms)"},
          {.name = "slow_threshold", .type = T::Float, .default_value = "100", .min = 1, .max = 100, .choices = {},
           .help = "slowCallRateThreshold: the breaker opens when this percentage of the window's calls were slow.",
           .label = "Slow threshold (%)"},
          {.name = "duration", .type = T::Float, .default_value = "60", .min = 1, .max = 600, .choices = {},
           .help = "Seconds of simulated time the run lasts.", .label = "Duration (s)"},
      },
      .presets = {
          {.id = "no-breaker", .label = "No breaker",
           .story = "Every request calls the dependency. Slow it down and the service's threads all wait on it: "
                    "the pool fills in half a second and from then on half the requests are turned away.",
           .params = {{"breaker", "false"}}},
          {.id = "count-window", .label = "A count window",
           .story = "The breaker judges the last 20 calls instead of the last 10 seconds: it opens a fraction of a "
                    "second after the first failures arrive, instead of waiting for old successes to age out.",
           .params = {{"window_type", "count"}, {"window_size", "20"}}},
          {.id = "library-defaults", .label = "resilience4j's defaults",
           .story = "CircuitBreakerConfig.ofDefaults(): a window of the last 100 calls, judged from 100 calls on, "
                    "open for 60 seconds, 10 trial calls, slow calls only beyond 60 seconds.",
           .params = {{"window_type", "count"},
                      {"window_size", "100"},
                      {"minimum_calls", "100"},
                      {"wait_s", "60"}}},
          {.id = "slow-calls", .label = "Slow calls",
           .story = "The breaker also counts calls over 200 ms as slow and opens when half of the window is slow, "
                    "before a single timeout: a dependency at 500 ms trips it although every call succeeds.",
           .params = {{"slow_ms", "200"}, {"slow_threshold", "50"}}},
      },
      .actions = {
          {.name = "fail", .label = "Make it fail",
           .help = "The dependency answers at its usual speed, but with an error.",
           .args = {{.name = "percent", .type = T::Int, .default_value = "100", .min = 1, .max = 100, .choices = {},
                     .help = "Share of its calls that fail.", .label = "Failing (%)"}}},
          {.name = "slow", .label = "Slow it down",
           .help = "The dependency takes much longer to answer (calls beyond the timeout fail).",
           .args = {{.name = "ms", .type = T::Float, .default_value = "2000", .min = 1, .max = 600000, .choices = {},
                     .help = "Its new latency: each call takes this × a uniform 0.5-1.5.", .label = "Latency (ms)"}}},
          {.name = "recover", .label = "Recover it", .help = "The dependency is healthy again.", .args = {}},
          {.name = "reset", .label = "Reset the breaker",
           .help = "An operator's reset: the breaker is CLOSED with an empty window.", .args = {}},
      },
      .make_scenario = make_breaker_scenario,
  };
}

}  // namespace scalebook::widgets
