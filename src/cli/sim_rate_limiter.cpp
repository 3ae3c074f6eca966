// `scalebook sim rate-limiter` — run the rate-limiter model on a trace or on
// generated traffic, one decision per request.
//
// Trace format (--trace FILE): one request per line, `<time in ms> [client key]`.
//  - time: non-negative decimal milliseconds with at most 3 decimals (µs
//    resolution), e.g. `12`, `12.5`, `0.001`; at most 1000000000 (≈11.6 days).
//    nginx sees time in whole ms, so the nginx algorithm floors it; the others use µs.
//  - client key: any run of non-blank characters; absent = one shared client.
//  - times must be non-decreasing; blank lines and lines starting with `#` are
//    skipped (they still count for line numbers); CRLF is accepted.
// Output: one line per request, in order: `admit`, `reject` or `delay <ms>`
// (ms with up to 3 decimals). With compare=a,b,c: one tab-separated column
// per algorithm. Without --trace the generated requests are printed first:
// `<time ms> <client> <decision>...`, a valid trace line followed by the decisions.
// --json: one JSON object of summary metrics instead of per-request lines.
// Parameters: the widget schema (src/widgets/rate_limiter/info.cpp) via --set k=v,
// plus --set seed=S (default 1) for generated traffic, as on the page toolbar.
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/sim_args.h"
#include "sim/core/virtual_time.h"
#include "sim/ratelimit/runner.h"
#include "sim/ratelimit/traffic.h"
#include "widgets/rate_limiter/config.h"

namespace scalebook::cli {

namespace rl = sim::ratelimit;

namespace {

constexpr std::int64_t kMaxTraceMs = 1000000000;

// Parses "12", "12.5", "0.125" into µs. Returns false on any other syntax.
bool parse_time_ms(std::string_view s, std::int64_t& us) {
  const std::size_t dot = s.find('.');
  const std::string_view whole = s.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
  if (whole.empty() || whole.size() > 10) return false;
  if (dot != std::string_view::npos && (frac.empty() || frac.size() > 3)) return false;
  std::int64_t ms = 0;
  for (char c : whole) {
    if (c < '0' || c > '9') return false;
    ms = ms * 10 + (c - '0');
  }
  std::int64_t f = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    char c = i < frac.size() ? frac[i] : '0';
    if (c < '0' || c > '9') return false;
    f = f * 10 + (c - '0');
  }
  if (ms > kMaxTraceMs || (ms == kMaxTraceMs && f > 0)) return false;
  us = ms * 1000 + f;
  return true;
}

std::vector<rl::Request> read_trace(const std::string& path) {
  std::ifstream in = open_input(path, "trace file");
  std::vector<rl::Request> out;
  std::unordered_map<std::string, std::uint32_t> ids;
  std::string line;
  std::size_t line_no = 0, prev_line = 0;
  std::int64_t prev_us = -1;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::istringstream fields(line);
    std::string time_text, key, extra;
    if (!(fields >> time_text) || time_text[0] == '#') continue;
    fields >> key;
    if (fields >> extra)
      throw UsageError("line " + std::to_string(line_no) + ": expected '<time in ms> [client key]', got '" + line + "'");
    std::int64_t us = 0;
    if (!parse_time_ms(time_text, us))
      throw UsageError("line " + std::to_string(line_no) + ": invalid time '" + time_text +
                       "' (expected non-negative milliseconds such as 12 or 12.5, at most 3 decimals, at most " +
                       std::to_string(kMaxTraceMs) + ")");
    if (us < prev_us)
      throw UsageError("line " + std::to_string(line_no) + ": time " + time_text +
                       " ms is earlier than the previous request (" + sim::format_us_as_ms(prev_us) + " ms at line " +
                       std::to_string(prev_line) + "); times must be non-decreasing");
    prev_us = us;
    prev_line = line_no;
    auto [it, inserted] = ids.emplace(key, static_cast<std::uint32_t>(ids.size()));
    (void)inserted;
    out.push_back(rl::Request{us, it->second});
  }
  check_read(in, path, "trace file");
  return out;
}

std::string decision_text(const rl::Decision& d) {
  if (d.verdict == rl::Verdict::Delay) return "delay " + sim::format_us_as_ms(d.delay_us);
  return rl::verdict_name(d.verdict);
}

