// host_test_hook.cpp — what the page's test hook reads: sb_state() (the run, the controls'
// rects, the model's own state and the digest) and sb_perf() (CPU time per frame measured
// around advance and draw, outside the digest).
#include <algorithm>
#include <cstdio>

#include "platform/web/host.h"
#include "util/json.h"
#include "widgets/actions.h"

namespace scalebook::platform {

std::string WidgetHost::state_json() const {
  char sp[32];
  std::snprintf(sp, sizeof sp, "%.17g", speed);
  std::string s = "{\"widget\":\"" + name + "\",\"handle\":" + std::to_string(handle) +
                  ",\"frames\":" + std::to_string(frames) + ",\"playing\":" + (playing ? "true" : "false") +
                  ",\"animating\":" + (run->scenario().animating() ? "true" : "false") +
                  ",\"speed\":" + sp + ",\"seed\":" + std::to_string(run->seed()) +
                  ",\"sim_time_us\":" + std::to_string(run->time_us()) + ",\"gl\":" +
                  (gl_ready ? "true" : "false") + ",\"dpr\":" + std::to_string(dpr) +
                  ",\"fb\":[" + std::to_string(fb_width) + "," + std::to_string(fb_height) + "],\"dark\":" +
                  (dark ? "true" : "false") + ",\"mouse_down\":" +
                  (mouse_down[0] || mouse_down[1] || mouse_down[2] ? "true" : "false") + ",\"item_active\":" +
                  (item_active ? "true" : "false") + ",\"digest\":\"" + digest() + "\",\"preset\":" +
                  (active_preset ? "\"" + std::string(active_preset->id) + "\"" : std::string("null")) + ",\"params\":{";
  bool first = true;
  for (const auto& [k, v] : run->params()) {
    if (!first) s += ',';
    first = false;
    util::append_json_string(s, k);
    s += ':';
    util::append_json_string(s, v);
  }
  s += "},\"actions\":";
  util::append_json_string(s, widgets::format_actions(run->actions()));
  s += ",\"builds\":" + std::to_string(run->builds());
  s += ",\"controls\":" + (controls_json.empty() ? std::string("{}") : controls_json) +
       ",\"model\":" + run->scenario().state_json() + "}";
  return s;
}

// Wall-clock figures (outside the digest): the host's CPU time per frame around advance
// and draw, p50/p95/max over the last 240 frames, plus the view's own counters.
std::string WidgetHost::perf_json() const {
  const std::size_t k = std::min<std::size_t>(cpu.n, 240);
  float sorted[240];
  std::copy(cpu.samples, cpu.samples + k, sorted);
  std::sort(sorted, sorted + k);
  auto at = [&](double q) { return k ? static_cast<double>(sorted[std::min(k - 1, static_cast<std::size_t>(q * static_cast<double>(k)))]) : 0.0; };
  char buf[160];
  std::snprintf(buf, sizeof buf, "{\"frames\":%zu,\"cpu_us_p50\":%.1f,\"cpu_us_p95\":%.1f,\"cpu_us_max\":%.1f,\"view\":",
                cpu.n, k ? static_cast<double>(sorted[(k - 1) / 2]) : 0.0, at(0.95), k ? static_cast<double>(sorted[k - 1]) : 0.0);
  return std::string(buf) + (view ? view->perf_json() : std::string("{}")) + "}";
}

}  // namespace scalebook::platform
