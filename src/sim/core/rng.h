// rng.h — the one portable random source every model uses.
//
// What it is: xoshiro256** (Blackman & Vigna 2018) seeded through splitmix64,
// plus the few distributions the models need, written here so that the same
// seed gives the same numbers natively (libstdc++) and in Wasm (libc++).
// Never use std::uniform_*_distribution & co. in a model: they are
// implementation-defined and differ between the two standard libraries.
//
// Invariants: a Rng is a plain value (copy = snapshot); same seed ⇒ same stream.
// Not modelled: cryptographic quality; jump()/long_jump() streams (use distinct
// seeds via Rng::split instead).
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/core/portable_math.h"

namespace scalebook::sim {

// splitmix64: a good 64-bit mixer, also used to seed and to hash integers.
constexpr std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// Stateless 64-bit mix of one value (handy for hashing integer keys).
constexpr std::uint64_t mix64(std::uint64_t x) {
  std::uint64_t s = x;
  return splitmix64(s);
}

class Rng {
 public:
  constexpr explicit Rng(std::uint64_t seed = 1) { reseed(seed); }

  constexpr void reseed(std::uint64_t seed) {
    std::uint64_t sm = seed;
    for (auto& w : s_) w = splitmix64(sm);
  }

  // An independent stream derived from this one's seed material and a tag.
  constexpr Rng split(std::uint64_t tag) const {
    return Rng(s_[0] ^ mix64(tag ^ 0xA5A5A5A5DEADBEEFull));
  }

  constexpr std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform double in [0, 1) with 53 random bits (exact, no rounding drift).
  constexpr double uniform01() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  // Uniform double in (0, 1]: safe to take the log of.
  constexpr double uniform01_open_low() { return static_cast<double>((next_u64() >> 11) + 1) * 0x1.0p-53; }

  // Uniform integer in [0, n) without modulo bias (Lemire's method with rejection). n > 0.
  constexpr std::uint64_t uniform_int(std::uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(next_u64()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(next_u64()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }

  // Uniform integer in [lo, hi] (inclusive). lo <= hi.
  constexpr std::int64_t uniform_range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(uniform_int(static_cast<std::uint64_t>(hi - lo) + 1));
  }

  constexpr bool bernoulli(double p) { return uniform01() < p; }

  // Exponential with the given mean (inverse transform).
  double exponential(double mean) { return -mean * plog(uniform01_open_low()); }

  // Normal(mean, sd) by Marsaglia's polar method (log and sqrt only, no trig, so it is
  // bit-identical natively and in Wasm). One value per call; the spare is dropped so
  // the state stays a plain value.
  double normal(double mean, double sd) {
    for (;;) {
      const double u = 2.0 * uniform01() - 1.0;
      const double v = 2.0 * uniform01() - 1.0;
      const double s = u * u + v * v;
      if (s > 0.0 && s < 1.0) return mean + sd * u * std::sqrt(-2.0 * plog(s) / s);
    }
  }

  // Continuous Pareto / power law: P(X > x) = (x_min / x)^(alpha - 1) for x >= x_min,
  // i.e. density exponent `alpha` (> 1). Used for heavy-tailed follower counts.
  double power_law(double x_min, double alpha) {
    return x_min * ppow(uniform01_open_low(), -1.0 / (alpha - 1.0));
  }

  const std::uint64_t* state() const { return s_; }

 private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4]{};
};

// Zipf over ranks 1..n with exponent s (> 0): P(k) ∝ 1 / k^s.
// Sampling is O(log n) by binary search over a precomputed CDF (n doubles of memory),
// exact and portable (no rejection sampling that depends on libm corner cases).
class Zipf {
 public:
  Zipf() = default;
  Zipf(std::uint64_t n, double s);
  // Returns a rank in [0, n): 0 is the most popular.
  std::uint64_t sample(Rng& rng) const;
  std::uint64_t n() const { return n_; }
  double s() const { return s_; }
  // Probability of rank k (0-based).
  double probability(std::uint64_t k) const;

 private:
  std::uint64_t n_ = 0;
  double s_ = 1.0;
  std::vector<double> cdf_;
};

}  // namespace scalebook::sim
