// host_api.cpp — the page-facing C API of the widget bundle (exported as _sb_*; the loader,
// web/loader/, calls it) and the calls back into the page. One WidgetHost per handle.
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <algorithm>
#include <map>

#include "platform/web/host.h"
#include "render/imgui_renderer.h"
#include "widgets/actions.h"
#include "widgets/catalog.h"
#include "widgets/param_edit.h"

namespace scalebook::platform {

namespace {
std::map<int, WidgetHost*> g_hosts;
int g_next_handle = 1;
std::string g_return;  // backing store for const char* results
std::string g_last_error;

// Calls back into the page (web/loader/20-runtime.js: Module.onParamChanged, onShare, onCopy).
EM_JS(void, js_param_changed, (int handle, const char* key, const char* value), {
  if (Module.onParamChanged) Module.onParamChanged(handle, UTF8ToString(key), UTF8ToString(value));
});
EM_JS(void, js_share, (int handle), {
  if (Module.onShare) Module.onShare(handle);
});
EM_JS(void, js_set_clipboard, (const char* text), {
  const t = UTF8ToString(text);
  if (Module.onCopy) Module.onCopy(t);
});

// A widget's run and view: its Scenario and View. False when the bundle lacks either.
bool make_run_and_view(WidgetHost& h) {
  using namespace scalebook::widgets;
  if (auto scenario = make_scenario(h.name)) {
    auto view = make_view(h.name);
    if (!view) return false;
    h.run = std::make_unique<Run>(*h.info, std::move(scenario));
    h.view = std::move(view);
    return true;
  }
  return false;
}

const char* get_clipboard(void* user) { return static_cast<WidgetHost*>(user)->clipboard.c_str(); }
void set_clipboard(void* user, const char* text) {
  static_cast<WidgetHost*>(user)->clipboard = text;
  js_set_clipboard(text);
}
}  // namespace

void page_param_changed(int handle, const char* key, const char* value) { js_param_changed(handle, key, value); }
void page_share(int handle) { js_share(handle); }
void set_last_error(std::string message) { g_last_error = std::move(message); }

WidgetHost* find_host(int handle) {
  auto it = g_hosts.find(handle);
  return it == g_hosts.end() ? nullptr : it->second;
}

}  // namespace scalebook::platform

// [SECTION] C API (exported to the page; see web/loader/20-runtime.js and 60-widget.js)
using scalebook::platform::find_host;
using scalebook::platform::g_hosts;
using scalebook::platform::g_last_error;
using scalebook::platform::g_next_handle;
using scalebook::platform::g_return;
using scalebook::platform::WidgetHost;

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* sb_catalog() {
  g_return = scalebook::widgets::catalog_json();
  return g_return.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* sb_last_error() { return g_last_error.c_str(); }

// Creates a widget on the canvas matched by `selector` ("#id"). Returns a handle > 0,
// or 0 with sb_last_error() set.
EMSCRIPTEN_KEEPALIVE int sb_create(const char* selector, const char* name) {
  const auto* info = scalebook::widgets::find_widget(name);
  if (!info) {
    g_last_error = std::string("unknown widget '") + name + "' (known: " + scalebook::widgets::widget_names() + ")";
    return 0;
  }
  auto* h = new WidgetHost();
  h->name = name;
  h->info = info;
  if (!scalebook::platform::make_run_and_view(*h)) {
    delete h;
    g_last_error = std::string("widget '") + name + "' has no view in this bundle";
    return 0;
  }
  g_last_error.clear();
  h->handle = g_next_handle++;
  h->selector = selector;
  h->imgui = ImGui::CreateContext();
  ImGui::SetCurrentContext(h->imgui);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.ClipboardUserData = h;
  io.GetClipboardTextFn = scalebook::platform::get_clipboard;
  io.SetClipboardTextFn = scalebook::platform::set_clipboard;
  scalebook::platform::init_keymap(io);
  h->rebuild_fonts_and_style();
  if (!h->create_gl()) {
    if (g_last_error.empty()) g_last_error = "WebGL2 is not available for this widget";
    ImGui::DestroyContext(h->imgui);
    delete h;
    return 0;
  }
  h->configure();
  scalebook::platform::bind_input(h);
  g_hosts[h->handle] = h;
  return h->handle;
}

// Sets one parameter through the one parameter path (widgets/param_edit.h). Returns 0,
// or 1 with sb_last_error() ("parameter 'k': …"). The model is rebuilt lazily, once,
// before the next frame or read, however many parameters the page sets first.
EMSCRIPTEN_KEEPALIVE int sb_set_param(int handle, const char* key, const char* value) {
  auto* h = find_host(handle);
  if (!h) return 1;
  const auto out = h->edit({{key, value}}, false);
  if (out.result == scalebook::widgets::EditResult::Refused) {
    g_last_error = out.message;
    return 1;
  }
  return 0;
}

// Sets several parameters at once, as one edit: "k=v\nk=v…" (one per line; a "preset=ID"
// line expands that preset where it stands). All or nothing: a refused edit changes no
// parameter. Returns 0, or 1 with sb_last_error(). The page's attributes and permalinks
// arrive here, so a combination that is only valid as a whole is accepted.
EMSCRIPTEN_KEEPALIVE int sb_set_params(int handle, const char* lines) {
  auto* h = find_host(handle);
  if (!h) return 1;
  scalebook::widgets::ParamEdits edits;
  const std::string text = lines;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(start, end - start);
    const std::size_t eq = line.find('=');
    if (!line.empty()) edits.emplace_back(line.substr(0, eq), eq == std::string::npos ? "" : line.substr(eq + 1));
    start = end + 1;
  }
  const auto out = h->edit(edits, false);
  if (out.result == scalebook::widgets::EditResult::Refused) {
    g_last_error = out.message;
    return 1;
  }
  return 0;
}

