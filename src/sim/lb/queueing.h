// queueing.h — a discrete-event queueing core: clients, retries, servers with
// c workers and a FIFO queue each, latency in bounded memory.
//
// [SECTION] index: Desc structs · Result · QueueingSim
//
// Models:
//  - Arrivals of logical requests: Poisson (exponential gaps), bursty (a two-state
//    Markov-modulated Poisson process: bursts at burst_rate_factor × the mean rate
//    for burst_fraction of the time, the rest at the rate that keeps the mean), or a
//    trace of arrival times.
//  - Service times: exponential, deterministic, log-normal (given mean and σ of the
//    log), bimodal (mean_us, except slow_fraction of requests take slow_us).
//    A server with speed s serves in time/s; it fails an attempt with probability
//    error_fraction (the error is known when service ends).
//  - Each server: `workers` identical workers fed from one FIFO queue, optionally
//    bounded (queue_limit waiting attempts; an attempt arriving at a full queue is
//    rejected at once). Several servers: a dispatcher sends each attempt to one of
//    them (round robin, random, fewest outstanding, or power of two choices).
//    One server with c workers is the pooled M/M/c; c servers with one worker
//    each are c separate queues.
//  - Clients: an attempt that has not completed timeout_us after it was sent is
//    abandoned by the client; the server does not know and still serves it
//    (wasted work: this is how a retry storm feeds itself) unless
//    server_drops_expired, in which case a server discards an expired attempt
//    when it reaches the head of the queue. A timed-out, rejected or failed
//    attempt is retried after retry_backoff_us (× retry_backoff_multiplier per
//    earlier retry) while retries remain; then the request fails.
//  - Latency of a logical request = completion of its successful attempt − its
//    first arrival, in a LogHistogram (sim/core/metrics.h: fixed ~9 KB, quantiles
//    within 1/64 relative error), plus its exact mean and optional batch means.
// Time: integer microseconds (sim/core/virtual_time.h); every sampled duration is
// rounded to the nearest µs, so keep means ≫ 1 µs (the tests use 10 ms).
// Invariants: deterministic for a seed (sim/core/rng.h, no std distributions);
// the run ends when every request has finished (arrivals stop after `requests`,
// the system drains), so Little's law holds exactly over the run:
// ∫N(t)dt (area_us2, integrated at every event) equals Σ per-attempt time in
// system (sojourn_sum_us, summed per attempt) — two independent tallies.
// Memory: O(attempts in the system) plus fixed histograms; batch means add one
// double per batch.
// Not modelled: network delay between client and server, processor sharing or
// priority disciplines (FIFO only), server-side cancellation of in-service work,
// connection limits, the balancer's own cost. Pickers from real balancers
// (nginx.h, envoy.h) are separate models; the dispatcher here is generic.
#pragma once
#include <cstdint>
#include <vector>

#include "sim/core/metrics.h"
#include "sim/core/rng.h"

