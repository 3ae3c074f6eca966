// cache/scenario.h — the cache widget's run: one generated request stream fed to one to
// three eviction policies side by side (src/sim/cache), with Belady's OPT as the ceiling,
// played out request by request. UI-free (native and Wasm): the view (view.cpp) draws it;
// the browser's summary, state and digest come from here, and `scalebook sim cache`
// builds its policies from the same parameters (build_setup).
//
// configure() generates the whole trace up front (OPT needs the future). Request i
// arrives at simulated time i · 10^6 / rate µs (the Redis policies read that clock: their
// LRU clock and LFU decay are clocked). advance() feeds every request up to the new time
// to every lane, in order, so advance(a); advance(b) equals advance(a + b). Time stops at
// the end of the trace; the whole run plays in kPlaySeconds of real time at speed 1.
//
// Each lane also runs its policy at the other sizes of the miss-ratio curve
// (capacity × 1/8 … 8, kCurveFactors), fed the same requests, so the curve of hit ratio
// against cache size forms as the run goes and is exact for the requests so far.
// Kept for the view (bounded): per lane the resident key of each drawn slot (at most
// kMaxSlots) with the request index of its last hit and of its arrival, whether that
// arrival evicted a key, the last kRecent results as bits, and one chart sample per
// 1/kSamples of the run (hit ratio over the last kSmooth windows).
// Not modelled here: anything of the policies themselves — that is src/sim/cache.
#pragma once
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/cache/workload.h"
#include "sim/core/digest.h"
#include "widgets/params.h"
#include "widgets/samples.h"
#include "widgets/scenario.h"

namespace scalebook::widgets::cache {

namespace sc = sim::cache;

inline constexpr double kPlaySeconds = 10;          // real seconds for the whole run at speed 1
inline constexpr std::size_t kSamples = 200;        // chart samples over the run
inline constexpr std::size_t kSmooth = 4;           // windows averaged per chart sample
inline constexpr std::size_t kMaxSlots = 1024;      // slots drawn per lane (larger caches: the first kMaxSlots)
inline constexpr std::size_t kRecent = 256;         // recent results kept per lane (the request strip)
inline constexpr long long kMaxWidgetCapacity = 10000;   // the widget's limits (the CLI's are the schema's)
inline constexpr long long kMaxWidgetRequests = 200000;
inline constexpr std::array<double, 7> kCurveFactors = {0.125, 0.25, 0.5, 1, 2, 4, 8};

// The parameters as the model needs them (shared with `scalebook sim cache`).
struct Setup {
  std::vector<sc::PolicyDesc> policies;  // policy, then compare's, in order
  sc::WorkloadDesc workload;
  bool ceiling = true;                   // also run OPT
  std::uint64_t rate = 2000;             // requests per simulated second
};
// "" or "parameter 'k': why" (the model's own limits; the widget adds its own in check_params).
std::string build_setup(const ParamMap& params, std::uint64_t seed, Setup& out);
std::string check_model_params(const ParamMap& params);
std::string check_params(const ParamMap& params);
// Request i's arrival time in µs at `rate` requests per second.
inline std::int64_t arrival_us(std::uint64_t i, std::uint64_t rate) {
  return static_cast<std::int64_t>((static_cast<unsigned __int128>(i) * 1000000u) / rate);
}
// The curve's sizes for a capacity: capacity × kCurveFactors, at least 1, without repeats.
std::vector<std::size_t> curve_sizes(std::size_t capacity);
// "LRU", "W-TinyLFU", "Redis LFU", … for labels and the summary.
const char* policy_label(sc::PolicyKind k);

struct Slot {
  std::uint64_t key = 0;
  std::int64_t arrived = -1;   // request index of its arrival (-1: never filled)
  std::int64_t last_hit = -1;  // request index of its last hit
  bool replaced = false;       // its arrival evicted another key
  bool filled = false;
};

// One policy, its curve sizes and what the view draws of it.
struct Lane {
  sc::PolicyKind kind = sc::PolicyKind::Lru;
  std::vector<sc::Cache> curve;   // curve[0] is the lane's own cache, then the curve's other sizes
  std::vector<Slot> slots;        // min(capacity, kMaxSlots)
  std::unordered_map<std::uint64_t, std::uint32_t> slot_of;  // resident key -> slot (drawn slots only)
  std::vector<std::uint32_t> free_slots;                     // stack; top = next to fill
  std::array<std::uint64_t, kRecent / 64> recent{};          // bit i of request (n - 1 - i): hit
  chart::SampleRing hit_samples{kSamples + 1};               // % over the last kSmooth windows
  std::array<std::uint64_t, kSmooth> window_hits{};          // hits per window, ring
  std::uint64_t hits_this_window = 0;

  sim::TraceDigest digest;        // of every result (hit / evicted key / admitted / refused)

  const sc::Cache& cache() const { return curve[0]; }
  const sc::CacheStats& stats() const { return cache().stats(); }
  bool recent_hit(std::size_t ago) const { return (recent[ago / 64] >> (ago % 64)) & 1u; }
};

class CacheScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override;
  std::int64_t time_us() const override { return time_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return error_.empty() && next_ < trace_.size(); }
  double sim_us_per_s() const override;

  // For the view.
  const std::string& error() const { return error_; }
  const std::vector<Lane>& lanes() const { return lanes_; }  // policies in order, then OPT when ceiling
  bool has_ceiling() const { return ceiling_; }
  const Lane* ceiling() const { return ceiling_ ? &lanes_.back() : nullptr; }
  std::size_t policy_lanes() const { return lanes_.size() - (ceiling_ ? 1 : 0); }
  std::size_t capacity() const { return capacity_; }
  const std::vector<std::size_t>& sizes() const { return sizes_; }
  std::size_t requests_done() const { return next_; }
  std::size_t requests_total() const { return trace_.size(); }
  std::int64_t duration_us() const { return duration_us_; }
  double sample_period_s() const;  // simulated seconds between chart samples
  std::uint64_t rate() const { return rate_; }
  const sc::WorkloadDesc& workload() const { return workload_; }
  // Hit ratio of lane `l` at curve size `i`, over the requests so far.
  double curve_hit_ratio(std::size_t l, std::size_t i) const;

 private:
  void feed(std::size_t i);

  std::string error_;
  std::vector<std::uint64_t> trace_;
  std::vector<Lane> lanes_;
  std::vector<std::size_t> sizes_;
  std::vector<std::size_t> curve_index_;  // sizes_[k] is lane.curve[curve_index_[k]]
  sc::WorkloadDesc workload_;
  std::size_t capacity_ = 0, next_ = 0, window_ = 1, window_pos_ = 0, windows_done_ = 0;
  std::uint64_t rate_ = 2000;
  bool ceiling_ = true;
  std::int64_t time_us_ = 0, duration_us_ = 0;
};

}  // namespace scalebook::widgets::cache

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_cache_scenario();
}
