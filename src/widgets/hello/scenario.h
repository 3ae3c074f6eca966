// hello/scenario.h — the walking-skeleton widget's model: a travelling wave with a number
// of crests, and a stream of particles flowing across it (the particle renderer's
// benchmark). UI-free: the view (view.cpp) draws it; `scalebook sim hello` runs it.
//
// Particles: particle k leaves at k × interval seconds of the particle clock (simulated
// seconds × speed), with its path, duration, colour and size drawn from mix64(seed, k).
// interval = mean duration / particles, so about `particles` are in flight at any time
// (Little's law). The set alive at a time depends only on that time, so advance(a);
// advance(b) gives the same state as advance(a + b).
// Action: "add-wave" adds crests to the wave from that moment on (at most 24 in all): the
// demonstration that a reader's action mid-run survives a permalink (widgets/run.h).
// Not modelled: anything physical; this widget exists to prove the layers work.
#pragma once
#include <cstdint>
#include <string>

#include "widgets/scenario.h"

namespace scalebook::widgets::hello {

inline constexpr double kMinTripS = 2.5, kMaxTripS = 5.5;  // uniform trip durations (particle-clock s)
inline constexpr double kMeanTripS = 0.5 * (kMinTripS + kMaxTripS);
inline constexpr int kMaxWaves = 24;                        // base crests + added ones

enum class Ink { Accent, Good, Warn };

// One particle's whole trip, in unit coordinates of the drawing area (x right, y down).
struct Particle {
  float from_x = 0, from_y = 0, to_x = 0, to_y = 0, bend = 0;
  double start_s = 0;      // particle clock
  float duration_s = 1;
  float size_px = 2;       // CSS px
  Ink ink = Ink::Accent;
};

class HelloScenario final : public Scenario {
 public:
  void configure(const ParamMap& params, std::uint64_t seed) override;
  void advance(std::int64_t dt_us) override { time_us_ += dt_us; }
  std::int64_t time_us() const override { return time_us_; }
  std::string summary() const override;
  std::string state_json() const override;
  bool animating() const override { return speed_ > 0; }
  std::string act(const Action& a) override;

  // For the view.
  double clock_s() const { return static_cast<double>(time_us_) * 1e-6 * speed_; }
  int waves() const { return waves_ + added_waves_; }
  double speed() const { return speed_; }
  int particles() const { return particles_; }
  std::uint64_t seed() const { return seed_; }
  double interval_s() const { return interval_s_; }
  float particle_alpha() const;
  Particle particle(std::int64_t k) const;
  // Particles k with start in (clock − kMaxTripS, clock]: the first index that can be alive.
  std::int64_t first_live_index(double clock) const;
  std::size_t live_count() const;  // alive at clock_s()

 private:
  double speed_ = 1;
  int waves_ = 3, added_waves_ = 0, particles_ = 0;
  std::uint64_t seed_ = 1;
  std::int64_t time_us_ = 0;
  double interval_s_ = 0;
};

}  // namespace scalebook::widgets::hello

namespace scalebook::widgets {
std::unique_ptr<Scenario> make_hello_scenario();
}
