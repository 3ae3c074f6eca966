#include "sim/net/latency.h"

#include <algorithm>

#include "sim/core/portable_math.h"

namespace scalebook::sim::net {

namespace {

// Round a non-negative tail to whole microseconds, clamped so that floor + tail cannot overflow.
std::int64_t round_us(double x) {
  if (!(x > 0.0)) return 0;  // also NaN
  if (x >= static_cast<double>(kMaxLatencyUs)) return kMaxLatencyUs;
  return static_cast<std::int64_t>(x + 0.5);
}

std::int64_t clamp_total(std::int64_t us, std::int64_t cap_us) {
  if (cap_us > 0) us = std::min(us, cap_us);
  return std::clamp<std::int64_t>(us, 0, kMaxLatencyUs);
}

}  // namespace

std::int64_t sample_latency_us(const Latency& l, Rng& rng) {
  const std::int64_t base = std::clamp<std::int64_t>(l.base_us, 0, kMaxLatencyUs);
  switch (l.kind) {
    case Latency::Kind::Constant:
      return base;
    case Latency::Kind::Uniform:
      if (l.spread_us <= 0) return base;
      return rng.uniform_range(base, base + std::min(l.spread_us, kMaxLatencyUs - base));
    case Latency::Kind::LogNormal: {
      const double z = rng.normal(0.0, 1.0);
      return clamp_total(base + round_us(static_cast<double>(l.spread_us) * pexp(l.sigma * z)), l.cap_us);
    }
    case Latency::Kind::Exponential:
      return clamp_total(base + round_us(rng.exponential(static_cast<double>(l.spread_us))), l.cap_us);
  }
  return base;
}

}  // namespace scalebook::sim::net