// The reader's action `name` with comma-separated `args` at the current time (widgets/
// run.h). Returns 0, or 1 with sb_last_error() ("action 'name': …"; nothing changed).
EMSCRIPTEN_KEEPALIVE int sb_act(int handle, const char* name, const char* args) {
  auto* h = find_host(handle);
  if (!h) return 1;
  std::vector<std::string> list;
  const std::string text = args;
  for (std::size_t start = 0; !text.empty() && start <= text.size();) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    list.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  const std::string msg = h->run->act(name, std::move(list));
  if (!msg.empty()) {
    g_last_error = msg;
    return 1;
  }
  h->dirty = true;
  h->settle_frames = std::max(h->settle_frames, 2);
  return 0;
}

// Replaces the run's action log (a permalink's "a=" field, widgets/actions.h log form),
// time back to 0. Returns 0, or 1 with sb_last_error() and the log unchanged.
EMSCRIPTEN_KEEPALIVE int sb_set_actions(int handle, const char* log) {
  auto* h = find_host(handle);
  if (!h) return 1;
  std::vector<scalebook::widgets::Action> actions;
  if (std::string msg = scalebook::widgets::parse_actions(*h->info, log, actions); !msg.empty()) {
    g_last_error = msg;
    return 1;
  }
  h->run->configure(h->run->params(), h->run->seed(), std::move(actions));
  h->configure();
  return 0;
}

// Applies the widget's story preset `id` (catalog.h). Returns 0, or 1 with sb_last_error().
EMSCRIPTEN_KEEPALIVE int sb_apply_preset(int handle, const char* id) {
  auto* h = find_host(handle);
  if (!h) return 1;
  const auto* preset = scalebook::widgets::find_preset(*h->info, id);
  if (!preset) {
    g_last_error = std::string("unknown preset '") + id + "' (known: " +
                   (h->info->presets.empty() ? std::string("none") : scalebook::widgets::preset_ids(*h->info)) + ")";
    return 1;
  }
  h->make_current();
  h->apply_preset(*preset);
  return 0;
}

