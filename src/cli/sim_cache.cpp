// `scalebook sim cache` — run eviction policies (src/sim/cache) on a trace or on the
// widget's generated workload, one result per request.
//
//   scalebook sim cache --set policy=redis-lru --set capacity=1000 --trace FILE
//   scalebook sim cache --set preset=scan --json
//
// Trace format (--trace FILE, sim/cache/workload.h parse_trace): one request per line,
// `KEY [SIZE]`; KEY a decimal integer or any token without spaces, SIZE a positive
// number of bytes (used for the byte hit ratio only: capacity is in items). Blank lines
// and `#` comments are skipped. A bad line is an error naming it.
// Output: one line per request. Each policy (policy, then compare's, in order) gives a
// tab-separated column: `hit` or `miss`; with --evictions a miss also says what happened
// to the cache: `miss evict KEY` (KEY as written in the trace), `miss refused` (the key
// was not kept: OPT's bypass, memcached out of memory) or plain `miss` (a free slot).
// Without --trace the generated key comes first: `KEY<TAB>result...`.
// --json: one object — per policy (and OPT when ceiling=true) hits, misses, evictions,
// rejections, hit ratio, byte hit ratio (null without sizes) and the hit-ratio curve at
// `sizes` (default capacity × 1/8 … 8; exact LRU from one pass, the others one run each).
// Parameters: the widget's schema (src/widgets/cache/info.cpp) via --set, plus
// --set seed=S (default 1), as on the page toolbar. The widget's own limits (capacity ≤
// 10,000, requests ≤ 200,000) do not apply here.
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "cli/sim_args.h"
#include "sim/cache/mrc.h"
#include "sim/cache/workload.h"
#include "util/json.h"
#include "widgets/cache/scenario.h"

namespace scalebook::cli {

namespace sc = sim::cache;

namespace {

std::string num(double v) { return json_number(v); }

struct Input {
  std::vector<std::uint64_t> keys;
  std::vector<std::uint64_t> sizes;              // 0 = not given (generated workloads: all 0)
  std::unordered_map<std::uint64_t, std::string> names;  // trace keys as written (for --evictions)
  bool from_trace = false;
};

Input read_trace(const std::string& path, bool keep_names) {
  std::ifstream in = open_input(path, "trace file");
  std::stringstream ss;
  ss << in.rdbuf();
  check_read(in, path, "trace file");
  const std::string text = ss.str();
  sc::ParsedTrace t = sc::parse_trace(text);
  if (!t.error.empty()) throw UsageError("trace file '" + path + "': " + t.error);
  if (t.keys.empty()) throw UsageError("trace file '" + path + "': no requests in it");
  Input out;
  out.keys = std::move(t.keys);
  out.sizes = std::move(t.sizes);
  out.from_trace = true;
  if (keep_names) {
    // The first field of each request line, in order (the same lines parse_trace kept).
    std::size_t k = 0, pos = 0;
    while (pos < text.size() && k < out.keys.size()) {
      const std::size_t end = std::min(text.find('\n', pos), text.size());
      const std::string_view line(text.data() + pos, end - pos);
      pos = end + 1;
      const std::size_t b = line.find_first_not_of(" \t\r");
      if (b == std::string_view::npos || line[b] == '#') continue;
      const std::size_t e = line.find_first_of(" \t\r", b);
      out.names.emplace(out.keys[k++], std::string(line.substr(b, e == std::string_view::npos ? e : e - b)));
    }
  }
  return out;
}

std::string key_text(const Input& in, std::uint64_t key) {
  if (auto it = in.names.find(key); it != in.names.end()) return it->second;
  return std::to_string(key);
}

// Hits of policy `d` at `capacity` over the input, requests at the widget's arrival times.
std::uint64_t hits_at(sc::PolicyDesc d, std::size_t capacity, const Input& in, std::uint64_t rate) {
  d.capacity = capacity;
  sc::Cache cache(d, in.keys);
  for (std::size_t i = 0; i < in.keys.size(); ++i) cache.access(in.keys[i], widgets::cache::arrival_us(i, rate));
  return cache.stats().hits;
}

std::string policy_json(const sc::PolicyDesc& d, const Input& in, const std::vector<std::size_t>& sizes, std::uint64_t rate) {
  sc::Cache cache(d, in.keys);
  std::uint64_t bytes = 0, bytes_hit = 0;
  bool have_sizes = false;
  for (std::size_t i = 0; i < in.keys.size(); ++i) {
    const sc::AccessResult r = cache.access(in.keys[i], widgets::cache::arrival_us(i, rate));
    const std::uint64_t size = in.sizes.empty() ? 0 : in.sizes[i];
    have_sizes = have_sizes || size > 0;
    bytes += size;
    if (r.hit) bytes_hit += size;
  }
  const sc::CacheStats& s = cache.stats();
  std::string o = "{\"policy\":\"" + std::string(sc::policy_name(d.kind)) + "\",\"hits\":" + std::to_string(s.hits) +
                  ",\"misses\":" + std::to_string(s.misses) + ",\"evictions\":" + std::to_string(s.evictions) +
                  ",\"rejections\":" + std::to_string(s.rejections) + ",\"hit_ratio\":" + num(s.hit_ratio()) +
                  ",\"byte_hit_ratio\":" +
                  (have_sizes && bytes ? num(static_cast<double>(bytes_hit) / static_cast<double>(bytes)) : "null") +
                  ",\"curve\":[";
  // Exact LRU is a stack algorithm: every size from one pass (sim/cache/mrc.h).
  std::optional<sc::LruStackDistances> stack;
  if (d.kind == sc::PolicyKind::Lru) stack.emplace(in.keys);
  const double n = in.keys.empty() ? 1.0 : static_cast<double>(in.keys.size());
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const std::uint64_t h = stack ? stack->hits(sizes[k]) : hits_at(d, sizes[k], in, rate);
    o += (k ? "," : "") + std::string("{\"size\":") + std::to_string(sizes[k]) + ",\"hits\":" + std::to_string(h) +
         ",\"hit_ratio\":" + num(static_cast<double>(h) / n) + "}";
  }
  return o + "]}";
}

}  // namespace

