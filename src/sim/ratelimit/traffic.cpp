#include "sim/ratelimit/traffic.h"

#include <algorithm>

#include "sim/core/rng.h"

namespace scalebook::sim::ratelimit {

namespace {

void add(std::vector<Request>& out, const TrafficDesc& d, std::int64_t t, Rng& client_rng) {
  if (out.size() >= d.max_requests || t < 0 || t >= d.duration_us) return;
  const std::uint32_t c = d.clients > 1 ? static_cast<std::uint32_t>(client_rng.uniform_int(d.clients)) : 0;
  out.push_back(Request{t, c});
}

void poisson(std::vector<Request>& out, const TrafficDesc& d, double load, std::int64_t from, std::int64_t to, Rng& gaps,
             Rng& clients) {
  if (load <= 0) return;
  const double mean_us = 1e6 / load;
  double t = static_cast<double>(from);
  for (;;) {
    t += gaps.exponential(mean_us);
    const auto ti = static_cast<std::int64_t>(t);
    if (ti >= to || out.size() >= d.max_requests) return;
    add(out, d, ti, clients);
  }
}

}  // namespace

std::vector<Request> generate_traffic(const TrafficDesc& d) {
  std::vector<Request> out;
  Rng root(d.seed);
  Rng gaps = root.split(1), clients = root.split(2);
  const double interval_us = d.load_per_s > 0 ? 1e6 / d.load_per_s : 0;
  switch (d.pattern) {
    case Pattern::Steady:
      if (interval_us > 0)
        for (std::int64_t k = 0;; ++k) {
          const auto t = static_cast<std::int64_t>(static_cast<double>(k) * interval_us);
          if (t >= d.duration_us || out.size() >= d.max_requests) break;
          add(out, d, t, clients);
        }
      break;
    case Pattern::Poisson:
      poisson(out, d, d.load_per_s, 0, d.duration_us, gaps, clients);
      break;
    case Pattern::OnOff: {
      const std::int64_t half = d.period_us / 2 > 0 ? d.period_us / 2 : 1;
      for (std::int64_t start = 0; start < d.duration_us; start += 2 * half)
        poisson(out, d, 2 * d.load_per_s, start, std::min(start + half, d.duration_us), gaps, clients);
      break;
    }
    case Pattern::Spike: {
      TrafficDesc steady = d;
      steady.pattern = Pattern::Steady;
      std::vector<Request> base = generate_traffic(steady);
      const std::int64_t at = d.duration_us / 3;
      std::vector<Request> spike;
      for (std::int64_t i = 0; i < d.spike_count; ++i) add(spike, d, at + i * 10000 / std::max<std::int64_t>(1, d.spike_count), clients);
      out.resize(base.size() + spike.size());
      std::merge(base.begin(), base.end(), spike.begin(), spike.end(), out.begin(),
                 [](const Request& a, const Request& b) { return a.time_us < b.time_us; });
      if (out.size() > d.max_requests) out.resize(d.max_requests);
      break;
    }
    case Pattern::Boundary:
      for (std::int64_t b = d.window_us; b < d.duration_us; b += 2 * d.window_us) {
        for (std::int64_t i = d.spike_count; i >= 1; --i) add(out, d, b - i, clients);
        for (std::int64_t i = 0; i < d.spike_count; ++i) add(out, d, b + i, clients);
      }
      break;
    case Pattern::ZipfClients: {
      const Zipf zipf(d.clients > 0 ? d.clients : 1, d.skew);
      TrafficDesc one = d;
      one.clients = 1;
      poisson(out, one, d.load_per_s, 0, d.duration_us, gaps, clients);
      for (auto& r : out) r.client = static_cast<std::uint32_t>(zipf.sample(clients));
      break;
    }
  }
  return out;
}

}  // namespace scalebook::sim::ratelimit
