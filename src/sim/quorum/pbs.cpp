// pbs.cpp — PBS estimates: on the model, by the WARS equations, and closed forms (see pbs.h).
#include "sim/quorum/pbs.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "sim/core/portable_math.h"

namespace scalebook::sim::quorum {

double PbsPoint::std_error() const {
  if (trials == 0) return 0.0;
  const double p = p_consistent();
  return std::sqrt(p * (1.0 - p) / static_cast<double>(trials));
}

double binomial(std::uint32_t n, std::uint32_t k) {
  if (k > n) return 0.0;
  double c = 1.0;
  for (std::uint32_t i = 1; i <= k; ++i) c = c * static_cast<double>(n - k + i) / static_cast<double>(i);
  return c;
}

double nonintersection_probability(std::uint32_t n, std::uint32_t r, std::uint32_t w) {
  if (w > n || r > n) return 0.0;
  return binomial(n - w, r) / binomial(n, r);
}

double k_staleness_consistent(std::uint32_t n, std::uint32_t r, std::uint32_t w, std::uint32_t k) {
  const double ps = nonintersection_probability(n, r, w);
  double miss = 1.0;
  for (std::uint32_t i = 0; i < k; ++i) miss *= ps;
  return 1.0 - miss;
}

double t_visibility_r1w1_exponential(std::uint32_t n, std::int64_t t_us, const WarsLegs& legs) {
  if (legs.w.kind != net::Latency::Kind::Exponential || legs.a.kind != net::Latency::Kind::Constant ||
      legs.r.kind != net::Latency::Kind::Constant || n == 0) {
    std::abort();  // no closed form here: a caller bug
  }
  const double lag = static_cast<double>(t_us + legs.a.base_us + legs.r.base_us);
  if (lag < 0) std::abort();
  const double mean = static_cast<double>(legs.w.spread_us);
  return 1.0 - (1.0 - 1.0 / static_cast<double>(n)) * pexp(-lag / mean);
}

std::vector<PbsPoint> measure_t_visibility(const PbsRunDesc& run) {
  Cluster c(run.cluster);
  std::int64_t max_t = 0;
  for (std::int64_t t : run.ts_us) max_t = std::max(max_t, t);
  Key key = 0;
  for (std::uint32_t i = 0; i < run.trials; ++i) {
    if (run.coordinator_outside_replicas) {
      for (;;) {
        const std::vector<NodeId> home = c.home_replicas(key);
        if (std::find(home.begin(), home.end(), run.coordinator) == home.end()) break;
        ++key;
      }
    }
    c.run_until(static_cast<std::int64_t>(i) * run.spacing_us);
    c.write_with_probes(key, run.coordinator, run.ts_us, run.coordinator);
    ++key;
  }
  const std::int64_t end = static_cast<std::int64_t>(run.trials) * run.spacing_us + max_t +
                           run.cluster.write_timeout_us + 2 * run.cluster.read_timeout_us;
  c.run_until(end);
  std::vector<PbsPoint> out;
  for (std::int64_t t : run.ts_us) out.push_back(PbsPoint{t, 0, 0, 0});
  for (const OpRecord& rec : c.ops()) {
    if (rec.probe_of == 0) continue;
    auto it = std::find(run.ts_us.begin(), run.ts_us.end(), rec.probe_delay_us);
    PbsPoint& p = out[static_cast<std::size_t>(it - run.ts_us.begin())];
    if (rec.outcome != Outcome::kOk) {
      ++p.failed;
      continue;
    }
    ++p.trials;
    if (rec.version.at_least(c.op(rec.probe_of).version)) ++p.consistent;
  }
  return out;
}

std::vector<PbsPoint> wars_t_visibility(std::uint32_t n, std::uint32_t r, std::uint32_t w, const WarsLegs& legs,
                                        const std::vector<std::int64_t>& ts_us, std::uint32_t trials,
                                        std::uint64_t seed) {
  if (n == 0 || r == 0 || w == 0 || r > n || w > n) std::abort();
  Rng rng(seed);
  std::vector<PbsPoint> out;
  for (std::int64_t t : ts_us) out.push_back(PbsPoint{t, 0, 0, 0});
  std::vector<std::int64_t> wl(n), al(n), rl(n), sl(n), commit(n);
  std::vector<std::uint32_t> order(n);
  for (std::uint32_t trial = 0; trial < trials; ++trial) {
    for (std::uint32_t i = 0; i < n; ++i) {
      wl[i] = net::sample_latency_us(legs.w, rng);
      al[i] = net::sample_latency_us(legs.a, rng);
      commit[i] = wl[i] + al[i];
    }
    std::vector<std::int64_t> sorted = commit;
    std::sort(sorted.begin(), sorted.end());
    const std::int64_t committed = sorted[w - 1];
    for (PbsPoint& p : out) {
      for (std::uint32_t i = 0; i < n; ++i) {
        rl[i] = net::sample_latency_us(legs.r, rng);
        sl[i] = net::sample_latency_us(legs.s, rng);
      }
      std::iota(order.begin(), order.end(), 0u);
      // First R replies; ties by when the read reached the replica, then contact order.
      std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        const std::int64_t ax = rl[x] + sl[x], ay = rl[y] + sl[y];
        if (ax != ay) return ax < ay;
        if (rl[x] != rl[y]) return rl[x] < rl[y];
        return x < y;
      });
      bool fresh = false;
      for (std::uint32_t j = 0; j < r; ++j) {
        const std::uint32_t i = order[j];
        if (wl[i] <= committed + p.t_us + rl[i]) fresh = true;
      }
      ++p.trials;
      if (fresh) ++p.consistent;
    }
  }
  return out;
}

}  // namespace scalebook::sim::quorum
