// erlang.h — closed forms for the M/M/c queue (Erlang C), the yardstick the
// discrete-event queueing core (queueing.h) is tested against.
//
// Models: Poisson arrivals at rate λ, c identical servers each with exponential
// service at rate μ, one FIFO queue of unbounded length. Offered load a = λ/μ
// (in Erlangs), utilisation ρ = a/c (must be < 1 for a steady state).
//  - erlang_b(c, a): blocking probability of the loss system M/M/c/c, by the
//    stable recurrence B(0) = 1, B(k) = a·B(k−1) / (k + a·B(k−1)) (no factorials,
//    no overflow for large c).
//  - erlang_c(c, a): probability an arrival has to wait, C = B / (1 − ρ(1 − B)).
//  - mmc_mean_response_in_service_times(c, ρ): mean time in system W divided by
//    the mean service time 1/μ: W·μ = 1 + C / (c(1 − ρ)).
//    At ρ = 0.9: c = 1 → 10.0, 2 → 5.26, 4 → 2.97, 8 → 1.88, 16 → 1.37.
//  - mmc_mean_wait_in_service_times: the queueing delay alone, C / (c(1 − ρ)).
// Invariants: 0 ≤ B ≤ C ≤ 1; for c = 1, C = ρ and W·μ = 1/(1 − ρ).
// Not modelled: anything but M/M/c (no M/G/c approximations, no finite queues,
// no abandonment); ρ ≥ 1 returns +infinity for the response time.
#pragma once

namespace scalebook::sim::lb {

double erlang_b(int servers, double offered_load);
double erlang_c(int servers, double offered_load);
double mmc_mean_wait_in_service_times(int servers, double utilisation);
double mmc_mean_response_in_service_times(int servers, double utilisation);

}  // namespace scalebook::sim::lb