namespace scalebook::sim::lb {

enum class ArrivalKind : std::uint8_t { kPoisson, kBursty, kTrace };
enum class ServiceKind : std::uint8_t { kExponential, kDeterministic, kLogNormal, kBimodal };
enum class Dispatch : std::uint8_t { kRoundRobin, kRandom, kLeastOutstanding, kPowerOfTwoChoices };

struct ArrivalDesc {
  ArrivalKind kind = ArrivalKind::kPoisson;
  double rate_per_s = 0.0;           // mean rate λ; 0 → 900 (ρ = 0.9 for the default service)
  double burst_rate_factor = 0.0;    // bursty: rate in a burst / mean rate; 0 → 4
  double burst_fraction = 0.0;       // bursty: share of time in bursts; 0 → 0.1 (factor·fraction ≤ 1)
  std::int64_t burst_mean_us = 0;    // bursty: mean burst length; 0 → 50 ms
  std::vector<std::int64_t> trace_us;  // trace: non-decreasing arrival times (requests = its size)
};

struct ServiceDesc {
  ServiceKind kind = ServiceKind::kExponential;
  double mean_us = 0.0;        // mean (bimodal: the common, fast time); 0 → 1000
  double log_sigma = 0.0;      // log-normal: σ of ln(time); 0 → 1
  double slow_fraction = 0.0;  // bimodal: share of slow requests; 0 → 0.01
  double slow_us = 0.0;        // bimodal: the slow time; 0 → 1 s
};

struct ServerDesc {
  int workers = 0;              // 0 → 1
  double speed = 0.0;           // service time is divided by it; 0 → 1
  double error_fraction = 0.0;  // share of attempts that end in an error
  std::int64_t queue_limit = 0; // waiting attempts allowed; 0 → unbounded
};

struct ClientDesc {
  std::int64_t timeout_us = 0;        // per attempt; 0 → none
  int max_retries = 0;                // retries after the first attempt
  std::int64_t retry_backoff_us = 0;  // delay before the first retry
  double retry_backoff_multiplier = 0.0;  // 0 → 1 (constant backoff)
  bool server_drops_expired = false;  // servers discard attempts past their timeout at dequeue
};

struct QueueingDesc {
  ArrivalDesc arrivals;
  ServiceDesc service;
  std::vector<ServerDesc> servers;  // empty → one server with default ServerDesc
  Dispatch dispatch = Dispatch::kRoundRobin;
  ClientDesc client;
  std::uint64_t requests = 0;         // logical requests to generate; 0 → 100000
  std::uint64_t warmup_requests = 0;  // the first ones are excluded from latency statistics
  std::uint64_t batch_size = 0;       // > 0: record the mean latency of each batch of that many
  std::uint64_t seed = 1;
};

struct ServerStats {
  std::uint64_t completed = 0;     // attempts served (successfully or with an error)
  std::uint64_t errors = 0;
  std::uint64_t rejected = 0;      // queue full
  std::uint64_t dropped_expired = 0;
  std::int64_t busy_us = 0;        // worker-time spent serving
  std::uint64_t max_queue = 0;     // longest wait queue seen
};

struct QueueingResult {
  std::uint64_t requests = 0;       // logical requests generated
  std::uint64_t succeeded = 0;
  std::uint64_t failed = 0;         // ran out of retries
  std::uint64_t attempts = 0;       // attempts sent (first tries + retries)
  std::uint64_t retries = 0;
  std::uint64_t timed_out = 0;      // attempts the client abandoned
  std::int64_t wasted_work_us = 0;  // service spent on abandoned attempts
  LogHistogram latency_us;          // successful requests after warm-up
  double mean_latency_us = 0.0;     // exact mean of the same requests
  std::vector<double> batch_means_us;
  std::vector<ServerStats> servers;
  // Little's law over the whole run [0, end_us]: L = area/end, λ = admitted/end, W = sojourn/admitted.
  std::int64_t end_us = 0;
  std::int64_t area_us2 = 0;        // ∫ (attempts in the system) dt
  std::int64_t sojourn_sum_us = 0;  // Σ (leave − enter) over admitted attempts
  std::uint64_t admitted = 0;       // attempts that entered a server (not rejected)
  double mean_in_system() const { return end_us ? static_cast<double>(area_us2) / end_us : 0.0; }
  double admitted_per_us() const { return end_us ? static_cast<double>(admitted) / end_us : 0.0; }
  double mean_sojourn_us() const { return admitted ? static_cast<double>(sojourn_sum_us) / admitted : 0.0; }
  double utilisation(std::size_t server, int workers) const;
};

// Mean of the service-time distribution as configured (defaults applied).
double service_mean_us(const ServiceDesc& service);
// One draw from it (the same sampler the core uses), in µs before rounding.
double sample_service_us(const ServiceDesc& service, Rng& rng);

QueueingResult run_queueing(const QueueingDesc& desc);

// Batch-means confidence half-width: t_{1−α/2, k−1} · s / √k over the batch means,
// with t for a two-sided 99 % interval (table for k−1 ≤ 30, normal beyond).
double batch_means_half_width_99(const std::vector<double>& batch_means);
double mean_of(const std::vector<double>& values);

}  // namespace scalebook::sim::lb
