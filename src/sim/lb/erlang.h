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
//  - mmc_response_survival(c, ρ, t): P(T > t) for the time in system T, t in service
//    times. An arrival waits with probability C, then for an exponential time of rate
//    θ = c(1 − ρ) (in units of μ); its service is exponential of rate 1, so
//    P(T > t) = (1 − C)·e^(−t) + C·(θ·e^(−t) − e^(−θt)) / (θ − 1)   (θ ≠ 1),
//    and C·(1 + t)·e^(−t) for the second term when θ = 1.
//    mmc_response_quantile(c, ρ, p): the t with P(T ≤ t) = p, by bisection to 1e-12.
//    For c = 1 it is −ln(1 − p) / (1 − ρ): at ρ = 0.9 the median is 6.93 service times
//    and p99 46.1.
// Invariants: 0 ≤ B ≤ C ≤ 1; for c = 1, C = ρ and W·μ = 1/(1 − ρ).
// Not modelled: anything but M/M/c (no M/G/c approximations, no finite queues,
// no abandonment); ρ ≥ 1 returns +infinity for the response time.
#pragma once

namespace scalebook::sim::lb {

double erlang_b(int servers, double offered_load);
double erlang_c(int servers, double offered_load);
double mmc_mean_wait_in_service_times(int servers, double utilisation);
double mmc_mean_response_in_service_times(int servers, double utilisation);
double mmc_response_survival(int servers, double utilisation, double t_in_service_times);
double mmc_response_quantile(int servers, double utilisation, double p);

}  // namespace scalebook::sim::lb
