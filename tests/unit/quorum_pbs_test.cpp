// quorum_pbs_test.cpp — PBS t-visibility on the model against Bailis's WARS equations and closed
// forms; k-staleness against enumeration.
//
// Sample sizes and tolerances: every Monte Carlo estimate compared with a tolerance uses 20,000
// trials (probe reads) per t (the exact strict-quorum and determinism checks use fewer). Against a closed form p the test allows |p_hat - p| <= 4·sqrt(p(1-p)/n) + 0.003 (the
// 0.003 covers rounding latencies to whole microseconds); between two independent estimates
// 4·sqrt(se1² + se2²) + 0.002. At n = 20,000 one standard error is at most 0.0035.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <iostream>
#include <vector>

#include "sim/quorum/pbs.h"

namespace scalebook::sim::quorum {
namespace {

constexpr std::int64_t kMs = 1000;
constexpr std::uint32_t kTrials = 20'000;
const std::vector<std::int64_t> kTs = {0, 1 * kMs, 5 * kMs, 10 * kMs};

// Closed-form legs: W ~ Exp(mean 2 ms), A = R = S = 0.5 ms constant.
WarsLegs closed_form_legs() {
  WarsLegs l;
  l.w = net::Latency::exponential(0, 2 * kMs);
  l.a = net::Latency::constant(500);
  l.r = net::Latency::constant(500);
  l.s = net::Latency::constant(500);
  return l;
}

// Every leg exponential with a 1 ms mean (the shape of Bailis's fits, not their numbers).
WarsLegs exponential_legs() {
  WarsLegs l;
  l.w = net::Latency::exponential(0, 1 * kMs);
  l.a = net::Latency::exponential(0, 1 * kMs);
  l.r = net::Latency::exponential(0, 1 * kMs);
  l.s = net::Latency::exponential(0, 1 * kMs);
  return l;
}

PbsRunDesc run_desc(std::uint32_t n, std::uint32_t r, std::uint32_t w, const WarsLegs& legs, std::uint64_t seed = 1) {
  PbsRunDesc run;
  run.cluster.nodes = 5;
  run.cluster.n = n;
  run.cluster.r = r;
  run.cluster.w = w;
  run.cluster.seed = seed;
  run.cluster.use_wars_legs = true;
  run.cluster.wars = legs;
  run.ts_us = kTs;
  run.trials = kTrials;
  return run;
}

double tol_closed(double p, std::uint64_t n) { return 4.0 * std::sqrt(p * (1 - p) / static_cast<double>(n)) + 0.003; }
double sigma_pair(const PbsPoint& a, const PbsPoint& b) {
  return std::sqrt(a.std_error() * a.std_error() + b.std_error() * b.std_error());
}
double tol_pair(const PbsPoint& a, const PbsPoint& b) { return 4.0 * sigma_pair(a, b) + 0.002; }

TEST(QuorumPbs, StrictQuorumsAreAlwaysConsistentWithoutFaults) {
  for (auto [r, w] : {std::pair<std::uint32_t, std::uint32_t>{2, 2}, {1, 3}, {3, 1}}) {
    PbsRunDesc run = run_desc(3, r, w, exponential_legs());
    run.trials = 5'000;
    for (const PbsPoint& p : measure_t_visibility(run)) {
      EXPECT_EQ(p.failed, 0u);
      EXPECT_EQ(p.trials, 5'000u);
      EXPECT_EQ(p.consistent, p.trials) << "R=" << r << " W=" << w << " t=" << p.t_us;
    }
  }
}

TEST(QuorumPbs, ModelMatchesTheR1W1ClosedForm) {
  const WarsLegs legs = closed_form_legs();
  const auto pts = measure_t_visibility(run_desc(3, 1, 1, legs));
  for (const PbsPoint& p : pts) {
    const double expect = t_visibility_r1w1_exponential(3, p.t_us, legs);
    ASSERT_EQ(p.trials, kTrials);
    EXPECT_NEAR(p.p_consistent(), expect, tol_closed(expect, p.trials)) << "t=" << p.t_us;
  }
}

TEST(QuorumPbs, ClosedFormAgreesWithTheWarsOracleForOtherN) {
  const WarsLegs legs = closed_form_legs();
  for (std::uint32_t n : {1u, 2u, 5u}) {
    for (const PbsPoint& p : wars_t_visibility(n, 1, 1, legs, kTs, kTrials, 11 + n)) {
      const double expect = t_visibility_r1w1_exponential(n, p.t_us, legs);
      EXPECT_NEAR(p.p_consistent(), expect, tol_closed(expect, p.trials)) << "N=" << n << " t=" << p.t_us;
    }
  }
}

TEST(QuorumPbs, ModelMatchesTheWarsOracleWithExponentialLegs) {
  const WarsLegs legs = exponential_legs();
  for (auto [r, w] : {std::pair<std::uint32_t, std::uint32_t>{1, 1}, {1, 2}, {2, 1}}) {
    const auto model = measure_t_visibility(run_desc(3, r, w, legs, 3));
    const auto oracle = wars_t_visibility(3, r, w, legs, kTs, kTrials, 99);
    for (std::size_t i = 0; i < kTs.size(); ++i) {
      EXPECT_NEAR(model[i].p_consistent(), oracle[i].p_consistent(), tol_pair(model[i], oracle[i]))
          << "R=" << r << " W=" << w << " t=" << kTs[i];
    }
  }
}

TEST(QuorumPbs, ConsistencyIsMonotoneInT) {
  const std::vector<std::int64_t> ts = {0, 500, 1000, 2000, 3000, 5000, 7500, 10000, 20000};
  PbsRunDesc run = run_desc(3, 1, 1, exponential_legs(), 4);
  run.ts_us = ts;
  const auto pts = measure_t_visibility(run);
  for (std::size_t i = 1; i < pts.size(); ++i) {
    // Each t is its own sample: allow 3 standard errors of the difference.
    EXPECT_GE(pts[i].p_consistent(), pts[i - 1].p_consistent() - 3.0 * sigma_pair(pts[i], pts[i - 1]))
        << "t=" << ts[i];
  }
  EXPECT_GT(pts.back().p_consistent(), pts.front().p_consistent() + 0.2);
  EXPECT_GT(pts.back().p_consistent(), 0.999);
  // The closed form itself is strictly increasing in t.
  for (std::int64_t t = 0; t < 20 * kMs; t += 250) {
    EXPECT_LT(t_visibility_r1w1_exponential(3, t, closed_form_legs()),
              t_visibility_r1w1_exponential(3, t + 250, closed_form_legs()));
  }
}

TEST(QuorumPbs, LargerQuorumsAreFresherAtTZero) {
  const WarsLegs legs = exponential_legs();
  PbsRunDesc r1w1 = run_desc(3, 1, 1, legs), r1w2 = run_desc(3, 1, 2, legs);
  r1w1.ts_us = r1w2.ts_us = {0};
  const double p11 = measure_t_visibility(r1w1)[0].p_consistent();
  const double p12 = measure_t_visibility(r1w2)[0].p_consistent();
  EXPECT_GT(p12, p11 + 0.05);
}

TEST(QuorumPbs, KStalenessClosedFormMatchesEnumeration) {
  // Enumerate every R-subset against a fixed W-subset {0..W-1} of N replicas.
  for (std::uint32_t n = 1; n <= 7; ++n) {
    for (std::uint32_t r = 1; r <= n; ++r) {
      for (std::uint32_t w = 1; w <= n; ++w) {
        std::uint64_t miss = 0, total = 0;
        for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
          if (static_cast<std::uint32_t>(__builtin_popcount(mask)) != r) continue;
          ++total;
          if ((mask & ((1u << w) - 1)) == 0) ++miss;
        }
        const double enumerated = static_cast<double>(miss) / static_cast<double>(total);
        EXPECT_NEAR(nonintersection_probability(n, r, w), enumerated, 1e-12) << n << r << w;
        if (r + w > n) {
          EXPECT_EQ(nonintersection_probability(n, r, w), 0.0);
        }
      }
    }
  }
  // Bailis et al.'s example: N = 3, R = W = 1 misses with probability 2/3.
  EXPECT_NEAR(nonintersection_probability(3, 1, 1), 2.0 / 3.0, 1e-12);
}

TEST(QuorumPbs, KStalenessRisesWithK) {
  double prev = 0.0;
  for (std::uint32_t k = 1; k <= 10; ++k) {
    const double p = k_staleness_consistent(3, 1, 1, k);
    EXPECT_GT(p, prev);
    prev = p;
  }
  EXPECT_NEAR(k_staleness_consistent(3, 1, 1, 1), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(k_staleness_consistent(3, 1, 1, 3), 1.0 - 8.0 / 27.0, 1e-12);
  EXPECT_EQ(k_staleness_consistent(3, 2, 2, 1), 1.0);
}

TEST(QuorumPbs, SameSeedSameEstimate) {
  PbsRunDesc run = run_desc(3, 1, 1, exponential_legs(), 17);
  run.trials = 2'000;
  const auto a = measure_t_visibility(run), b = measure_t_visibility(run);
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].consistent, b[i].consistent);
  const auto o1 = wars_t_visibility(3, 1, 1, exponential_legs(), kTs, 2'000, 5);
  const auto o2 = wars_t_visibility(3, 1, 1, exponential_legs(), kTs, 2'000, 5);
  for (std::size_t i = 0; i < o1.size(); ++i) EXPECT_EQ(o1[i].consistent, o2[i].consistent);
}

TEST(QuorumPbs, GoldenEstimateIsTheSameOnEveryPlatform) {
  // Recorded natively and checked identical under Emscripten/node (libc++).
  PbsRunDesc run = run_desc(3, 1, 1, exponential_legs(), 1);
  run.trials = 5'000;
  const auto pts = measure_t_visibility(run);
  const std::uint64_t golden[] = {3773, 4544, 4987, 5000};
  for (std::size_t i = 0; i < pts.size(); ++i) EXPECT_EQ(pts[i].consistent, golden[i]) << kTs[i];
}

TEST(QuorumPbs, ReportTheBookFigures) {
  // Not an assertion of new facts: prints the measured figures for the book and checks the
  // stale probability falls with t.
  struct Case { const char* name; WarsLegs legs; };
  for (const Case& cs : {Case{"W~Exp(2ms), A=R=S=0.5ms", closed_form_legs()},
                         Case{"W,A,R,S~Exp(1ms)", exponential_legs()}}) {
    const auto pts = measure_t_visibility(run_desc(3, 1, 1, cs.legs, 21));
    std::cout << "[pbs] N=3 R=1 W=1 " << cs.name << " (" << kTrials << " trials/t):";
    double prev = 1.0;
    for (const PbsPoint& p : pts) {
      std::cout << " t=" << p.t_us / kMs << "ms stale=" << p.p_stale() << "±" << p.std_error();
      EXPECT_LE(p.p_stale(), prev + 0.01);
      prev = p.p_stale();
    }
    std::cout << "\n";
  }
}

}  // namespace
}  // namespace scalebook::sim::quorum
