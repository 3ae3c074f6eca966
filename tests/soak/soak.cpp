// soak — every widget in the catalog that has a view runs one simulated hour at full
// speed (frames of 1/60 s of reader time at speed 1, as fast as the CPU goes) in Wasm
// under node, with memory sampled every 5 simulated minutes: bytes malloc'd and in use,
// the Wasm linear memory size, and node's RSS. The page's periodic calls (summary for
// the live region, state_json for the test hook) are made too. draw() is not: it needs
// a GL context, and drawing state is per frame.
//
// A run that ends early (animating() false) is replayed with the next seed, so every widget
// runs for the whole soak (the page would stop rendering it; the soak replays the story).
// Pass: at least 4 samples (20 minutes); the peak heap in use of the second half of the
// soak is at most 10% + 256 KiB above the first half's (each run's own working set rises
// and falls; a leak raises every later peak), and no sample exceeds the memory budget
// (256 MiB). No view, or no widget matched, fails.
// Usage: node --no-experimental-fetch soak.js [widget...] [--minutes N]
#include <emscripten.h>
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "widgets/catalog.h"
#include "widgets/params.h"
#include "widgets/scenario.h"
#include "widgets/view.h"

namespace w = scalebook::widgets;

namespace {

struct Sample {
  std::int64_t sim_min = 0;
  std::size_t heap_in_use = 0;
  std::size_t linear_memory = 0;
  double rss = 0;
};

Sample sample(std::int64_t sim_us) {
  Sample s;
  s.sim_min = sim_us / 60'000'000;
  s.heap_in_use = static_cast<std::size_t>(mallinfo().uordblks);
  s.linear_memory = __builtin_wasm_memory_size(0) * 65536ull;
  s.rss = EM_ASM_DOUBLE({ return typeof process !== 'undefined' ? process.memoryUsage().rss : 0; });
  return s;
}

// The widget's model: its Scenario (widgets/scenario.h).
std::unique_ptr<w::Scenario> scenario_for(const std::string& name) { return w::make_scenario(name); }

double mib(double b) { return b / (1024.0 * 1024.0); }

// Returns true when the widget's memory stayed flat.
bool soak(const w::WidgetInfo& info, std::int64_t minutes) {
  std::unique_ptr<w::Scenario> view = scenario_for(std::string(info.name));
  if (!view) {
    std::printf("%-14s FAIL: no view in this bundle (nothing soaked)\n", std::string(info.name).c_str());
    return false;
  }
  const auto wall0 = std::chrono::steady_clock::now();
  // Defaults, except a run length: a widget whose model runs for a bounded time gets the
  // whole soak ("duration" / "duration_ms" in ms, "duration_s" in s, clamped to its max).
  w::ParamMap params = w::default_params(info);
  for (const w::ParamSpec& p : info.params) {
    const double per_min = p.name == "duration" || p.name == "duration_ms" ? 60000.0 : p.name == "duration_s" ? 60.0 : 0.0;
    if (per_min > 0 && (p.type == w::ParamType::Int || p.type == w::ParamType::Float))
      params[std::string(p.name)] = std::to_string(static_cast<long long>(std::min(p.max, per_min * static_cast<double>(minutes))));
  }
  // A run that ends before the soak does (the sharding widget lands its move in seconds;
  // a bounded run reaches its duration) is replayed with the next seed, so every widget is
  // soaked for the whole time and configure() itself is soaked too.
  std::uint64_t seed = 1;
  view->configure(params, seed);
  const std::int64_t end_us = minutes * 60'000'000;
  const std::int64_t frame_us = std::max<std::int64_t>(1, static_cast<std::int64_t>(view->sim_us_per_s() / 60.0));
  const std::int64_t sample_every_us = 5 * 60'000'000;
  std::vector<Sample> samples;
  std::int64_t frames = 0, next_sample = sample_every_us, text_bytes = 0, soak_us = 0, replays = 0;
  while (soak_us < end_us) {
    const std::int64_t before = view->time_us();
    view->advance(std::min(frame_us, end_us - soak_us));
    ++frames;
    const std::int64_t step = view->time_us() - before;
    // The page stops rendering a widget that is not animating (the sharding move has
    // landed, a bounded run reached its end): so does the soak, and replays the story.
    if (step <= 0 || !view->animating()) {
      if (step <= 0 && view->animating()) {
        std::printf("%-14s FAIL: sim time stuck at %lld us while animating\n", std::string(info.name).c_str(),
                    static_cast<long long>(before));
        return false;
      }
      if (++replays > 100000) {
        std::printf("%-14s FAIL: runs end at once (%lld replays)\n", std::string(info.name).c_str(),
                    static_cast<long long>(replays));
        return false;
      }
      view->configure(params, ++seed);  // the run ended (the page would go idle): replay
      soak_us += std::max<std::int64_t>(step, frame_us);  // the reader's time still passes
    } else {
      soak_us += step;
    }
    if (frames % 15 == 0) text_bytes += static_cast<std::int64_t>(view->summary().size() + view->state_json().size());
    if (soak_us >= next_sample) {
      samples.push_back(sample(soak_us));
      next_sample += sample_every_us;
    }
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const std::string name(info.name);
  std::printf("%-14s %lld frames of %lld us in %.1f s wall (%.0fx real time), %lld runs, %lld bytes of text read\n",
              name.c_str(), static_cast<long long>(frames), static_cast<long long>(frame_us), wall_s,
              static_cast<double>(end_us) / 1e6 / std::max(wall_s, 1e-9), static_cast<long long>(replays + 1),
              static_cast<long long>(text_bytes));
  std::printf("  %8s %14s %14s %10s\n", "sim min", "heap in use", "wasm memory", "node rss");
  for (const Sample& s : samples)
    std::printf("  %8lld %10.2f MiB %10.2f MiB %6.1f MiB\n", static_cast<long long>(s.sim_min), mib(s.heap_in_use),
                mib(s.linear_memory), mib(s.rss));
  if (samples.size() < 4) {  // nothing to compare: a soak that measured nothing has not passed
    std::printf("  FAIL: %zu memory samples (at least 4 needed; soak for 20 minutes or more)\n", samples.size());
    return false;
  }
  // Runs are replayed, so heap in use rises and falls with each run's own working set: the
  // rule compares the peaks of the two halves of the soak (a leak raises the second).
  const std::size_t half = samples.size() / 2;
  double first = 0, last = 0, peak = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    (i < half ? first : last) = std::max(i < half ? first : last, static_cast<double>(samples[i].heap_in_use));
    peak = std::max(peak, static_cast<double>(samples[i].linear_memory));
  }
  const double allowed = first * 1.10 + 256 * 1024;
  const bool ok = last <= allowed && peak <= 256.0 * 1024 * 1024;
  std::printf("  %s: peak heap in use %.2f MiB (first half) -> %.2f MiB (second half, allowed %.2f), peak wasm memory %.2f MiB\n",
              ok ? "flat" : "FAIL: grows", mib(first), mib(last), mib(allowed), mib(peak));
  return ok;
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t minutes = 60;
  std::vector<std::string> only;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--minutes") == 0 && i + 1 < argc) minutes = std::atoll(argv[++i]);
    else only.emplace_back(argv[i]);
  }
  if (minutes < 20) {
    std::printf("soak: --minutes %lld is too short: memory is sampled every 5 minutes and 4 samples are needed\n",
                static_cast<long long>(minutes));
    return 2;
  }
  int failed = 0, ran = 0;
  for (const w::WidgetInfo& info : w::catalog()) {
    if (!only.empty() && std::find(only.begin(), only.end(), std::string(info.name)) == only.end()) continue;
    ++ran;
    if (!soak(info, minutes)) ++failed;
    std::fflush(stdout);
  }
  if (ran == 0) {
    std::printf("soak: no widget matched; known: %s\n", w::widget_names().c_str());
    return 2;
  }
  std::printf("soak: %d widgets, %d failed\n", ran, failed);
  return failed == 0 ? 0 : 1;
}
