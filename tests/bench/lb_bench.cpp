// Simulated requests per second through the queueing core (sim/lb/queueing.h), and
// picks per second for the real-balancer pickers (one core).
// Run: build/<dir>/tests/bench/bench_lb   (Release build for real figures)
// items_per_second = simulated requests (or picks) per second. Target: >= 5 M/s for
// the queueing core (M/M/1 at ρ = 0.9).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "sim/lb/envoy.h"
#include "sim/lb/nginx.h"
#include "sim/lb/queueing.h"

namespace {

using namespace scalebook::sim::lb;

constexpr std::uint64_t kRequests = 1 << 20;

void run(benchmark::State& state, QueueingDesc d) {
  d.requests = kRequests;
  for (auto _ : state) {
    auto r = run_queueing(d);
    benchmark::DoNotOptimize(r.area_us2);
    ++d.seed;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(kRequests));
}

QueueingDesc mmc(int workers, double rho) {
  QueueingDesc d;
  d.service.mean_us = 1000;
  d.arrivals.rate_per_s = rho * workers * 1000;
  d.servers = {ServerDesc{.workers = workers}};
  return d;
}

void BM_QueueingMM1(benchmark::State& s) { run(s, mmc(1, 0.9)); }
void BM_QueueingMM16(benchmark::State& s) { run(s, mmc(16, 0.9)); }
void BM_QueueingLogNormalBounded(benchmark::State& s) {
  QueueingDesc d = mmc(4, 0.9);
  d.service.kind = ServiceKind::kLogNormal;
  d.servers[0].queue_limit = 64;
  run(s, d);
}
void BM_QueueingFourServersTwoChoices(benchmark::State& s) {
  QueueingDesc d = mmc(1, 0.9);
  d.arrivals.rate_per_s *= 4;
  d.servers.assign(4, ServerDesc{.workers = 1});
  d.dispatch = Dispatch::kPowerOfTwoChoices;
  run(s, d);
}
void BM_QueueingRetryStorm(benchmark::State& s) {
  QueueingDesc d = mmc(1, 0.95);
  d.client.timeout_us = 5000;
  d.client.max_retries = 3;
  run(s, d);
}

void BM_NginxSwrrPick(benchmark::State& s) {
  std::vector<NginxServer> servers;
  for (int w : {5, 1, 1, 3, 2, 1, 4, 1}) servers.push_back(NginxServer{.name = "s", .weight = w});
  NginxUpstream u(servers, NginxMethod::kRoundRobin);
  for (auto _ : s) benchmark::DoNotOptimize(u.pick_and_release(0, 0));
  s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations()));
}

void BM_EnvoyMaglevBuild65537(benchmark::State& s) {
  std::vector<EnvoyHost> hosts(static_cast<std::size_t>(s.range(0)));
  for (std::size_t i = 0; i < hosts.size(); ++i) hosts[i].address = "10.0.0." + std::to_string(i) + ":80";
  for (auto _ : s) {
    EnvoyMaglev m(hosts);
    benchmark::DoNotOptimize(m.table().data());
  }
}

BENCHMARK(BM_QueueingMM1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueueingMM16)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueueingLogNormalBounded)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueueingFourServersTwoChoices)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_QueueingRetryStorm)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_NginxSwrrPick);
BENCHMARK(BM_EnvoyMaglevBuild65537)->Arg(8)->Arg(100)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
