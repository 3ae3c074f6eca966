// sim_digest — one FNV-1a digest line per fixed scenario: every RNG
// distribution, a rate-limiter run per algorithm, the network kernel under three
// latency kinds with loss and a partition, and every catalog widget that has a
// Scenario at its defaults, at each of its presets and (with actions) replayed from a
// log. Built twice from this one source: to Wasm (run under node) and natively (by
// compare_digest.cmake at test time); the ctest `sim_digest_native_vs_wasm` requires
// identical output.
#include <cstdio>
#include <string>

#include "sim/core/digest.h"
#include "sim/core/rng.h"
#include "sim/ratelimit/runner.h"
#include "sim/ratelimit/traffic.h"
#include "sim/net/network.h"
#include "widgets/catalog.h"
#include "widgets/params.h"
#include "widgets/run.h"

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
  // The network kernel: messages, timers, loss, a partition, per-node random streams.
  namespace net = scalebook::sim::net;
  const char* kinds[] = {"net_uniform", "net_log_normal", "net_exponential"};
  int k = 0;
  for (auto lat : {net::Latency::uniform(100, 5000), net::Latency::log_normal(200, 1000, 0.9, 50'000),
                   net::Latency::exponential(50, 2000)}) {
    net::Network<int> n({.nodes = 7, .seed = 99, .default_link = {lat, 0.1}, .fifo_links = false});
    for (net::NodeId s = 0; s < 7; ++s) {
      n.send(s, (s + 3) % 7, 30);
      n.set_timer(s, 1000 * s, s);
    }
    n.run_until(200'000, [&](const net::Event<int>& e) {
      if (e.kind == net::EventKind::Timer) {
        n.broadcast(e.node, 2);
        if (e.node == 3) n.isolate({3, 4});
      } else if (e.msg > 0) {
        n.send(e.node, static_cast<net::NodeId>(n.rng(e.node).uniform_int(7)), e.msg - 1);
      }
    });
    line(kinds[k++], n.digest(), n.stats().delivered);
  }
  // Every widget with a Scenario: defaults and each preset, 5 simulated seconds; and a
  // run with actions (each action's default arguments at 1 s and 2 s) replayed from its log.
  namespace sw = scalebook::widgets;
  for (const auto& info : sw::catalog()) {
    if (!info.make_scenario) continue;
    auto digest_of = [&info](const sw::ParamMap& params, std::vector<sw::Action> actions) {
      sw::Run run(info, info.make_scenario());
      run.configure(params, 11, std::move(actions));
      run.seek(5'000'000);
      return run.digest();
    };
    auto out = [](const std::string& label, const std::string& hex) { std::printf("%s %s n=1\n", label.c_str(), hex.c_str()); };
    const std::string name(info.name);
    out("widget_" + name + "_defaults", digest_of(sw::default_params(info), {}));
    for (const auto& pr : info.presets)
      out("widget_" + name + "_preset_" + std::string(pr.id), digest_of(sw::preset_params(info, pr), {}));
    if (!info.actions.empty()) {
      std::vector<sw::Action> log;
      for (std::int64_t t : {1'000'000, 2'000'000}) {
        sw::Action a{t, std::string(info.actions.front().name), {}};
        if (sw::normalise_action(info, a).empty()) log.push_back(a);
      }
      out("widget_" + name + "_actions", digest_of(sw::default_params(info), log));
    }
  }
  return 0;
}
