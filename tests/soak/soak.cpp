// soak — every widget in the catalog that has a view runs one simulated hour at full
// speed (frames of 1/60 s of reader time at speed 1, as fast as the CPU goes) in Wasm
// under node, with memory sampled every 5 simulated minutes: bytes malloc'd and in use,
// the Wasm linear memory size, and node's RSS. The page's periodic calls (summary for
// the live region, state_json for the test hook) are made too. draw() is not: it needs
// a GL context, and drawing state is per frame.
//
// Pass: after a warm-up (the first sample at 5 minutes), heap in use grows by at most
// 10% + 256 KiB up to the hour, and no sample exceeds the memory budget (256 MiB).
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

// A catalog entry without a view has a weak, undefined factory (src/widgets/view.h):
// calling it would trap, so check the symbol first.
bool has_view(std::string_view name) {
#define SCALEBOOK_WIDGET(ident, wname) \
  if (name == wname) return w::make_##ident##_view != nullptr;
#include "widgets/catalog.def"
#undef SCALEBOOK_WIDGET
  return false;
}

double mib(double b) { return b / (1024.0 * 1024.0); }

// Returns true when the widget's memory stayed flat.
bool soak(const w::WidgetInfo& info, std::int64_t minutes) {
  std::unique_ptr<w::WidgetView> view = has_view(info.name) ? w::make_view(std::string(info.name)) : nullptr;
  if (!view) {
    std::printf("%-14s no view in this bundle yet: skipped\n", std::string(info.name).c_str());
    return true;
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
  view->configure(params, 1);
  const std::int64_t end_us = minutes * 60'000'000;
  const std::int64_t frame_us = std::max<std::int64_t>(1, static_cast<std::int64_t>(view->sim_us_per_s() / 60.0));
  const std::int64_t sample_every_us = 5 * 60'000'000;
  std::vector<Sample> samples;
  std::int64_t frames = 0, next_sample = sample_every_us, text_bytes = 0;
  while (view->sim_time_us() < end_us) {
    const std::int64_t before = view->sim_time_us();
    view->advance(std::min(frame_us, end_us - before));
    ++frames;
    if (view->sim_time_us() <= before) {
      if (!view->animating()) {  // the run ended (idle: the page renders no more frames)
        std::printf("%-14s run ended at %lld us (animating() false)\n", std::string(info.name).c_str(),
                    static_cast<long long>(before));
        break;
      }
      std::printf("%-14s FAIL: sim time stuck at %lld us while animating\n", std::string(info.name).c_str(),
                  static_cast<long long>(before));
      return false;
    }
    if (frames % 15 == 0) text_bytes += static_cast<std::int64_t>(view->summary().size() + view->state_json().size());
    if (view->sim_time_us() >= next_sample) {
      samples.push_back(sample(view->sim_time_us()));
      next_sample += sample_every_us;
    }
  }
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  const std::string name(info.name);
  std::printf("%-14s %lld frames of %lld us in %.1f s wall (%.0fx real time), %lld bytes of text read\n", name.c_str(),
              static_cast<long long>(frames), static_cast<long long>(frame_us), wall_s,
              static_cast<double>(end_us) / 1e6 / std::max(wall_s, 1e-9), static_cast<long long>(text_bytes));
  std::printf("  %8s %14s %14s %10s\n", "sim min", "heap in use", "wasm memory", "node rss");
  for (const Sample& s : samples)
    std::printf("  %8lld %10.2f MiB %10.2f MiB %6.1f MiB\n", static_cast<long long>(s.sim_min), mib(s.heap_in_use),
                mib(s.linear_memory), mib(s.rss));
  if (samples.size() < 2) return true;
  const double first = static_cast<double>(samples.front().heap_in_use);
  const double last = static_cast<double>(samples.back().heap_in_use);
  double peak = 0;
  for (const Sample& s : samples) peak = std::max(peak, static_cast<double>(s.linear_memory));
  const double allowed = first * 1.10 + 256 * 1024;
  const bool ok = last <= allowed && peak <= 256.0 * 1024 * 1024;
  std::printf("  %s: heap in use %.2f -> %.2f MiB (allowed %.2f), peak wasm memory %.2f MiB\n", ok ? "flat" : "FAIL: grows",
              mib(first), mib(last), mib(allowed), mib(peak));
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
  int failed = 0, ran = 0;
  for (const w::WidgetInfo& info : w::catalog()) {
    if (!only.empty() && std::find(only.begin(), only.end(), std::string(info.name)) == only.end()) continue;
    ++ran;
    if (!soak(info, minutes)) ++failed;
    std::fflush(stdout);
  }
  std::printf("soak: %d widgets, %d failed\n", ran, failed);
  return failed == 0 ? 0 : 1;
}
