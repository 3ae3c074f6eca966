// config.h — rate-limiter parameters (the schema's values) → model configs.
// UI-free and header-only: shared by the view and `scalebook sim rate-limiter`,
// so the widget and the command line build exactly the same experiment.
#pragma once
#include <cmath>
#include <string>
#include <vector>

#include "sim/core/virtual_time.h"
#include "sim/ratelimit/runner.h"
#include "sim/ratelimit/traffic.h"
#include "widgets/params.h"

namespace scalebook::widgets::rate_limiter_config {

namespace rl = sim::ratelimit;

struct Experiment {
  std::vector<rl::LimiterConfig> limiters;  // one per compared algorithm (>= 1)
  rl::TrafficDesc traffic;
};

struct ConfigError {
  std::string param;    // "" when fine
  std::string message;
};

// Fills `out` from validated schema values; returns the first cross-parameter problem.
inline ConfigError build(const ParamMap& p, std::uint64_t seed, Experiment& out) {
  rl::LimiterConfig base;
  if (std::string msg = rl::parse_rate(get_text(p, "rate"), base.rate); !msg.empty()) return {"rate", msg};
  base.burst = get_int(p, "burst");
  base.delay = get_int(p, "delay");
  base.nodelay = get_bool(p, "nodelay");
  base.capacity = get_int(p, "capacity");
  base.initial_tokens = static_cast<std::int64_t>(std::floor(get_double(p, "fill") * static_cast<double>(base.capacity)));
  base.window_us = sim::ms_to_us(get_int(p, "window"));
  base.max_clients = static_cast<std::size_t>(get_int(p, "max_clients"));
  base.gateways = static_cast<int>(get_int(p, "gateways"));
  base.sync_us = sim::ms_to_us(get_int(p, "sync"));

  std::vector<rl::Algorithm> algorithms;
  const std::string& compare = get_text(p, "compare");
  if (compare.empty()) {
    const auto a = rl::algorithm_from_name(get_text(p, "algorithm"));
    if (!a) return {"algorithm", "unknown algorithm \"" + get_text(p, "algorithm") + "\""};
    algorithms.push_back(*a);
  } else {
    for (std::size_t start = 0; start <= compare.size();) {
      std::size_t comma = compare.find(',', start);
      if (comma == std::string::npos) comma = compare.size();
      const auto a = rl::algorithm_from_name(std::string_view(compare).substr(start, comma - start));
      if (!a) return {"compare", "unknown algorithm in \"" + compare + "\""};
      algorithms.push_back(*a);
      start = comma + 1;
    }
  }
  out.limiters.clear();
  for (auto a : algorithms) {
    rl::LimiterConfig c = base;
    c.algorithm = a;
    if (std::string msg = rl::validate(c); !msg.empty()) {
      const auto colon = msg.find(": ");
      return {msg.substr(0, colon), msg.substr(colon + 2)};
    }
    out.limiters.push_back(c);
  }

  rl::TrafficDesc& t = out.traffic;
  const std::string& pattern = get_text(p, "traffic");
  t.pattern = pattern == "steady"     ? rl::Pattern::Steady
              : pattern == "poisson"  ? rl::Pattern::Poisson
              : pattern == "on-off"   ? rl::Pattern::OnOff
              : pattern == "spike"    ? rl::Pattern::Spike
              : pattern == "boundary" ? rl::Pattern::Boundary
                                      : rl::Pattern::ZipfClients;
  t.load_per_s = get_double(p, "load");
  t.duration_us = sim::ms_to_us(get_int(p, "duration"));
  t.clients = static_cast<std::uint32_t>(get_int(p, "clients"));
  t.skew = get_double(p, "skew");
  t.window_us = base.window_us;
  t.spike_count = get_int(p, "spike");
  t.seed = seed;
  return {};
}

}  // namespace scalebook::widgets::rate_limiter_config
