// The rate-limiter widget's parameter schema: the one source of truth for the
// widget's controls, book fences, embeds, permalinks and `scalebook sim rate-limiter`.
// The seed is not a schema parameter: the page toolbar (the loader reserves the
// `seed` attribute) and `scalebook sim rate-limiter --set seed=S` supply it.
#include <string>

#include "sim/ratelimit/decision.h"
#include "sim/ratelimit/runner.h"
#include "widgets/catalog.h"
#include "widgets/rate_limiter/config.h"
#include "widgets/rate_limiter/scenario.h"

namespace scalebook::widgets {

namespace {

std::string check_rate(std::string_view value) {
  sim::ratelimit::RateSpec r;
  return sim::ratelimit::parse_rate(value, r);
}

std::string algorithm_list() {
  std::string out;
  for (auto n : sim::ratelimit::algorithm_names()) {
    if (!out.empty()) out.append(", ");
    out.append(n);
  }
  return out;
}

// "" (no comparison) or 1-3 distinct algorithm names separated by commas.
std::string check_compare(std::string_view value) {
  if (value.empty()) return {};
  std::vector<std::string_view> seen;
  std::size_t start = 0;
  while (start <= value.size()) {
    std::size_t comma = value.find(',', start);
    if (comma == std::string_view::npos) comma = value.size();
    const std::string_view name = value.substr(start, comma - start);
    if (!sim::ratelimit::algorithm_from_name(name))
      return "unknown algorithm \"" + std::string(name) + "\" (known: " + algorithm_list() + ")";
    for (auto s : seen)
      if (s == name) return "algorithm \"" + std::string(name) + "\" listed twice";
    seen.push_back(name);
    if (seen.size() > 3) return "compare at most 3 algorithms";
    start = comma + 1;
  }
  return {};
}

}  // namespace

namespace {
// The cross-parameter check (WidgetInfo::check): the limiter configs the parameters make
// must run (rate_limiter_config::build, which `scalebook sim rate-limiter` also uses).
std::string check_combination(const std::map<std::string, std::string>& p) {
  rate_limiter_config::Experiment exp;
  const auto e = rate_limiter_config::build(p, 1, exp);
  return e.param.empty() ? std::string() : "parameter '" + e.param + "': " + e.message;
}
}  // namespace

WidgetInfo rate_limiter_info() {
  static const std::vector<std::string_view> algorithms(sim::ratelimit::algorithm_names());
  return {
      .name = "rate-limiter",
      .title = "Rate limiter",
      .aria_label = "Requests arriving over time and the decision each rate-limiting algorithm makes: admitted, delayed or rejected, with the bucket or window state and rate charts.",
      .description = "Feed one request stream to up to three rate limiters side by side — token bucket, Stripe's whole-second bucket, a shaping queue, nginx limit_req exactly as nginx computes it, fixed window, sliding log, Cloudflare's sliding-window counter, redis-cell's GCRA, or N gateways sharing a synced counter — and watch what each admits, delays and rejects.",
      .params = {
          {.name = "algorithm", .type = ParamType::Choice, .default_value = "token-bucket", .choices = algorithms,
           .help = "Which limiter decides (ignored when compare lists algorithms).", .label = "Algorithm"},
          {.name = "rate", .type = ParamType::Text, .default_value = "10r/s",
           .choices = {}, .help = "Allowed rate, nginx syntax: requests per second (10r/s) or per minute (600r/m).",
           .check = check_rate, .label = "Rate"},
          {.name = "burst", .type = ParamType::Int, .default_value = "5", .min = 0, .max = 100000,
           .choices = {}, .help = "nginx burst=N (requests queued beyond the rate) and GCRA max_burst.", .label = "Burst"},
          {.name = "nodelay", .type = ParamType::Bool, .default_value = "false",
           .choices = {}, .help = "nginx nodelay: admit burst requests at once instead of spacing them out (overrides delay).",
           .label = "nodelay"},
          {.name = "delay", .type = ParamType::Int, .default_value = "0", .min = 0, .max = 100000,
           .choices = {}, .help = "nginx delay=N: the first N excess requests pass without delay, the rest of the burst is delayed.",
           .label = "Delay after"},
          {.name = "capacity", .type = ParamType::Int, .default_value = "10", .min = 1, .max = 1000000,
           .choices = {}, .help = "Token bucket size (token-bucket, stripe-bucket) or queue length (shaper).", .label = "Capacity"},
          {.name = "fill", .type = ParamType::Float, .default_value = "1", .min = 0, .max = 1,
           .choices = {}, .help = "Token bucket fill at time 0, as a fraction of capacity.", .label = "Initial fill"},
          {.name = "window", .type = ParamType::Int, .default_value = "1000", .min = 1, .max = 3600000,
           .choices = {}, .help = "Window length in ms for window counters; they allow rate x window requests per window.",
           .label = "Window (ms)"},
          {.name = "traffic", .type = ParamType::Choice, .default_value = "poisson",
           .choices = {"steady", "poisson", "on-off", "spike", "boundary", "zipf-clients"},
           .help = "Generated request pattern (the command line's --trace replaces it).", .label = "Traffic"},
          {.name = "load", .type = ParamType::Float, .default_value = "15", .min = 0.01, .max = 100000,
           .choices = {}, .help = "Offered load in requests per second (average).", .label = "Offered load (r/s)"},
          {.name = "duration", .type = ParamType::Int, .default_value = "10000", .min = 1, .max = 3600000,
           .choices = {}, .help = "Length of the generated traffic in ms.", .label = "Duration (ms)"},
          {.name = "spike", .type = ParamType::Int, .default_value = "20", .min = 1, .max = 100000,
           .choices = {}, .help = "Requests in the spike (spike) or on each side of a window boundary (boundary).", .label = "Spike size"},
          {.name = "clients", .type = ParamType::Int, .default_value = "1", .min = 1, .max = 100000,
           .choices = {}, .help = "Number of clients; each client has its own limiter (keyed limiting).", .label = "Clients"},
          {.name = "skew", .type = ParamType::Float, .default_value = "1.1", .min = 0, .max = 3,
           .choices = {}, .help = "Zipf exponent of client activity for zipf-clients (0 = all equal).", .label = "Client skew"},
          {.name = "max_clients", .type = ParamType::Int, .default_value = "10000", .min = 1, .max = 1000000,
           .choices = {}, .help = "Most clients tracked at once; the least recently seen is forgotten (evicted) when full.",
           .label = "Client table size"},
          {.name = "gateways", .type = ParamType::Int, .default_value = "4", .min = 1, .max = 64,
           .choices = {}, .help = "distributed: number of gateways sharing the limit.", .label = "Gateways"},
          {.name = "sync", .type = ParamType::Int, .default_value = "100", .min = 0, .max = 60000,
           .choices = {}, .help = "distributed: ms between syncs of the shared counter (0 = every request).", .label = "Sync every (ms)"},
          {.name = "compare", .type = ParamType::Text, .default_value = "",
           .choices = {}, .help = "Up to 3 algorithms, comma-separated, to run side by side on the same requests (e.g. nginx,gcra).",
           .check = check_compare, .label = "Compare"},
      },
      // Story presets (buttons above the canvas, `preset = id` in fences, `--set preset=id`).
      // Each value is checked against the schema by tests/unit/catalog_presets_test.cpp.
      .presets = {
          {.id = "burst", .label = "Burst",
           .story = "Steady 3 r/s under a 5 r/s limit, then 30 requests in 10 ms. The token bucket spends its 10 saved "
                    "tokens and rejects the rest at once; nginx (burst=10 delay=5) passes 5 straight through, queues 5 "
                    "more and rejects the rest; the shaper queues 10 and releases everything at exactly 5 r/s "
                    "(amber tails are the added delay).",
           .params = {{"compare", "token-bucket,nginx,shaper"}, {"traffic", "spike"}, {"rate", "5r/s"},
                      {"load", "3"}, {"capacity", "10"}, {"burst", "10"}, {"delay", "5"}, {"spike", "30"}}},
          {.id = "boundary", .label = "Boundary attack",
           .story = "10 requests just before a window boundary and 10 just after, every other second. The fixed window "
                    "resets its count at the boundary and admits all 20: twice its limit within microseconds. The "
                    "sliding log and the sliding counter look back a whole window and stop at 10.",
           .params = {{"compare", "fixed-window,sliding-log,sliding-counter"}, {"traffic", "boundary"},
                      {"rate", "10r/s"}, {"window", "1000"}, {"spike", "10"}}},
          {.id = "noisy-neighbour", .label = "Noisy neighbour",
           .story = "20 clients share 40 r/s, Zipf-skewed: client 0 (top row) sends over a third of it. Each client has "
                    "its own bucket of 8 r/s, so only client 0 is throttled while the 19 light clients pass untouched. "
                    "One global limit would have rejected everyone alike.",
           .params = {{"algorithm", "token-bucket"}, {"traffic", "zipf-clients"}, {"clients", "20"}, {"skew", "1.4"},
                      {"load", "40"}, {"rate", "8r/s"}, {"capacity", "8"}}},
          {.id = "drift", .label = "Distributed drift",
           .story = "8 gateways enforce 10 r/s together but sync their shared counter only every 500 ms. Between syncs "
                    "each is blind to the others, so the cluster admits two to four times the limit; one central fixed "
                    "window (first lane) holds it. Try sync = 0, or fewer gateways.",
           .params = {{"compare", "fixed-window,distributed"}, {"traffic", "poisson"}, {"load", "80"},
                      {"rate", "10r/s"}, {"window", "1000"}, {"gateways", "8"}, {"sync", "500"}}},
      },
      .check = check_combination,
      .make_scenario = make_rate_limiter_scenario,
  };
}

}  // namespace scalebook::widgets
