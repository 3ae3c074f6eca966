#include "widgets/cache/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "widgets/catalog.h"
#include "widgets/units.h"

namespace scalebook::widgets::cache {

namespace {

std::string param_error(const std::string& name, const std::string& why) { return "parameter '" + name + "': " + why; }

std::vector<std::string> split_list(const std::string& v) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos <= v.size()) {
    const std::size_t comma = std::min(v.find(',', pos), v.size());
    std::string item = v.substr(pos, comma - pos);
    const auto b = item.find_first_not_of(' '), e = item.find_last_not_of(' ');
    out.push_back(b == std::string::npos ? std::string() : item.substr(b, e - b + 1));
    pos = comma + 1;
  }
  return out;
}

sc::WorkloadDesc::Kind workload_kind(const std::string& name) {
  if (name == "scan") return sc::WorkloadDesc::Kind::Scan;
  if (name == "loop") return sc::WorkloadDesc::Kind::Loop;
  if (name == "shifting") return sc::WorkloadDesc::Kind::Shifting;
  return sc::WorkloadDesc::Kind::Zipf;
}

}  // namespace

const char* policy_label(sc::PolicyKind k) {
  switch (k) {
    case sc::PolicyKind::Fifo: return "FIFO";
    case sc::PolicyKind::Lru: return "LRU";
    case sc::PolicyKind::Lfu: return "LFU";
    case sc::PolicyKind::Opt: return "OPT";
    case sc::PolicyKind::RedisLru: return "Redis LRU";
    case sc::PolicyKind::RedisLfu: return "Redis LFU";
    case sc::PolicyKind::WTinyLfu: return "W-TinyLFU";
    case sc::PolicyKind::Memcached: return "memcached";
  }
  return "?";
}

std::vector<std::size_t> curve_sizes(std::size_t capacity) {
  std::vector<std::size_t> out;
  for (double f : kCurveFactors) {
    const auto c = std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(static_cast<double>(capacity) * f)));
    if (out.empty() || out.back() != c) out.push_back(c);
  }
  return out;
}

// The sizes parameter: "" (automatic) or a comma list of cache sizes in items, increasing.
static std::string parse_sizes(const std::string& text, std::vector<std::size_t>& out) {
  out.clear();
  if (text.empty()) return {};
  for (const std::string& item : split_list(text)) {
    if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos || item.size() > 9)
      return param_error("sizes", "expected cache sizes in items separated by commas (e.g. 10,100,1000), got '" + item + "'");
    const std::size_t v = std::stoul(item);
    if (v == 0) return param_error("sizes", "a cache size must be at least 1 item");
    if (!out.empty() && v <= out.back())
      return param_error("sizes", "list the sizes in increasing order, each once (" + std::to_string(v) + " after " +
                                      std::to_string(out.back()) + ")");
    out.push_back(v);
  }
  if (out.size() > 100) return param_error("sizes", "at most 100 sizes");
  return {};
}

std::string build_setup(const ParamMap& p, std::uint64_t seed, Setup& out) {
  out = {};
  sc::PolicyDesc base;
  base.capacity = static_cast<std::size_t>(get_int(p, "capacity"));
  base.maxmemory_samples = static_cast<int>(get_int(p, "samples"));
  base.lfu_log_factor = static_cast<std::uint32_t>(get_int(p, "lfu_log_factor"));
  base.lfu_decay_time = static_cast<std::uint32_t>(get_int(p, "lfu_decay_time"));
  base.tinylfu_adaptive = get_text(p, "tinylfu_window") == "adaptive";
  base.seed = seed;
  std::vector<std::string> names = {get_text(p, "policy")};
  if (const std::string& c = get_text(p, "compare"); !c.empty())
    for (const std::string& n : split_list(c)) names.push_back(n);
  std::set<std::string> seen;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const auto kind = sc::parse_policy(names[i]);
    if (!kind) return param_error(i ? "compare" : "policy", "unknown policy '" + names[i] + "'");
    if (!seen.insert(names[i]).second)
      return param_error("compare", "'" + names[i] + "' is already " + (names[0] == names[i] ? "the main policy" : "listed"));
    sc::PolicyDesc d = base;
    d.kind = *kind;
    out.policies.push_back(d);
  }
  if (out.policies.size() > 3) return param_error("compare", "compare at most 2 policies besides the main one");
  sc::WorkloadDesc& w = out.workload;
  w.kind = workload_kind(get_text(p, "workload"));
  w.requests = static_cast<std::uint64_t>(get_int(p, "requests"));
  w.keys = static_cast<std::uint64_t>(get_int(p, "keys"));
  w.alpha = get_double(p, "alpha");
  w.scan_every = static_cast<std::uint64_t>(get_int(p, "scan_every"));
  w.scan_length = static_cast<std::uint64_t>(get_int(p, "scan_length"));
  w.loop_length = static_cast<std::uint64_t>(get_int(p, "loop_length"));
  w.shift_every = static_cast<std::uint64_t>(get_int(p, "shift_every"));
  w.seed = seed;
  out.ceiling = get_bool(p, "ceiling");
  out.rate = static_cast<std::uint64_t>(get_int(p, "rate"));
  std::vector<std::size_t> sizes;
  return parse_sizes(get_text(p, "sizes"), sizes);
}

