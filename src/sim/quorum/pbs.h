// pbs.h — Probabilistically Bounded Staleness (Bailis et al., VLDB 2012) for the quorum model.
//
// Definitions (the paper's, as recalled: its full text was not in this session's store; see the
// note in cluster.h):
//  * t-visibility: the probability that a read starting t after a write commits (its W-th ack
//    reached the coordinator), with no other write to the key, returns that write (or newer).
//  * k-staleness: the probability that a read returns a value at most k versions old. For
//    partial quorums whose W and R replicas are chosen uniformly at random and writes that
//    reach exactly W replicas (no propagation afterwards), a read quorum misses the write
//    quorum with probability p_s = C(N-W, R) / C(N, R), so P(within k versions) = 1 - p_s^k.
//  * WARS: a write goes to all N replicas; leg W_i carries it to replica i, A_i carries the ack
//    back; the write commits at the W-th smallest W_i + A_i. A read sent to all N at commit + t
//    reaches replica i after R_i and its reply returns after S_i; it answers from the first R
//    replies, and replica i's reply has the write iff W_i <= commit + t + R_i.
//
// Models here:
//  * measure_t_visibility: Monte Carlo ON THE MODEL (cluster.h): `trials` writes, each on its own
//    key (independent trials: the model has no queueing, so keys never interact), each followed
//    by one probe read per t, from a fixed coordinator (by default one that is not a replica of
//    the key, so every leg is a network hop as in WARS). Read repair should be off (probes then
//    change nothing, so the reads of one write at several t are each a fair sample).
//  * wars_t_visibility: Bailis's WARS Monte Carlo written directly from the equations above, with
//    no network: an independent oracle for the model with use_wars_legs and kAllReplicas.
//  * Closed forms: nonintersection_probability / k_staleness_consistent (above); and for
//    R = W = 1 with an exponential W leg (floor f, mean m) and constant A = a, R = r legs:
//      P(consistent at t) = 1 - (1 - 1/N) · exp(-(t + a + r) / m)        (t + a + r >= 0)
//    because the read's first reply comes from a replica fixed independently of the W legs
//    (constant R + S legs tie; the tie goes to the first contact), which is the first to get
//    the write with probability 1/N and otherwise, by memorylessness, gets it Exp(m) after the
//    first one did (floors cancel). R + W > N gives exactly 1 for every t >= 0 without faults.
// Not modelled: Bailis's production latency fits (LNKD-SSD etc.); use your own legs.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/rng.h"
#include "sim/quorum/cluster.h"

namespace scalebook::sim::quorum {

struct PbsPoint {
  std::int64_t t_us = 0;
  std::uint64_t trials = 0;      // probe reads that completed
  std::uint64_t consistent = 0;  // of which returned the probed write or newer
  std::uint64_t failed = 0;      // probe reads that did not complete (timeouts, unavailable)
  double p_consistent() const { return trials == 0 ? 0.0 : static_cast<double>(consistent) / static_cast<double>(trials); }
  double p_stale() const { return trials == 0 ? 0.0 : 1.0 - p_consistent(); }
  double std_error() const;  // binomial: sqrt(p (1 - p) / trials)
};

double binomial(std::uint32_t n, std::uint32_t k);
double nonintersection_probability(std::uint32_t n, std::uint32_t r, std::uint32_t w);
double k_staleness_consistent(std::uint32_t n, std::uint32_t r, std::uint32_t w, std::uint32_t k);
// R = W = 1 closed form (see above); w_leg must be Exponential, a and r legs Constant.
double t_visibility_r1w1_exponential(std::uint32_t n, std::int64_t t_us, const WarsLegs& legs);

struct PbsRunDesc {
  ClusterDesc cluster;                    // n, r, w, legs, faults options; read_repair should be kNone
  std::vector<std::int64_t> ts_us = {0, 1000, 5000, 10000};
  std::uint32_t trials = 10000;
  std::int64_t spacing_us = 20'000;       // between trial writes
  NodeId coordinator = 0;
  bool coordinator_outside_replicas = true;  // skip keys the coordinator replicates
};

std::vector<PbsPoint> measure_t_visibility(const PbsRunDesc& run);

std::vector<PbsPoint> wars_t_visibility(std::uint32_t n, std::uint32_t r, std::uint32_t w, const WarsLegs& legs,
                                        const std::vector<std::int64_t>& ts_us, std::uint32_t trials,
                                        std::uint64_t seed);

}  // namespace scalebook::sim::quorum
