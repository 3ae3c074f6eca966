// `scalebook sim fanout` — run the timeline fan-out scenario or the back-of-envelope estimate.
//
//   scalebook sim fanout --set strategy=push|pull|hybrid --set seed=S [--set k=v]... [--json]
//   scalebook sim fanout --set mode=estimate [--set est_...=v]... [--json]
// Parameters come from the "fanout" widget schema (src/widgets/fanout/info.cpp);
// `seed` (a whole number, default 1) is the page toolbar's seed, not a schema field.
// Output: `name: value` lines, or with --json one JSON object. `timeline_digest`
// hashes every read's timeline in order: equal across strategies for one seed.
#include <charconv>
#include <cmath>
#include <string>

#include "cli/sim_args.h"
#include "sim/fanout/estimate.h"
#include "sim/fanout/scenario.h"
#include "widgets/fanout/config.h"

namespace scalebook::cli {

namespace {

namespace fo = scalebook::sim::fanout;
namespace cfg = scalebook::widgets::fanout_config;

std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  if (v == std::floor(v) && std::fabs(v) < 1e15) return std::to_string(static_cast<long long>(v));  // 300000, not 3e+05
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  (void)ec;
  return std::string(buf, end);
}
std::string num(std::uint64_t v) { return std::to_string(v); }
std::string num(std::int64_t v) { return std::to_string(v); }
std::string num(std::uint32_t v) { return std::to_string(v); }

// Ordered output fields: rendered as JSON or as `name: value` lines.
struct Fields {
  std::vector<std::pair<std::string, std::string>> items;  // value already rendered as JSON
  void add(const std::string& k, const std::string& json_value) { items.emplace_back(k, json_value); }
  void str(const std::string& k, const std::string& v) { add(k, "\"" + v + "\""); }
  std::string json() const {
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i)
      out += (i ? "," : "") + ("\"" + items[i].first + "\":") + items[i].second;
    return out + "}\n";
  }
  std::string text() const {
    std::string out;
    for (const auto& [k, v] : items) {
      if (!v.empty() && v[0] == '[') continue;  // series only in JSON
      out += k + ": " + (v.size() >= 2 && v[0] == '"' ? v.substr(1, v.size() - 2) : v) + "\n";
    }
    return out;
  }
};


Fields estimate_fields(const widgets::ParamMap& p) {
  const auto in = cfg::envelope_inputs(p);
  const auto e = fo::estimate(in);
  Fields f;
  f.str("mode", "estimate");
  f.add("posts_per_s", num(in.posts_per_s));
  f.add("reads_per_s", num(in.reads_per_s));
  f.add("mean_followers", num(in.mean_followers));
  f.add("write_amplification", num(e.write_amplification));
  f.add("deliveries_per_s", num(e.deliveries_per_s));
  f.add("deliveries_per_day", num(e.deliveries_per_day));
  f.add("read_write_ratio", num(e.read_write_ratio));
  f.add("push_fetches_per_s", num(e.push_fetches_per_s));
  f.add("pull_fetches_per_s", num(e.pull_fetches_per_s));
  f.add("timeline_entries", num(e.timeline_entries));
  f.add("memory_bytes", num(e.memory_bytes));
  f.add("fanout_inserts_per_s", num(in.fanout_inserts_per_s));
  f.add("fanout_utilisation", num(e.fanout_utilisation));
  f.add("spare_inserts_per_s", num(e.spare_inserts_per_s));
  f.add("celebrity_followers", num(in.celebrity_followers));
  f.add("celebrity_drain_s", num(e.celebrity_drain_s));
  f.add("delivery_target_s", num(in.delivery_target_s));
  f.add("max_followers_within_target", num(e.max_followers_within_target));
  f.add("backlog_at_target", num(e.backlog_at_target));
  f.add("push_meets_target", e.push_meets_target ? "true" : "false");
  return f;
}

Fields simulate_fields(const widgets::ParamMap& p, std::uint64_t seed) {
  if (auto msg = cfg::cross_check(p); !msg.empty()) throw UsageError(msg);
  const auto gd = cfg::graph_desc(p, seed);
  if (auto msg = fo::validate(gd); !msg.empty()) throw UsageError("invalid graph: " + msg);
  const auto scenario = fo::build_scenario(gd, cfg::workload_desc(p, seed));
  const auto sd = cfg::sim_desc(p);
  const auto sim = fo::run_scenario(scenario, sd);
  const auto& m = sim.metrics();
  std::int64_t celebrity_last_us = 0;
  for (const auto& post : sim.posts())
    if (post.author < gd.celebrities) celebrity_last_us = std::max(celebrity_last_us, post.last_visible_us - post.time_us);

  Fields f;
  f.str("mode", "simulate");
  f.str("strategy", fo::strategy_name(sd.strategy));
  f.add("seed", num(seed));
  f.add("users", num(scenario.graph->users()));
  f.add("edges", num(scenario.graph->edges()));
  f.add("graph_memory_bytes", num(scenario.graph->memory_bytes()));
  f.add("celebrities", num(gd.celebrities));
  f.add("posts", num(m.posts));
  f.add("reads", num(m.reads));
  f.add("deliveries", num(m.deliveries));
  f.add("write_amplification", num(m.posts ? static_cast<double>(m.deliveries) / m.posts : 0.0));
  f.add("skipped_inactive", num(m.skipped_inactive));
  f.add("rebuilds", num(m.rebuilds));
  f.add("delivery_latency_us_p50", num(m.delivery_latency_us.quantile(0.5)));
  f.add("delivery_latency_us_p99", num(m.delivery_latency_us.quantile(0.99)));
  f.add("delivery_latency_us_max", num(m.delivery_latency_us.max()));
  f.add("celebrity_last_delivery_us", num(celebrity_last_us));
  f.add("backlog_peak_inserts", num(m.backlog_peak_inserts));
  f.add("backlog_peak_drain_us", num(m.backlog_peak_drain_us));
  f.add("read_fetches_mean", num(m.reads ? static_cast<double>(m.fetches) / m.reads : 0.0));
  f.add("read_fetches_p99", num(m.read_fetches.quantile(0.99)));
  f.add("read_fetches_max", num(m.max_fetches));
  f.add("merged_entries", num(m.merged_entries));
  f.add("read_latency_us_p50", num(m.read_latency_us.quantile(0.5)));
  f.add("read_latency_us_p99", num(m.read_latency_us.quantile(0.99)));
  f.add("stale_reads", num(m.stale_reads));
  f.add("missing_posts", num(m.missing_posts));
  f.add("cache_entries", num(m.cache_entries));
  f.add("cache_memory_bytes", num(sim.cache_memory_bytes()));
  f.add("cache_memory_peak_bytes", num(sim.cache_memory_peak_bytes()));
  std::string series = "[";
  for (std::size_t i = 0; i < m.backlog_series.size(); ++i)
    series += (i ? ",[" : "[") + num(m.backlog_series[i].first / 1000) + "," + num(m.backlog_series[i].second) + "]";
  f.add("backlog_series_ms", series + "]");
  f.str("timeline_digest", m.timeline_digest.hex());
  return f;
}

}  // namespace

int sim_fanout(const SimArgs& input, std::string& out) {
  SimArgs args = input;
  const std::uint64_t seed = take_seed(args);
  const auto params = resolve_params("fanout", args);
  const Fields f = param_str(params, "mode") == "estimate" ? estimate_fields(params) : simulate_fields(params, seed);
  out += args.json ? f.json() : f.text();
  return 0;
}

}  // namespace scalebook::cli