std::string check_model_params(const ParamMap& p) {
  Setup s;
  return build_setup(p, 1, s);
}

std::string check_params(const ParamMap& p) {
  if (std::string e = check_model_params(p); !e.empty()) return e;
  if (get_int(p, "capacity") > kMaxWidgetCapacity)
    return param_error("capacity", "the widget draws caches of at most " + std::to_string(kMaxWidgetCapacity) +
                                       " items (the command line takes more)");
  if (get_int(p, "requests") > kMaxWidgetRequests)
    return param_error("requests", "the widget runs at most " + std::to_string(kMaxWidgetRequests) +
                                       " requests (the command line takes more)");
  std::vector<std::size_t> sizes;
  parse_sizes(get_text(p, "sizes"), sizes);
  if (sizes.size() > 12) return param_error("sizes", "the widget draws at most 12 sizes (the command line takes 100)");
  if (!sizes.empty() && sizes.back() > 8 * static_cast<std::size_t>(kMaxWidgetCapacity))
    return param_error("sizes", "the widget runs caches of at most " + std::to_string(8 * kMaxWidgetCapacity) + " items");
  return {};
}

void CacheScenario::configure(const ParamMap& params, std::uint64_t seed) {
  *this = CacheScenario();
  Setup s;
  if (std::string e = build_setup(params, seed, s); !e.empty()) {
    error_ = e;
    return;
  }
  workload_ = s.workload;
  rate_ = s.rate;
  ceiling_ = s.ceiling;
  capacity_ = s.policies.front().capacity;
  parse_sizes(get_text(params, "sizes"), sizes_);
  if (sizes_.empty()) sizes_ = curve_sizes(capacity_);
  for (std::size_t k = 0, j = 1; k < sizes_.size(); ++k) curve_index_.push_back(sizes_[k] == capacity_ ? 0 : j++);
  trace_ = sc::generate(workload_);
  duration_us_ = arrival_us(trace_.size(), rate_);
  window_ = std::max<std::size_t>(1, (trace_.size() + kSamples - 1) / kSamples);
  if (ceiling_) {
    sc::PolicyDesc opt = s.policies.front();
    opt.kind = sc::PolicyKind::Opt;
    s.policies.push_back(opt);
  }
  for (const sc::PolicyDesc& d : s.policies) {
    Lane& lane = lanes_.emplace_back();
    lane.kind = d.kind;
    // The lane's own cache, then the curve's other sizes (the lane's size may not be on the curve).
    lane.curve.emplace_back(d, trace_);
    for (std::size_t c : sizes_) {
      if (c == capacity_) continue;
      sc::PolicyDesc at = d;
      at.capacity = c;
      lane.curve.emplace_back(at, trace_);
    }
    lane.slots.resize(std::min(capacity_, kMaxSlots));
    lane.free_slots.reserve(lane.slots.size());
    for (std::size_t i = lane.slots.size(); i-- > 0;) lane.free_slots.push_back(static_cast<std::uint32_t>(i));
    if (!trace_.empty()) lane.hit_samples.push(0);
  }
}

double CacheScenario::sim_us_per_s() const {
  return duration_us_ > 0 ? static_cast<double>(duration_us_) / kPlaySeconds : 1e6;
}

double CacheScenario::sample_period_s() const {
  return static_cast<double>(window_) / static_cast<double>(rate_);
}