EMSCRIPTEN_KEEPALIVE void sb_set_seed(int handle, double seed) {
  if (auto* h = find_host(handle)) {
    h->run->set_seed(static_cast<std::uint64_t>(seed));
    h->configure();
  }
}
EMSCRIPTEN_KEEPALIVE void sb_reset(int handle) {
  if (auto* h = find_host(handle)) h->configure();
}
EMSCRIPTEN_KEEPALIVE void sb_play(int handle, int on) {
  if (auto* h = find_host(handle)) h->set_playing(on != 0);
}
EMSCRIPTEN_KEEPALIVE void sb_step(int handle) {
  if (auto* h = find_host(handle)) h->step_once();
}
EMSCRIPTEN_KEEPALIVE void sb_set_speed(int handle, double speed) {
  if (auto* h = find_host(handle)) h->speed = std::clamp(speed, scalebook::widgets::kMinSpeed, scalebook::widgets::kMaxSpeed);
}
// Replays the run from its start to `sim_us`, actions included (permalinks, the time
// scrubber). Deterministic: same params, seed, actions and time give the same state.
EMSCRIPTEN_KEEPALIVE void sb_seek(int handle, double sim_us) {
  if (auto* h = find_host(handle)) {
    h->run->reset();
    h->run->seek(static_cast<std::int64_t>(std::clamp(sim_us, 0.0, static_cast<double>(scalebook::widgets::kMaxTimeUs))));
    h->carry_us = 0;
    h->dirty = true;
  }
}
EMSCRIPTEN_KEEPALIVE void sb_resize(int handle, int fb_width, int fb_height, double dpr) {
  if (auto* h = find_host(handle)) {
    h->fb_width = fb_width;
    h->fb_height = fb_height;
    h->dpr = dpr;
    h->dirty = true;
    h->settle_frames = 2;
  }
}
EMSCRIPTEN_KEEPALIVE void sb_set_theme(int handle, int dark) {
  if (auto* h = find_host(handle)) {
    h->dark = dark != 0;
    h->make_current();
    h->apply_style();
    h->dirty = true;
    h->settle_frames = 2;
  }
}
// Renders one frame; returns 1 when the widget wants another frame soon.
EMSCRIPTEN_KEEPALIVE int sb_frame(int handle, double now_ms) {
  auto* h = find_host(handle);
  return h && h->frame(now_ms) ? 1 : 0;
}
// Forget the wall-clock reference (after the widget was paused by the page).
EMSCRIPTEN_KEEPALIVE void sb_suspend(int handle) {
  if (auto* h = find_host(handle)) h->last_ms = 0;
}
EMSCRIPTEN_KEEPALIVE const char* sb_state(int handle) {
  auto* h = find_host(handle);
  g_return = h ? h->state_json() : "null";
  return g_return.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* sb_summary(int handle) {
  auto* h = find_host(handle);
  g_return = h && h->run ? h->run->scenario().summary() : "";
  return g_return.c_str();
}
// Off-screen: free the GL context (Chromium keeps ~16 live ones per page).
// Wall-clock CPU time per frame (advance + draw) and the view's counters, as JSON (outside
// the digest): tools/perf-report.js, tools/perf-particles.js.
EMSCRIPTEN_KEEPALIVE const char* sb_perf(int handle) {
  auto* h = find_host(handle);
  g_return = h ? h->perf_json() : "null";
  return g_return.c_str();
}
EMSCRIPTEN_KEEPALIVE void sb_perf_reset(int handle) {
  if (auto* h = find_host(handle)) h->cpu = {};
}
EMSCRIPTEN_KEEPALIVE void sb_gl_release(int handle, int context_lost) {
  if (auto* h = find_host(handle)) h->release_gl(context_lost != 0);
}
// Back on screen (or after webglcontextrestored): a new context on the same selector.
EMSCRIPTEN_KEEPALIVE int sb_gl_restore(int handle) {
  auto* h = find_host(handle);
  if (!h) return 0;
  if (h->gl_ready) return 1;
  ImGui::SetCurrentContext(h->imgui);
  h->font_dpr = -1;  // font texture must be re-uploaded
  const bool ok = h->create_gl();
  if (ok) {
    h->rebuild_fonts_and_style();
    scalebook::platform::bind_input(h);
  }
  h->settle_frames = 2;
  return ok ? 1 : 0;
}
EMSCRIPTEN_KEEPALIVE void sb_paste(int handle, const char* text) {
  if (auto* h = find_host(handle)) {
    h->make_current();
    ImGui::GetIO().AddInputCharactersUTF8(text);
    h->settle_frames = 2;
  }
}
EMSCRIPTEN_KEEPALIVE void sb_destroy(int handle) {
  auto* h = find_host(handle);
  if (!h) return;
  scalebook::platform::unbind_input(h);
  scalebook::platform::release_pointer(h);
  h->release_gl(false);
  ImGui::DestroyContext(h->imgui);
  g_hosts.erase(handle);
  delete h;
}

}  // extern "C"
