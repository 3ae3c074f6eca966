#include "sim/cache/workload.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "sim/cache/mrc.h"
#include "sim/core/rng.h"

namespace scalebook::sim::cache {

std::vector<std::uint64_t> generate(const WorkloadDesc& d) {
  std::vector<std::uint64_t> t;
  t.reserve(d.requests);
  Rng rng(d.seed);
  const std::uint64_t n = d.keys ? d.keys : 1;
  switch (d.kind) {
    case WorkloadDesc::Kind::Zipf: {
      const Zipf z(n, d.alpha);
      for (std::uint64_t i = 0; i < d.requests; ++i) t.push_back(z.sample(rng));
      break;
    }
    case WorkloadDesc::Kind::Scan: {
      const Zipf z(n, d.alpha);
      const std::uint64_t every = d.scan_every ? d.scan_every : 1;
      std::uint64_t next_scan_key = kScanKeyBase, background = 0;
      while (t.size() < d.requests) {
        t.push_back(z.sample(rng));
        if (++background % every == 0)
          for (std::uint64_t j = 0; j < d.scan_length && t.size() < d.requests; ++j) t.push_back(next_scan_key++);
      }
      break;
    }
    case WorkloadDesc::Kind::Loop: {
      const std::uint64_t l = d.loop_length ? d.loop_length : 1;
      for (std::uint64_t i = 0; i < d.requests; ++i) t.push_back(i % l);
      break;
    }
    case WorkloadDesc::Kind::Shifting: {
      const Zipf z(n, d.alpha);
      const std::uint64_t every = d.shift_every ? d.shift_every : 1;
      for (std::uint64_t i = 0; i < d.requests; ++i) t.push_back((i / every) * n + z.sample(rng));
      break;
    }
  }
  return t;
}

namespace {
constexpr std::array<std::pair<PolicyKind, std::string_view>, 8> kNames{{
    {PolicyKind::Fifo, "fifo"},
    {PolicyKind::Lru, "lru"},
    {PolicyKind::Lfu, "lfu"},
    {PolicyKind::Opt, "opt"},
    {PolicyKind::RedisLru, "redis-lru"},
    {PolicyKind::RedisLfu, "redis-lfu"},
    {PolicyKind::WTinyLfu, "w-tinylfu"},
    {PolicyKind::Memcached, "memcached"},
}};

std::variant<Fifo, Lru, Lfu, Opt, RedisSampled, WTinyLfu, MemcachedSlru> make(const PolicyDesc& d, const std::vector<std::uint64_t>& trace) {
  using M = RedisSampled::Mode;
  switch (d.kind) {
    case PolicyKind::Fifo: return Fifo(d.capacity);
    case PolicyKind::Lru: return Lru(d.capacity);
    case PolicyKind::Lfu: return Lfu(d.capacity);
    case PolicyKind::Opt: return Opt(d.capacity, trace, d.opt_bypass);
    case PolicyKind::RedisLru:
    case PolicyKind::RedisLfu:
      return RedisSampled({.mode = d.kind == PolicyKind::RedisLru ? M::Lru : M::Lfu,
                           .capacity = d.capacity,
                           .maxmemory_samples = d.maxmemory_samples,
                           .lfu_log_factor = d.lfu_log_factor,
                           .lfu_decay_time = d.lfu_decay_time,
                           .seed = d.seed});
    case PolicyKind::WTinyLfu: return WTinyLfu({.capacity = d.capacity, .seed = d.seed, .adaptive = d.tinylfu_adaptive});
    case PolicyKind::Memcached: return MemcachedSlru({.capacity = d.capacity, .juggle_interval_us = d.juggle_interval_us});
  }
  throw std::logic_error("unknown cache policy");
}
}  // namespace

std::string_view policy_name(PolicyKind k) {
  for (const auto& [kind, name] : kNames)
    if (kind == k) return name;
  return "?";
}

std::optional<PolicyKind> parse_policy(std::string_view name) {
  for (const auto& [kind, n] : kNames)
    if (n == name) return kind;
  return std::nullopt;
}

Cache::Cache(const PolicyDesc& d, const std::vector<std::uint64_t>& trace) : kind_(d.kind), impl_(make(d, trace)) {}

AccessResult Cache::access(std::uint64_t key, std::int64_t now_us) {
  return std::visit([&](auto& p) { return p.access(key, now_us); }, impl_);
}
const CacheStats& Cache::stats() const {
  return std::visit([](const auto& p) -> const CacheStats& { return p.stats(); }, impl_);
}
std::size_t Cache::size() const {
  return std::visit([](const auto& p) { return p.size(); }, impl_);
}
bool Cache::contains(std::uint64_t key) const {
  return std::visit([&](const auto& p) { return p.contains(key); }, impl_);
}

RunResult run(const PolicyDesc& policy, const std::vector<std::uint64_t>& trace, const RunOptions& opt) {
  Cache c(policy, trace);
  RunResult out;
  const std::uint64_t window = opt.window ? opt.window : 1;
  std::uint64_t in_window = 0, hits_in_window = 0;
  for (std::size_t i = 0; i < trace.size(); ++i) {
    if (c.access(trace[i], static_cast<std::int64_t>(i) * opt.interval_us).hit) ++hits_in_window;
    if (++in_window == window) {
      out.window_hit_ratio.push_back(static_cast<double>(hits_in_window) / static_cast<double>(in_window));
      in_window = hits_in_window = 0;
    }
  }
  if (in_window) out.window_hit_ratio.push_back(static_cast<double>(hits_in_window) / static_cast<double>(in_window));
  out.total = c.stats();
  return out;
}

std::vector<double> hit_ratio_curve(PolicyDesc policy, const std::vector<std::uint64_t>& trace, const std::vector<std::size_t>& sizes,
                                    const RunOptions& opt) {
  std::vector<double> out;
  out.reserve(sizes.size());
  if (policy.kind == PolicyKind::Lru) {  // a stack algorithm: every size from one pass (mrc.h)
    const LruStackDistances d(trace);
    for (std::size_t c : sizes) out.push_back(d.hit_ratio(c));
    return out;
  }
  for (std::size_t c : sizes) {
    policy.capacity = c;
    out.push_back(run(policy, trace, {.interval_us = opt.interval_us, .window = trace.size() + 1}).total.hit_ratio());
  }
  return out;
}

namespace {
// Decimal digits only, no sign, fits in 64 bits.
bool parse_u64(std::string_view s, std::uint64_t& out) {
  if (s.empty() || s.size() > 20) return false;
  unsigned __int128 v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  if (v > 0xFFFFFFFFFFFFFFFFull) return false;
  out = static_cast<std::uint64_t>(v);
  return true;
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
}  // namespace

ParsedTrace parse_trace(std::string_view text) {
  ParsedTrace t;
  std::size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    std::vector<std::string_view> fields;
    for (std::size_t i = 0; i < line.size();) {
      while (i < line.size() && is_space(line[i])) ++i;
      std::size_t j = i;
      while (j < line.size() && !is_space(line[j])) ++j;
      if (j > i) fields.push_back(line.substr(i, j - i));
      i = j;
    }
    if (fields.empty() || fields[0].front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    auto fail = [&](const std::string& why) {
      t.keys.clear();
      t.sizes.clear();
      t.error = "line " + std::to_string(line_no) + ": " + why;
      return t;
    };
    if (fields.size() > 2) return fail("expected 'KEY [SIZE]', got " + std::to_string(fields.size()) + " fields");
    std::uint64_t key = 0, size = 0;
    if (!parse_u64(fields[0], key)) key = fnv1a64(fields[0]);
    if (fields.size() == 2 && (!parse_u64(fields[1], size) || size == 0))
      return fail("size '" + std::string(fields[1]) + "' is not a positive integer");
    t.keys.push_back(key);
    t.sizes.push_back(size);
    if (end == text.size()) break;
  }
  return t;
}

}  // namespace scalebook::sim::cache