int sim_cache(const SimArgs& args_in, std::string& out) {
  SimArgs args = args_in;
  const std::uint64_t seed = take_seed(args);
  const auto p = resolve_params("cache", args, widgets::cache::check_model_params);
  widgets::cache::Setup setup;
  if (std::string e = widgets::cache::build_setup(p, seed, setup); !e.empty()) throw UsageError(e);
  const bool evictions = args.has_flag("evictions");
  if (evictions && args.json) throw UsageError("--evictions prints per-request lines; it cannot be combined with --json");

  Input in;
  if (auto it = args.files.find("trace"); it != args.files.end()) in = read_trace(it->second, evictions);
  else in.keys = sc::generate(setup.workload);

  if (args.json) {
    std::vector<std::size_t> sizes;
    const std::string& list = p.at("sizes");
    if (list.empty()) sizes = widgets::cache::curve_sizes(setup.policies.front().capacity);
    else {
      std::stringstream ss(list);
      std::string item;
      while (std::getline(ss, item, ',')) sizes.push_back(std::stoul(item));  // validated by build_setup
    }
    out += "{\"requests\":" + std::to_string(in.keys.size()) + ",\"capacity\":" +
           std::to_string(setup.policies.front().capacity) + ",\"trace\":" + (in.from_trace ? "true" : "false") +
           ",\"policies\":[";
    for (std::size_t i = 0; i < setup.policies.size(); ++i)
      out += (i ? "," : "") + policy_json(setup.policies[i], in, sizes, setup.rate);
    out += "]";
    if (setup.ceiling) {
      sc::PolicyDesc opt = setup.policies.front();
      opt.kind = sc::PolicyKind::Opt;
      out += ",\"opt\":" + policy_json(opt, in, sizes, setup.rate);
    }
    out += "}\n";
    return 0;
  }

  std::vector<sc::Cache> caches;
  for (const auto& d : setup.policies) caches.emplace_back(d, in.keys);
  std::string line;
  for (std::size_t i = 0; i < in.keys.size(); ++i) {
    line.clear();
    if (!in.from_trace) line = std::to_string(in.keys[i]);
    for (std::size_t c = 0; c < caches.size(); ++c) {
      const sc::AccessResult r = caches[c].access(in.keys[i], widgets::cache::arrival_us(i, setup.rate));
      if (!line.empty()) line += '\t';
      line += r.hit ? "hit" : "miss";
      if (evictions && !r.hit) {
        if (r.evicted) line += " evict " + key_text(in, r.evicted_key);
        if (!r.admitted) line += " refused";
      }
    }
    out += line;
    out += '\n';
  }
  return 0;
}

}  // namespace scalebook::cli