std::string num(double v) { return json_number(v); }
std::string num(std::int64_t v) { return std::to_string(v); }
std::string num(std::uint64_t v) { return std::to_string(v); }
std::string ms(std::int64_t us) { return sim::format_us_as_ms(us); }

std::string summary_json(const rl::LimiterConfig& c, const rl::RunSummary& s) {
  std::string o = "{\"algorithm\":\"" + std::string(rl::algorithm_name(c.algorithm)) + "\"";
  o += ",\"admitted\":" + num(s.admitted) + ",\"delayed\":" + num(s.delayed) + ",\"rejected\":" + num(s.rejected);
  const double n = s.requests ? static_cast<double>(s.requests) : 1.0;
  o += ",\"admitted_fraction\":" + num(static_cast<double>(s.admitted + s.delayed) / n);
  o += ",\"rejected_fraction\":" + num(static_cast<double>(s.rejected) / n);
  o += ",\"delay_ms\":{\"mean\":" + num(s.delay_us.mean() / 1000.0) +
       ",\"p50\":" + ms(static_cast<std::int64_t>(s.delay_us.quantile(0.5))) +
       ",\"p99\":" + ms(static_cast<std::int64_t>(s.delay_us.quantile(0.99))) + ",\"max\":" + ms(s.max_delay_us) + "}";
  o += ",\"window_ms\":" + ms(c.window_us) + ",\"max_released_per_window\":" + num(s.max_released_per_window);
  o += ",\"clients_tracked\":" + num(static_cast<std::uint64_t>(s.clients)) + ",\"evictions\":" + num(s.evictions);
  if (c.algorithm == rl::Algorithm::SlidingCounter)
    o += ",\"counter_error\":{\"samples\":" + num(s.counter_samples) + ",\"mean_abs\":" + num(s.counter_error_mean_abs) +
         ",\"max\":" + num(s.counter_error_max) + ",\"min\":" + num(s.counter_error_min) + "}";
  if (c.algorithm == rl::Algorithm::Distributed)
    o += ",\"over_admission\":{\"max_per_window\":" + num(s.over_admission_max) +
         ",\"total\":" + num(s.over_admission_total) + "}";
  if (c.algorithm == rl::Algorithm::FixedWindow || c.algorithm == rl::Algorithm::SlidingLog ||
      c.algorithm == rl::Algorithm::SlidingCounter || c.algorithm == rl::Algorithm::Distributed)
    o += ",\"window_limit\":" + num(c.window_limit());
  return o + "}";
}


}  // namespace

int run_sim_rate_limiter(const SimArgs& args_in, std::string& out) {
  SimArgs args = args_in;
  const std::uint64_t seed = take_seed(args);
  const auto p = resolve_params("rate-limiter", args);

  widgets::rate_limiter_config::Experiment exp;
  const auto problem = widgets::rate_limiter_config::build(p, seed, exp);
  if (!problem.param.empty()) throw UsageError("parameter '" + problem.param + "': " + problem.message);
  const std::vector<rl::LimiterConfig>& configs = exp.limiters;

  std::vector<rl::Request> requests;
  const bool from_trace = args.files.count("trace") > 0;
  requests = from_trace ? read_trace(args.files.at("trace")) : rl::generate_traffic(exp.traffic);

  std::vector<rl::Run> runs;
  for (const auto& c : configs) runs.push_back(rl::run_limiter(c, requests));

  if (args.json) {
    out += "{\"requests\":" + std::to_string(requests.size()) + ",\"source\":\"" + (from_trace ? "trace" : "generated") +
           "\",\"results\":[";
    for (std::size_t i = 0; i < runs.size(); ++i) out += (i ? "," : "") + summary_json(configs[i], runs[i].summary);
    out += "]}\n";
    return 0;
  }
  for (std::size_t r = 0; r < requests.size(); ++r) {
    if (!from_trace) out += ms(requests[r].time_us) + " c" + std::to_string(requests[r].client) + " ";
    for (std::size_t i = 0; i < runs.size(); ++i) {
      if (i) out += '\t';
      out += decision_text(runs[i].decisions[r]);
    }
    out += '\n';
  }
  return 0;
}

}  // namespace scalebook::cli
