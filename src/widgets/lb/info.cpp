// The load-balancing widget's parameter schema: clients → one balancer → N backends with
// queues, two real balancers' pickers (nginx, Envoy) side by side on the same arrivals.
// Model: src/sim/lb. Scenario: lb/scenario.h. CLI: `scalebook sim lb` (src/cli/sim_lb.cpp).
#include <string>

#include "widgets/catalog.h"
#include "widgets/lb/scenario.h"

namespace scalebook::widgets {

namespace {
std::string check_weights(std::string_view v) {
  std::vector<int> w;
  return v.empty() ? std::string() : lb::parse_weights(v, w);
}
}  // namespace

WidgetInfo lb_info() {
  const std::vector<std::string_view> algorithms = {"round-robin", "nginx-swrr", "least-conn", "envoy-p2c", "random", "ip-hash"};
  std::vector<std::string_view> compare = {"none"};
  compare.insert(compare.end(), algorithms.begin(), algorithms.end());
  return {
      .name = "lb",
      .title = "Load balancing and queueing",
      .aria_label = "Requests from clients pass one load balancer to a column of backends, each drawn as a row with its "
                    "busy workers and a stack of queued requests; two balancing algorithms run side by side on the same "
                    "requests, with a chart of their median and 99th-percentile latency over time.",
      .description = "Send the same stream of requests through two balancers that pick backends the way nginx (smooth "
                     "weighted round robin, least_conn, ip_hash) and Envoy (round robin, least request with two random "
                     "choices, random) really do. Raise the load towards 100 % and watch the queues and the tail "
                     "latency explode; slow one backend down and see which algorithm notices. Erlang C's prediction "
                     "for one pooled queue is shown for comparison.",
      .params = {
          {.name = "algorithm", .type = ParamType::Choice, .default_value = "round-robin", .min = 0, .max = 0,
           .choices = algorithms, .help = "How the first balancer picks a backend for each request.", .label = "Algorithm"},
          {.name = "compare", .type = ParamType::Choice, .default_value = "least-conn", .min = 0, .max = 0,
           .choices = compare, .help = "A second balancer run on the same requests (none: one lane).", .label = "Compare with"},
          {.name = "backends", .type = ParamType::Int, .default_value = "4", .min = 2, .max = 16, .choices = {},
           .help = "Backends behind the balancer (weights, when given, set it).", .label = "Backends"},
          {.name = "workers", .type = ParamType::Int, .default_value = "1", .min = 1, .max = 32, .choices = {},
           .help = "Requests each backend serves at once; the rest wait in its FIFO queue.", .label = "Workers per backend"},
          {.name = "utilisation", .type = ParamType::Float, .default_value = "0.7", .min = 0.05, .max = 0.99, .choices = {},
           .help = "Offered load as a share of the backends' full-speed capacity (rho).", .label = "Load (rho)"},
          {.name = "ramp_to", .type = ParamType::Float, .default_value = "0", .min = 0, .max = 0.99, .choices = {},
           .help = "0: steady load; otherwise the load rises linearly from rho to this over the run.", .label = "Ramp load to"},
          {.name = "service", .type = ParamType::Choice, .default_value = "exponential", .min = 0, .max = 0,
           .choices = {"exponential", "deterministic", "lognormal", "bimodal"},
           .help = "Service time distribution (lognormal: sigma 1; bimodal: 1 % of requests take 20x the rest).",
           .label = "Service times"},
          {.name = "service_ms", .type = ParamType::Float, .default_value = "10", .min = 0.1, .max = 1000, .choices = {},
           .help = "Mean service time of a request at full speed, in milliseconds.", .label = "Mean service (ms)"},
          {.name = "slow_backend", .type = ParamType::Float, .default_value = "1", .min = 1, .max = 20, .choices = {},
           .help = "Backend a serves this many times slower than the others (1: all equal).", .label = "Slow backend (x)"},
          {.name = "weights", .type = ParamType::Text, .default_value = "", .min = 0, .max = 0, .choices = {},
           .help = "Backend weights, comma-separated (e.g. 5,1,1; empty: all 1); their count sets the backends.",
           .check = check_weights,
           .label = "Weights"},
          {.name = "requests", .type = ParamType::Int, .default_value = "20000", .min = 1, .max = 2000000, .choices = {},
           .help = "Requests in the run (the widget runs at most 50,000).", .label = "Requests"},
          {.name = "clients", .type = ParamType::Int, .default_value = "100", .min = 1, .max = 65536, .choices = {},
           .help = "Distinct client addresses, each request from one at random (ip-hash hashes them).", .label = "Clients"},
      },
      .presets = {
          {.id = "slow-server", .label = "Round robin meets a slow server",
           .story = "Backend a is 5x slower. Round robin still sends it every fourth request, so its queue grows without "
                    "end and the p99 climbs all run; least_conn sees its open connections pile up and sends it less.",
           .params = {{"slow_backend", "5"}, {"utilisation", "0.5"}, {"compare", "least-conn"}}},
          {.id = "two-choices", .label = "The power of two choices",
           .story = "At 90 % load a random pick often lands on a backend that is already busy. Envoy's least request "
                    "draws two backends and takes the less busy one: the queues even out and the p99 drops several-fold.",
           .params = {{"algorithm", "random"}, {"compare", "envoy-p2c"}, {"utilisation", "0.9"}, {"backends", "8"}}},
          {.id = "knee", .label = "The knee at 80 %",
           .story = "The load climbs steadily from 50 % to 97 % over the run. Latency hardly moves until about 80 %, "
                    "then the last few points of load multiply it: waiting grows as 1 / (1 - rho).",
           .params = {{"utilisation", "0.5"}, {"ramp_to", "0.97"}, {"requests", "50000"}}},
      },
      .check = lb::check_params,
      .make_scenario = make_lb_scenario,
  };
}

}  // namespace scalebook::widgets
