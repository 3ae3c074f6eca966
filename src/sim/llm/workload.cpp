#include "sim/llm/workload.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "sim/core/rng.h"

namespace scalebook::sim::llm {

namespace {

int draw_length(const LengthSpec& s, Rng& rng) {
  if (s.min < 1 || s.max < s.min) throw std::invalid_argument("LengthSpec: need 1 <= min <= max");
  switch (s.dist) {
    case LengthDist::kFixed: return s.min;
    case LengthDist::kUniform: return static_cast<int>(rng.uniform_range(s.min, s.max));
    case LengthDist::kExponential: {
      const double x = rng.exponential(s.mean > 0.0 ? s.mean : 0.5 * (s.min + s.max));
      const double r = std::floor(x + 0.5);  // exact IEEE rounding, same everywhere
      const double clamped = std::min(std::max(r, static_cast<double>(s.min)), static_cast<double>(s.max));
      return static_cast<int>(clamped);
    }
  }
  return s.min;
}

}  // namespace

std::vector<TokenId> deterministic_tokens(std::uint64_t seed, std::uint64_t key, int len, int vocab_size) {
  Rng rng = Rng(seed).split(0x9E3779B97F4A7C15ull ^ key);
  std::vector<TokenId> out;
  out.reserve(static_cast<std::size_t>(len));
  for (int i = 0; i < len; ++i) out.push_back(static_cast<TokenId>(rng.uniform_int(static_cast<std::uint64_t>(vocab_size))));
  return out;
}

std::vector<RequestSpec> generate_workload(const WorkloadDesc& d) {
  if (d.num_requests < 0 || d.vocab_size < 2) throw std::invalid_argument("WorkloadDesc: bad size");
  const Rng root(d.seed);
  Rng arrivals = root.split(1);
  Rng lengths = root.split(2);
  Rng tokens = root.split(3);
  Rng prefixes = root.split(4);

  std::vector<std::vector<TokenId>> shared;
  if (d.shared_prefix_tokens > 0) {
    for (int k = 0; k < std::max(1, d.num_shared_prefixes); ++k)
      shared.push_back(deterministic_tokens(d.seed, 0xC0FFEE00ull + static_cast<std::uint64_t>(k),
                                            d.shared_prefix_tokens, d.vocab_size));
  }

  std::vector<RequestSpec> out;
  out.reserve(static_cast<std::size_t>(d.num_requests));
  double t_s = 0.0;
  std::int64_t t_us = 0;
  for (int i = 0; i < d.num_requests; ++i) {
    RequestSpec r;
    r.id = i;
    if (d.rate_per_s > 0.0 && i > 0) {
      t_s += arrivals.exponential(1.0 / d.rate_per_s);
      t_us = static_cast<std::int64_t>(std::floor(t_s * 1e6 + 0.5));
    }
    r.arrival_us = t_us;
    const int own = draw_length(d.prompt, lengths);
    r.max_tokens = draw_length(d.output, lengths);
    if (!shared.empty() && prefixes.bernoulli(d.shared_prefix_fraction)) {
      r.shared_prefix_id = static_cast<int>(prefixes.uniform_int(shared.size()));
      r.prompt = shared[static_cast<std::size_t>(r.shared_prefix_id)];
    }
    for (int k = 0; k < own; ++k)
      r.prompt.push_back(static_cast<TokenId>(tokens.uniform_int(static_cast<std::uint64_t>(d.vocab_size))));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace scalebook::sim::llm