void CacheScenario::feed(std::size_t i) {
  const std::uint64_t key = trace_[i];
  const std::int64_t now = arrival_us(i, rate_);
  for (Lane& lane : lanes_) {
    const sc::AccessResult r = lane.curve[0].access(key, now);
    for (std::size_t c = 1; c < lane.curve.size(); ++c) lane.curve[c].access(key, now);
    // The request strip: shift in this result.
    for (std::size_t w = lane.recent.size(); w-- > 0;) {
      lane.recent[w] <<= 1;
      if (w > 0) lane.recent[w] |= lane.recent[w - 1] >> 63;
    }
    lane.recent[0] |= r.hit ? 1u : 0u;
    lane.hits_this_window += r.hit;
    lane.digest.add_byte(r.hit ? 1 : r.evicted ? 2 : r.admitted ? 3 : 4);
    if (r.evicted) lane.digest.add_u64(r.evicted_key);
    // The drawn slots: a hit lights its slot; an eviction frees one; an admission fills one.
    const auto idx = static_cast<std::int64_t>(i);
    if (r.hit) {
      if (auto it = lane.slot_of.find(key); it != lane.slot_of.end()) lane.slots[it->second].last_hit = idx;
      continue;
    }
    bool freed = false;
    if (r.evicted) {
      if (auto it = lane.slot_of.find(r.evicted_key); it != lane.slot_of.end()) {
        lane.slots[it->second].filled = false;
        lane.free_slots.push_back(it->second);
        lane.slot_of.erase(it);
        freed = true;
      }
    }
    if (r.admitted && !lane.free_slots.empty()) {
      const std::uint32_t s = lane.free_slots.back();
      lane.free_slots.pop_back();
      lane.slots[s] = Slot{.key = key, .arrived = idx, .last_hit = -1, .replaced = freed, .filled = true};
      lane.slot_of[key] = s;
    }
  }
  ++next_;
  if (++window_pos_ == window_ || next_ == trace_.size()) {
    for (Lane& lane : lanes_) {
      lane.window_hits[windows_done_ % kSmooth] = lane.hits_this_window;
      lane.hits_this_window = 0;
    }
    const std::size_t in_windows = std::min<std::size_t>(windows_done_ + 1, kSmooth);
    // Requests in the averaged windows: full windows, the last one possibly shorter.
    const std::size_t span = (in_windows - 1) * window_ + window_pos_;
    for (Lane& lane : lanes_) {
      std::uint64_t h = 0;
      for (std::size_t k = 0; k < in_windows; ++k) h += lane.window_hits[(windows_done_ - k) % kSmooth];
      lane.hit_samples.push(static_cast<float>(100.0 * static_cast<double>(h) / static_cast<double>(span)));
    }
    ++windows_done_;
    window_pos_ = 0;
  }
}

void CacheScenario::advance(std::int64_t dt_us) {
  if (!error_.empty()) return;
  time_us_ = std::min(time_us_ + std::max<std::int64_t>(0, dt_us), duration_us_);
  while (next_ < trace_.size() && arrival_us(next_, rate_) <= time_us_) feed(next_);
  if (time_us_ >= duration_us_)
    while (next_ < trace_.size()) feed(next_);
}

double CacheScenario::curve_hit_ratio(std::size_t l, std::size_t i) const {
  return lanes_[l].curve[curve_index_[i]].stats().hit_ratio();
}

namespace {
std::string pct(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100.0 * r);
  return buf;
}
using units::thousands;
}  // namespace

std::string CacheScenario::summary() const {
  if (!error_.empty()) return "The cache cannot run: " + error_ + ".";
  std::string o = next_ >= trace_.size() ? "After all " + thousands(trace_.size()) + " requests"
                                         : "After " + thousands(next_) + " of " + thousands(trace_.size()) + " requests";
  o += " with room for " + thousands(capacity_) + (capacity_ == 1 ? " item: " : " items: ");
  for (std::size_t i = 0; i < policy_lanes(); ++i) {
    const Lane& l = lanes_[i];
    o += (i ? ", " : "") + std::string(policy_label(l.kind)) + " hits " + pct(l.stats().hit_ratio());
  }
  o += ".";
  if (const Lane* c = ceiling()) o += " OPT, which knows the future, would hit " + pct(c->stats().hit_ratio()) + ".";
  return o;
}

std::string CacheScenario::state_json() const {
  std::string o = "{\"time_us\":" + std::to_string(time_us_) + ",\"requests\":" + std::to_string(next_) +
                  ",\"total\":" + std::to_string(trace_.size()) + ",\"capacity\":" + std::to_string(capacity_) + ",\"lanes\":[";
  for (std::size_t i = 0; i < lanes_.size(); ++i) {
    const Lane& l = lanes_[i];
    const sc::CacheStats& s = l.stats();
    o += (i ? "," : "") + std::string("{\"policy\":\"") + std::string(sc::policy_name(l.kind)) +
         "\",\"hits\":" + std::to_string(s.hits) + ",\"misses\":" + std::to_string(s.misses) +
         ",\"evictions\":" + std::to_string(s.evictions) + ",\"rejections\":" + std::to_string(s.rejections) +
         ",\"size\":" + std::to_string(l.cache().size()) + ",\"curve_hits\":[";
    for (std::size_t k = 0; k < sizes_.size(); ++k) o += (k ? "," : "") + std::to_string(l.curve[curve_index_[k]].stats().hits);
    o += "],\"digest\":\"" + l.digest.hex() + "\"}";
  }
  o += "],\"sizes\":[";
  for (std::size_t k = 0; k < sizes_.size(); ++k) o += (k ? "," : "") + std::to_string(sizes_[k]);
  return o + "]" + (error_.empty() ? "" : ",\"error\":true") + "}";
}

}  // namespace scalebook::widgets::cache

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_cache_scenario() { return std::make_unique<cache::CacheScenario>(); }
}  // namespace scalebook::widgets
