#include "sim/core/rng.h"

#include <algorithm>

namespace scalebook::sim {

Zipf::Zipf(std::uint64_t n, double s) : n_(n), s_(s), cdf_(n) {
  double total = 0.0;
  for (std::uint64_t k = 0; k < n; ++k) {
    total += 1.0 / ppow(static_cast<double>(k + 1), s);
    cdf_[k] = total;
  }
  for (auto& c : cdf_) c /= total;
  if (n > 0) cdf_[n - 1] = 1.0;
}

std::uint64_t Zipf::sample(Rng& rng) const {
  const double u = rng.uniform01();
  auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  if (it == cdf_.end()) return n_ - 1;
  return static_cast<std::uint64_t>(it - cdf_.begin());
}

double Zipf::probability(std::uint64_t k) const {
  if (k >= n_) return 0.0;
  return k == 0 ? cdf_[0] : cdf_[k] - cdf_[k - 1];
}

}  // namespace scalebook::sim
