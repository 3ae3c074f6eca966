// traffic.h — request streams to feed the limiters.
//
// Models (all deterministic functions of the Desc, seed included):
//  - Steady: one request every 1/load s (times floor'ed to µs).
//  - Poisson: exponential gaps with mean 1/load s.
//  - OnOff: Poisson at 2·load during "on" halves of each `period_us`, silent
//    during "off" halves (same average load, bursty).
//  - Spike: steady at `load`, plus one spike of `spike_count` requests spread
//    evenly over 10 ms starting at duration/3.
//  - Boundary: the fixed-window attack: `spike_count` requests in the last
//    `spike_count` µs before each boundary k·window (k odd) and `spike_count`
//    in the first µs after it (one µs apart), so a window counter of limit
//    spike_count admits 2× its limit within 2·spike_count µs.
//  - ZipfClients: Poisson at `load` overall; each request's client is drawn from
//    Zipf(clients, skew): a few heavy clients and a long tail (noisy neighbours).
// For every pattern but ZipfClients, clients > 1 assigns each request a client
// uniformly at random. Times are non-decreasing, in [0, duration_us).
// Does NOT model: request sizes, retries after rejection (open loop: rejected
// clients do not back off or retry), diurnal patterns.
#pragma once
#include <cstdint>
#include <vector>

namespace scalebook::sim::ratelimit {

enum class Pattern { Steady, Poisson, OnOff, Spike, Boundary, ZipfClients };

struct Request {
  std::int64_t time_us;
  std::uint32_t client;
};

struct TrafficDesc {
  Pattern pattern = Pattern::Poisson;
  double load_per_s = 15.0;
  std::int64_t duration_us = 10000000;
  std::uint32_t clients = 1;
  double skew = 1.0;               // Zipf exponent
  std::int64_t period_us = 2000000;  // OnOff cycle
  std::int64_t window_us = 1000000;  // Boundary
  std::int64_t spike_count = 10;     // Spike / Boundary
  std::uint64_t seed = 1;
  std::size_t max_requests = 1000000;  // hard cap (bounded memory)
};

std::vector<Request> generate_traffic(const TrafficDesc& d);

}  // namespace scalebook::sim::ratelimit
