#include "widgets/hello/scenario.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/core/rng.h"

namespace scalebook::widgets {

std::unique_ptr<Scenario> make_hello_scenario() { return std::make_unique<hello::HelloScenario>(); }

namespace hello {

void HelloScenario::configure(const ParamMap& params, std::uint64_t seed) {
  speed_ = get_double(params, "speed");
  waves_ = static_cast<int>(get_int(params, "waves"));
  particles_ = static_cast<int>(get_int(params, "particles"));
  added_waves_ = 0;
  seed_ = seed;
  time_us_ = 0;
  interval_s_ = particles_ > 0 ? kMeanTripS / particles_ : 0;
}

std::string HelloScenario::act(const Action& a) {
  if (a.name != "add-wave") return "action '" + a.name + "': not handled";
  const int crests = std::atoi(a.args.at(0).c_str());
  if (waves() + crests > kMaxWaves)
    return "action 'add-wave': the wave has " + std::to_string(waves()) + " crests; at most " +
           std::to_string(kMaxWaves) + " fit";
  added_waves_ += crests;
  return {};
}

// Denser streams get fainter dots, so 100k read as a flowing cloud, not a wall.
float HelloScenario::particle_alpha() const {
  return particles_ > 0 ? static_cast<float>(std::min(0.85, 0.25 + 0.6 * std::sqrt(5000.0 / particles_))) : 0.85f;
}

// Particle k: from a band on the left edge to anywhere on the right edge, bowed up or
// down; mostly accent-coloured, some good/warn ones.
Particle HelloScenario::particle(std::int64_t k) const {
  std::uint64_t h = sim::mix64(seed_ * 0x9E3779B97F4A7C15ull ^ static_cast<std::uint64_t>(k));
  auto unit = [&h]() {
    h = sim::mix64(h);
    return static_cast<float>(h >> 40) * 0x1.0p-24f;
  };
  Particle p;
  const float source = 0.5f + 0.22f * (unit() + unit() - 1.0f);
  p.from_x = -0.01f;
  p.from_y = source;
  p.to_x = 1.01f;
  p.to_y = 0.08f + 0.84f * unit();
  p.bend = 0.28f * (unit() * 2.0f - 1.0f);
  p.start_s = static_cast<double>(k) * interval_s_;
  p.duration_s = static_cast<float>(kMinTripS + (kMaxTripS - kMinTripS) * unit());
  p.size_px = 1.5f + 2.5f * unit() * unit();
  const float pick = unit();
  p.ink = pick < 0.72f ? Ink::Accent : (pick < 0.86f ? Ink::Good : Ink::Warn);
  return p;
}

std::int64_t HelloScenario::first_live_index(double clock) const {
  return particles_ > 0 ? static_cast<std::int64_t>(std::floor((clock - kMaxTripS) / interval_s_)) : 0;
}

std::size_t HelloScenario::live_count() const {
  if (particles_ <= 0) return 0;
  const double clock = clock_s();
  std::size_t n = 0;
  for (std::int64_t k = first_live_index(clock); static_cast<double>(k) * interval_s_ <= clock; ++k) {
    const Particle p = particle(k);
    if (p.start_s <= clock && clock < p.start_s + p.duration_s) ++n;
  }
  return n;
}

std::string HelloScenario::summary() const {
  char buf[192];
  std::snprintf(buf, sizeof buf, "A wave with %d crests, %.1f seconds in, moving at speed %.2f", waves(),
                static_cast<double>(time_us_) * 1e-6, speed_);
  std::string s = buf;
  if (particles_ > 0) {
    std::snprintf(buf, sizeof buf, ", with %zu particles flowing across it", live_count());
    s += buf;
  }
  return s + ".";
}

std::string HelloScenario::state_json() const {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"time_us\":%lld,\"waves\":%d,\"speed\":%g,\"seed\":%llu,\"particles\":%d,\"live_particles\":%zu%s}",
                static_cast<long long>(time_us_), waves(), speed_, static_cast<unsigned long long>(seed_), particles_,
                live_count(), added_waves_ ? (",\"added_waves\":" + std::to_string(added_waves_)).c_str() : "");
  return buf;
}

}  // namespace hello
}  // namespace scalebook::widgets
