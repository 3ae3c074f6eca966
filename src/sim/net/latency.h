// latency.h — one-way message latency of a link, and how often the link loses a message.
//
// Models: the delay a message spends on a link, drawn per message from sim::Rng
// (never <random>, so runs are bit-identical natively and in Wasm):
//  - Constant(base)                 latency = base
//  - Uniform(lo, hi)                latency uniform over the integers [lo, hi]
//  - LogNormal(floor, median, sigma) latency = floor + median · e^(sigma·Z), Z ~ N(0,1):
//                                   a propagation floor plus a queueing tail whose
//                                   median is `median` (the usual shape of measured RTTs)
//  - Exponential(floor, mean)       latency = floor + Exp(mean): a memoryless tail
// Tails may be capped (`cap_us`, total latency; 0 = uncapped). Samples are rounded to the
// nearest microsecond and are never negative nor above kMaxLatencyUs (~11.6 days).
// Loss: each message is lost independently with probability `loss` (Bernoulli).
//
// Invariants: a sample is a pure function of (Latency, Rng state); Constant and Uniform
// stay within [lo, hi] exactly; hi < lo is read as Constant(lo).
// Not modelled: bandwidth or message size (no serialisation delay), congestion shared
// between links, correlated (bursty) loss, duplication, corruption.
#pragma once
#include <cstdint>

#include "sim/core/rng.h"

namespace scalebook::sim::net {

inline constexpr std::int64_t kMaxLatencyUs = 1'000'000'000'000;

struct Latency {
  enum class Kind : std::uint8_t { Constant, Uniform, LogNormal, Exponential };
  Kind kind = Kind::Constant;
  std::int64_t base_us = 1000;  // Constant: the latency; Uniform: lo; tails: the floor added to the tail
  std::int64_t spread_us = 0;   // Uniform: hi - lo; LogNormal: median of the tail; Exponential: mean of the tail
  double sigma = 1.0;           // LogNormal: standard deviation of ln(tail)
  std::int64_t cap_us = 0;      // tails: maximum total latency (0 = uncapped)

  static constexpr Latency constant(std::int64_t us) { return {Kind::Constant, us, 0, 1.0, 0}; }
  static constexpr Latency uniform(std::int64_t lo_us, std::int64_t hi_us) {
    return {Kind::Uniform, lo_us, hi_us - lo_us, 1.0, 0};
  }
  static constexpr Latency log_normal(std::int64_t floor_us, std::int64_t median_us, double sigma,
                                      std::int64_t cap_us = 0) {
    return {Kind::LogNormal, floor_us, median_us, sigma, cap_us};
  }
  static constexpr Latency exponential(std::int64_t floor_us, std::int64_t mean_us, std::int64_t cap_us = 0) {
    return {Kind::Exponential, floor_us, mean_us, 1.0, cap_us};
  }
};

// One draw. Consumes a variable number of values from `rng` (Uniform may reject,
// LogNormal's polar method loops), so streams are compared draw for draw, not by count.
std::int64_t sample_latency_us(const Latency& latency, Rng& rng);

// A directed link's behaviour. The default value is a 1 ms constant, lossless link.
struct LinkDesc {
  Latency latency;
  double loss = 0.0;  // probability each message is dropped; <= 0 never, >= 1 always
};

}  // namespace scalebook::sim::net
