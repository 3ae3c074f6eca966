// workload.h — request streams for the cache lab, one handle over every
// policy, and the runner the widget and `scalebook sim cache` will call.
//
// Workloads (keys are uint64; every generator is a pure function of its Desc,
// seed included — same Desc, same trace, natively and in Wasm):
//  * Zipf(alpha) over N keys: P(rank k) ∝ 1/(k+1)^alpha. Sampled with
//    scalebook::sim::Zipf (src/sim/core/rng.h): the CDF is precomputed once with
//    ppow (portable), each request draws u = Rng::uniform01() and takes the
//    first rank whose CDF exceeds u (binary search). Exact inverse-CDF, no
//    rejection. Rank k is key k (rank 0 the hottest).
//  * Scan: the Zipf stream, plus every `scan_every` requests a burst of
//    `scan_length` keys never seen before (a backup job / full-table read);
//    scan keys start at kScanKeyBase and only increase.
//  * Loop: keys 0, 1, …, L−1, 0, 1, … (L = C+1 is LRU's worst case: 0 hits).
//  * Shifting: Zipf over a working set of N keys whose identity moves every
//    `shift_every` requests: phase p maps rank k to key p·N + k (the new set
//    shares no key with the old one; popularity order is the same).
// Runner: feeds a trace to one policy, request i at time i·interval_us, and
// returns the totals and the hit ratio in consecutive windows of `window`
// requests (the last one may be shorter) — the hit-ratio-over-time chart.
// Does NOT model: object sizes (item capacity only; parse_trace keeps them
// for later), a one-pass miss-ratio curve for policies other than LRU, request
// timing other than a fixed interval.
#pragma once
#include "sim/core/digest.h"
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/cache/baselines.h"
#include "sim/cache/memcached.h"
#include "sim/cache/policy.h"
#include "sim/cache/redis.h"
#include "sim/cache/tinylfu.h"

namespace scalebook::sim::cache {

inline constexpr std::uint64_t kScanKeyBase = std::uint64_t{1} << 40;

struct WorkloadDesc {
  enum class Kind { Zipf, Scan, Loop, Shifting };
  Kind kind = Kind::Zipf;
  std::uint64_t requests = 100000;
  std::uint64_t keys = 10000;        // N (Zipf, Scan, Shifting)
  double alpha = 0.9;                // Zipf exponent (> 0)
  std::uint64_t scan_every = 10000;  // Scan
  std::uint64_t scan_length = 1000;  // Scan
  std::uint64_t loop_length = 101;   // Loop
  std::uint64_t shift_every = 50000; // Shifting
  std::uint64_t seed = 1;
};

std::vector<std::uint64_t> generate(const WorkloadDesc& d);

enum class PolicyKind { Fifo, Lru, Lfu, Opt, RedisLru, RedisLfu, WTinyLfu, Memcached };

struct PolicyDesc {
  PolicyKind kind = PolicyKind::Lru;
  std::size_t capacity = 1000;
  bool opt_bypass = true;            // Opt
  int maxmemory_samples = 5;         // Redis
  std::uint32_t lfu_log_factor = 10; // Redis LFU
  std::uint32_t lfu_decay_time = 1;  // Redis LFU, minutes
  std::uint64_t seed = 1;            // Redis, W-TinyLFU
  std::int64_t juggle_interval_us = 1000;  // memcached's LRU maintainer
  bool tinylfu_adaptive = false;     // W-TinyLFU: Caffeine's hill climber resizes the window
};

// "fifo", "lru", "lfu", "opt", "redis-lru", "redis-lfu", "w-tinylfu", "memcached".
std::string_view policy_name(PolicyKind k);
std::optional<PolicyKind> parse_policy(std::string_view name);

// Any policy behind one call. A plain value: copying it is a snapshot.
class Cache {
 public:
  // `trace` is needed (and copied) only for Opt.
  Cache(const PolicyDesc& d, const std::vector<std::uint64_t>& trace = {});
  AccessResult access(std::uint64_t key, std::int64_t now_us);
  const CacheStats& stats() const;
  std::size_t size() const;
  bool contains(std::uint64_t key) const;
  PolicyKind kind() const { return kind_; }

 private:
  PolicyKind kind_;
  std::variant<Fifo, Lru, Lfu, Opt, RedisSampled, WTinyLfu, MemcachedSlru> impl_;
};

struct RunOptions {
  std::int64_t interval_us = 1000;  // request i arrives at i · interval_us
  std::uint64_t window = 1000;      // requests per hit-ratio window (>= 1)
};

struct RunResult {
  CacheStats total;
  std::vector<double> window_hit_ratio;
};

RunResult run(const PolicyDesc& policy, const std::vector<std::uint64_t>& trace, const RunOptions& opt = {});

// Hit ratio for each cache size, sizes taken as given, in order: exact LRU from
// one pass over the trace (stack distances, mrc.h), every other policy one
// full run per size.
std::vector<double> hit_ratio_curve(PolicyDesc policy, const std::vector<std::uint64_t>& trace, const std::vector<std::size_t>& sizes,
                                    const RunOptions& opt = {});

// A reader-supplied trace: one request per line, `KEY [SIZE]`, separated by
// spaces or tabs. KEY is a decimal uint64 (used as is) or any other token
// without spaces (mapped to a uint64 by 64-bit FNV-1a — collisions are possible
// in principle). SIZE, if present, is a positive decimal integer (bytes); it is
// kept for a later byte-capacity model and ignored by every policy today. Blank
// lines and lines starting with '#' are skipped. `error` names the first bad
// line ("line 3: size 'x' is not a positive integer") and the result is empty.
struct ParsedTrace {
  std::vector<std::uint64_t> keys;
  std::vector<std::uint64_t> sizes;  // 0 = not given
  std::string error;
};
ParsedTrace parse_trace(std::string_view text);
// Non-numeric trace keys are hashed with the tree's one FNV-1a (sim/core/digest.h).
using sim::fnv1a64;

}  // namespace scalebook::sim::cache
