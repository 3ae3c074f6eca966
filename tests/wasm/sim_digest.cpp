// sim_digest — one FNV-1a digest line per fixed scenario: every RNG
// distribution and a rate-limiter run per algorithm. Built twice from this one
// source: to Wasm (run under node) and natively (by compare_digest.cmake at
// test time); the ctest `sim_digest_native_vs_wasm` requires identical output.
#include <cstdio>
#include <string>

#include "sim/core/digest.h"
#include "sim/core/rng.h"
#include "sim/ratelimit/runner.h"
#include "sim/ratelimit/traffic.h"

namespace sim = scalebook::sim;
namespace rl = scalebook::sim::ratelimit;

namespace {

constexpr int kDraws = 200000;

void line(const char* name, const sim::TraceDigest& d, std::uint64_t n) {
  std::printf("%s %s n=%llu\n", name, d.hex().c_str(), static_cast<unsigned long long>(n));
}

template <typename Draw>
void distribution(const char* name, std::uint64_t seed, Draw draw) {
  sim::Rng rng(seed);
  sim::TraceDigest d;
  for (int i = 0; i < kDraws; ++i) d.add_double(draw(rng));
  line(name, d, kDraws);
}

}  // namespace

int main() {
  distribution("uniform01", 1, [](sim::Rng& r) { return r.uniform01(); });
  distribution("uniform_int", 2, [](sim::Rng& r) { return static_cast<double>(r.uniform_int(1000003)); });
  distribution("exponential", 3, [](sim::Rng& r) { return r.exponential(3.7); });
  distribution("normal", 4, [](sim::Rng& r) { return r.normal(10.0, 2.5); });
  distribution("power_law", 5, [](sim::Rng& r) { return r.power_law(1.0, 2.3); });
  {
    const sim::Zipf zipf(10000, 1.1);
    distribution("zipf", 6, [&](sim::Rng& r) { return static_cast<double>(zipf.sample(r)); });
  }
  {
    sim::TraceDigest d;
    for (double x = 1e-300; x < 1e300; x *= 1.37) {
      d.add_double(sim::plog(x));
      d.add_double(sim::pexp(sim::plog(x) / 700.0));
    }
    line("portable_math", d, 1);
  }
  // Rate limiters: Zipf clients on Poisson arrivals, every algorithm.
  rl::TrafficDesc t;
  t.pattern = rl::Pattern::ZipfClients;
  t.clients = 50;
  t.load_per_s = 400;
  t.duration_us = 30000000;
  t.seed = 7;
  const auto requests = rl::generate_traffic(t);
  {
    sim::TraceDigest d;
    for (const auto& r : requests) {
      d.add_i64(r.time_us);
      d.add_u64(r.client);
    }
    line("traffic", d, requests.size());
  }
  for (auto name : rl::algorithm_names()) {
    rl::LimiterConfig c;
    c.algorithm = *rl::algorithm_from_name(name);
    c.rate = {7, 1};
    c.burst = 3;
    c.capacity = 5;
    c.max_clients = 20;
    const auto run = rl::run_limiter(c, requests);
    sim::TraceDigest d;
    for (const auto& x : run.decisions) {
      d.add_byte(static_cast<std::uint8_t>(x.verdict));
      d.add_i64(x.delay_us);
    }
    d.add_u64(run.summary.evictions);
    d.add_double(run.summary.counter_error_mean_abs);
    const std::string label = "ratelimit_" + std::string(name);
    line(label.c_str(), d, run.decisions.size());
  }
  return 0;
}
