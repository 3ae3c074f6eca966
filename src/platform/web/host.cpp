// host.cpp — the page-facing C API of the widget bundle (the only Emscripten-aware code
// together with input.cpp). One WidgetHost per <scalebook-widget>: its canvas, WebGL2
// context, ImGui context, the shared toolbar and parameter panel, and one view.
//
// Implemented features
//  [x] Several widgets per instance (handles), each with its own GL + ImGui context
//  [x] Frames driven by the page loader (sb_frame), only while the widget is active
//  [x] Hi-DPI: backing store = CSS size × DPR, font rasterised at that scale, style scaled
//  [x] Shared controls: play/pause, step, reset, speed, seed; schema-generated parameters
//  [x] Light/dark palette from the page theme
//  [x] GL release/restore (off-screen release and webglcontextlost/restored)
//  [x] Test hook: sb_state() JSON (with a state digest and control rects), sb_summary() text
//  [x] Permalinks: sb_seek() replays from reset to a simulated time; digest() compares runs
//  [x] Story presets (catalog.h): a "story" combo in the toolbar, sb_apply_preset()
//  [x] A view's own in-canvas controls: parameter requests applied after the frame (view.h)
//  [x] Scenario + View (widgets/scenario.h, view.h) driven by a Run (widgets/run.h): one
//      lazy model build per change, the reader's actions (sb_act, sb_set_actions), replay
//  [x] One parameter path for every edit (widgets/param_edit.h)
//  [x] CPU time per frame measured here around advance and draw (sb_perf), not in views
//
// [SECTION] Host state   [SECTION] Fonts & style   [SECTION] Toolbar   [SECTION] C API
#include "platform/web/host.h"

#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "render/assets.h"
#include "render/imgui_renderer.h"
#include "util/json.h"
#include "widgets/catalog.h"
#include "widgets/param_edit.h"

namespace scalebook::platform {

// [SECTION] Host state
namespace {
using widgets::kMaxSeed;
std::map<int, WidgetHost*> g_hosts;
int g_next_handle = 1;
std::string g_return;  // backing store for const char* results
std::string g_last_error;

// Calls back into the page when a parameter changed inside the canvas.
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

double wall_ms() { return emscripten_get_now(); }

const char* get_clipboard(void* user) { return static_cast<WidgetHost*>(user)->clipboard.c_str(); }
void set_clipboard(void* user, const char* text) {
  static_cast<WidgetHost*>(user)->clipboard = text;
  js_set_clipboard(text);
}
}  // namespace

WidgetHost* find_host(int handle) {
  auto it = g_hosts.find(handle);
  return it == g_hosts.end() ? nullptr : it->second;
}

void WidgetHost::make_current() {
  ImGui::SetCurrentContext(imgui);
  if (gl) emscripten_webgl_make_context_current(gl);
}

// [SECTION] Fonts & style
void WidgetHost::rebuild_fonts_and_style() {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  ImFontConfig cfg;
  cfg.FontDataOwnedByAtlas = false;  // the font lives in the binary's data section
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  static const ImWchar ranges[] = {0x0020, 0x00FF, 0x2010, 0x203A, 0x2190, 0x2195, 0x2212, 0x2265, 0x25A0, 0x25B6, 0x23F8, 0x23F8,
                                   0x03B1, 0x03C9, 0};
  io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(render::assets::kUiFont),
                                 static_cast<int>(render::assets::kUiFont_size), std::round(14.0f * dpr), &cfg, ranges);
  if (gl_ready) ui_renderer->upload_fonts();
  apply_style();
  font_dpr = dpr;
}

void WidgetHost::apply_style() {
  ImGuiStyle style;
  if (dark)
    ImGui::StyleColorsDark(&style);
  else
    ImGui::StyleColorsLight(&style);
  style.WindowRounding = 6;
  style.FrameRounding = 4;
  style.GrabRounding = 4;
  style.WindowBorderSize = 0;
  const auto p = render::palette(dark);
  auto col = [](render::Rgb c, float a = 1.0f) { return ImVec4(c.r, c.g, c.b, a); };
  style.Colors[ImGuiCol_WindowBg] = col(p.surface, 0.94f);
  style.Colors[ImGuiCol_Text] = col(p.text);
  style.Colors[ImGuiCol_Button] = col(p.accent, 0.18f);
  style.Colors[ImGuiCol_ButtonHovered] = col(p.accent, 0.35f);
  style.Colors[ImGuiCol_ButtonActive] = col(p.accent, 0.55f);
  style.Colors[ImGuiCol_SliderGrab] = col(p.accent, 0.9f);
  style.Colors[ImGuiCol_SliderGrabActive] = col(p.accent, 1.0f);
  style.Colors[ImGuiCol_FrameBg] = col(p.text, 0.07f);
  style.Colors[ImGuiCol_FrameBgHovered] = col(p.accent, 0.15f);
  style.Colors[ImGuiCol_CheckMark] = col(p.accent);
  style.ScaleAllSizes(dpr);
  ImGui::GetStyle() = style;
}

bool WidgetHost::create_gl() {
  EmscriptenWebGLContextAttributes attrs;
  emscripten_webgl_init_context_attributes(&attrs);
  attrs.majorVersion = 2;
  attrs.minorVersion = 0;
  attrs.alpha = false;
  attrs.antialias = false;  // shapes are anti-aliased by ImGui and the shaders; MSAA costs context creation and memory
  attrs.preserveDrawingBuffer = true;  // snapshots for print/share and pixel tests
  gl = emscripten_webgl_create_context(selector.c_str(), &attrs);
  if (gl <= 0) {
    gl = 0;
    return false;
  }
  emscripten_webgl_make_context_current(gl);
  ImGui::SetCurrentContext(imgui);
  if (!ui_renderer) ui_renderer = std::make_unique<render::ImGuiRenderer>();
  if (!ui_renderer->init()) {
    g_last_error = "the widget's UI shaders did not compile";
    emscripten_webgl_destroy_context(gl);
    gl = 0;
    return false;
  }
  if (view) view->gl_init();
  gl_ready = true;
  return true;
}

void WidgetHost::release_gl(bool context_lost) {
  if (!gl_ready) return;
  make_current();
  if (!context_lost) {
    if (view) view->gl_release();
    // The page replaces the canvas element to free the browser's context: input
    // listeners go with the old element and are bound again on restore.
    unbind_input(this);
  }
  if (ui_renderer) ui_renderer->shutdown(context_lost);
  if (gl) emscripten_webgl_destroy_context(gl);
  gl = 0;
  gl_ready = false;
}

void WidgetHost::configure() {
  if (run) run->reset();
  max_time_us = 0;
  active_preset = info && run ? widgets::active_preset(*info, run->params()) : nullptr;
  carry_us = 0;
  dirty = true;
}

widgets::EditOutcome WidgetHost::edit(const widgets::ParamEdits& edits, bool tell_page) {
  widgets::ParamMap params = run->params();
  const widgets::EditOutcome out = widgets::apply_edits(*info, params, edits);
  if (out.applied()) {
    run->set_params(std::move(params));
    configure();
    if (tell_page)
      for (const auto& [k, v] : edits) js_param_changed(handle, k == "preset" ? "@preset" : k.c_str(), v.c_str());
  }
  return out;
}

// A story preset is a parameter change: defaults, then the preset's values; seed,
// speed and play state stay. The page re-reads every parameter on "@preset".
void WidgetHost::apply_preset(const widgets::PresetSpec& preset) { edit({{"preset", std::string(preset.id)}}, false); }

// [SECTION] Toolbar
// The shared controls every widget gets, plus the schema-generated parameter panel.
namespace {
// SameLine() when an item `item_width` wide still fits on the current row: the toolbar
// wraps on narrow canvases (phones) instead of running off the edge.
void same_line_if_fits(float item_width) {
  const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + item_width;
  if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}
float label_width(const char* text, float field) {
  return field + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(text).x;
}
float button_width(const char* text) { return ImGui::CalcTextSize(text).x + 2 * ImGui::GetStyle().FramePadding.x; }
}  // namespace

void WidgetHost::draw_toolbar(float width) {
  ImGui::SetNextWindowPos(ImVec2(0, 0));
  ImGui::SetNextWindowSize(ImVec2(width, 0));
  ImGui::Begin("##toolbar", nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoBringToFrontOnFocus);
  if (ImGui::Button(playing ? "Pause" : "Play")) set_playing(!playing);
  note_rect("@playing");
  same_line_if_fits(button_width("Step"));
  if (ImGui::Button("Step")) step_once();
  note_rect("@step");
  same_line_if_fits(button_width("Reset"));
  if (ImGui::Button("Reset")) {
    configure();
    js_param_changed(handle, "@reset", "");
  }
  note_rect("@reset");
  same_line_if_fits(label_width("speed", 110 * static_cast<float>(dpr)));
  ImGui::SetNextItemWidth(110 * static_cast<float>(dpr));
  float sp = static_cast<float>(speed);
  if (ImGui::SliderFloat("speed", &sp, 0.1f, 10.0f, "%.2fx", ImGuiSliderFlags_Logarithmic)) {
    speed = sp;
    js_param_changed(handle, "@speed", std::to_string(speed).c_str());
  }
  note_rect("@speed");
  same_line_if_fits(label_width("seed", 90 * static_cast<float>(dpr)));
  ImGui::SetNextItemWidth(90 * static_cast<float>(dpr));
  std::uint64_t s = run->seed();
  if (ImGui::InputScalar("seed", ImGuiDataType_U64, &s, nullptr, nullptr, "%llu", ImGuiInputTextFlags_EnterReturnsTrue) &&
      s != run->seed() && s <= kMaxSeed) {
    run->set_seed(s);
    configure();
    js_param_changed(handle, "@seed", std::to_string(s).c_str());
  }
  note_rect("@seed");
  same_line_if_fits(label_width("parameters", ImGui::GetFrameHeight()));
  ImGui::Checkbox("parameters", &show_params);
  note_rect("@parameters");
  same_line_if_fits(button_width("Share"));
  if (ImGui::Button("Share")) js_share(handle);
  note_rect("@share");
  draw_scrubber();
  if (info && !info->presets.empty()) draw_presets();
  if (show_params && info) {
    for (const auto& p : info->params) {
      draw_param(p);
      note_rect(std::string(p.name).c_str());
    }
  }
  toolbar_height = ImGui::GetWindowHeight();
  ImGui::End();
}

// The time scrubber: 0 … the furthest time this run has reached. Dragging it back
// replays the run to that moment from (params, seed, actions) — Run::seek — so a reader
// can step backwards through a run and forward again through the same moments.
void WidgetHost::draw_scrubber() {
  const std::int64_t now = run->time_us();
  max_time_us = std::max(max_time_us, now);
  const float field = 80 * static_cast<float>(dpr);
  same_line_if_fits(label_width("time", field));
  ImGui::SetNextItemWidth(field);
  float t = static_cast<float>(static_cast<double>(now) * 1e-6);
  const float top = static_cast<float>(static_cast<double>(std::max<std::int64_t>(max_time_us, 1)) * 1e-6);
  if (ImGui::SliderFloat("time", &t, 0.0f, top, "%.1f s", ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_NoRoundToFormat)) {
    run->seek(static_cast<std::int64_t>(static_cast<double>(t) * 1e6));
    carry_us = 0;
    dirty = true;
  }
  note_rect("@time");
}

// Story presets as one compact combo ("story: Boundary attack"), so the toolbar keeps one
// row on a book-width canvas; the page shows the same presets as DOM buttons with the
// active story's text under the canvas. While the popup is open, the test hook's controls
// hold each item's rect as "@preset:<id>".
void WidgetHost::draw_presets() {
  const std::string current_label = active_preset ? std::string(active_preset->label) : std::string("custom");
  float widest = ImGui::CalcTextSize("custom").x;
  for (const auto& pr : info->presets) widest = std::max(widest, ImGui::CalcTextSize(std::string(pr.label).c_str()).x);
  const float field = widest + ImGui::GetFrameHeight() + 2 * ImGui::GetStyle().FramePadding.x;
  same_line_if_fits(label_width("story", field));
  ImGui::SetNextItemWidth(field);
  if (ImGui::BeginCombo("story", current_label.c_str())) {
    for (const auto& pr : info->presets) {
      const std::string label = std::string(pr.label) + "##preset-" + std::string(pr.id);
      if (ImGui::Selectable(label.c_str(), &pr == active_preset)) {
        apply_preset(pr);
        js_param_changed(handle, "@preset", std::string(pr.id).c_str());
      }
      // The open popup's items, for tests; not in its first (hidden, measuring) frame.
      if (!ImGui::IsWindowAppearing()) note_rect(("@preset:" + std::string(pr.id)).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::string(pr.story).c_str());
    }
    ImGui::EndCombo();
  }
  note_rect("@preset");
}

void WidgetHost::draw_param(const widgets::ParamSpec& p) {
  using widgets::ParamType;
  const std::string key(p.name);
  const widgets::ParamMap& params = run->params();
  const std::string value = params.at(key);
  std::string label = std::string(p.label.empty() ? p.name : p.label) + "##" + key;
  std::string next = value;
  ImGui::SetNextItemWidth(200 * dpr);
  switch (p.type) {
    case ParamType::Int: {
      int v = static_cast<int>(widgets::get_int(params, key));
      if (ImGui::SliderInt(label.c_str(), &v, static_cast<int>(p.min), static_cast<int>(p.max))) next = std::to_string(v);
      break;
    }
    case ParamType::Float: {
      float v = static_cast<float>(widgets::get_double(params, key));
      if (ImGui::SliderFloat(label.c_str(), &v, static_cast<float>(p.min), static_cast<float>(p.max), "%.3g")) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", static_cast<double>(v));
        next = buf;
      }
      break;
    }
    case ParamType::Bool: {
      bool v = value == "true";
      if (ImGui::Checkbox(label.c_str(), &v)) next = v ? "true" : "false";
      break;
    }
    case ParamType::Choice: {
      if (ImGui::BeginCombo(label.c_str(), value.c_str())) {
        for (auto c : p.choices)
          if (ImGui::Selectable(std::string(c).c_str(), c == value)) next = std::string(c);
        ImGui::EndCombo();
      }
      break;
    }
    case ParamType::Text: {
      char buf[256];
      std::snprintf(buf, sizeof buf, "%s", value.c_str());
      if (ImGui::InputText(label.c_str(), buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue)) next = buf;
      break;
    }
  }
  if (ImGui::IsItemHovered() && !p.help.empty()) ImGui::SetTooltip("%s", std::string(p.help).c_str());
  // The panel only offers valid values one by one; a combination the widget cannot run
  // is refused by the one parameter path, and the panel keeps showing the current value.
  if (next != value) {
    const auto out = edit({{key, next}}, true);
    if (out.result == widgets::EditResult::Refused)
      emscripten_log(EM_LOG_CONSOLE | EM_LOG_WARN, "widget '%s': %s", name.c_str(), out.message.c_str());
  }
}

void WidgetHost::note_rect(const char* key) {
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  note_rect(key, a.x, a.y, b.x, b.y);
}

void WidgetHost::note_rect(const char* key, float x0, float y0, float x1, float y1) {
  char buf[160];
  const double k = dpr > 0 ? 1.0 / dpr : 1.0;
  std::snprintf(buf, sizeof buf, "%s\"%s\":[%.1f,%.1f,%.1f,%.1f]", controls_next.empty() ? "" : ",", key, x0 * k, y0 * k,
                (x1 - x0) * k, (y1 - y0) * k);
  controls_next += buf;
}

// Parameter changes the view asked for in its draw (view.h, widgets/requests.h), applied
// after the frame exactly as an edit in the parameter panel (draw_param): the one
// parameter path, reconfigured, the page told. A refused request changes nothing (a
// console warning).
void WidgetHost::apply_view_requests(const widgets::ViewRequests& requests) {
  for (const auto& r : requests.params()) {
    const auto out = edit({{r.key, r.value}}, true);
    if (out.result == widgets::EditResult::Refused)
      emscripten_log(EM_LOG_CONSOLE | EM_LOG_WARN, "widget '%s': view request refused: %s", name.c_str(),
                     out.message.c_str());
    if (out.applied()) settle_frames = std::max(settle_frames, 2);
  }
}

void WidgetHost::set_playing(bool on) {
  playing = on;
  dirty = true;
  js_param_changed(handle, "@playing", on ? "true" : "false");
}

void WidgetHost::step_once() {
  if (!run) return;
  // One step = 1/30 s of simulated time at speed 1.
  run->advance(static_cast<std::int64_t>(run->scenario().sim_us_per_s() / 30.0));
  dirty = true;
}

bool WidgetHost::frame(double now_ms) {
  if (!gl_ready || !view || !run) return false;
  make_current();
  double dt_s = last_ms > 0 ? (now_ms - last_ms) / 1000.0 : 1.0 / 60.0;
  last_ms = now_ms;
  if (dt_s <= 0) dt_s = 1e-4;
  if (dt_s > 0.1) dt_s = 0.1;  // clamp after a pause or a background tab

  const double t_advance = wall_ms();
  const widgets::Scenario& scenario = run->scenario();  // builds the model once after a change
  if (playing) {
    const double us = dt_s * speed * scenario.sim_us_per_s() + carry_us;
    const auto whole = static_cast<std::int64_t>(us);
    carry_us = us - static_cast<double>(whole);
    if (whole > 0) run->advance(whole);
  }
  double cpu_ms = wall_ms() - t_advance;

  if (font_dpr != dpr) rebuild_fonts_and_style();
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(fb_width), static_cast<float>(fb_height));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  io.DeltaTime = static_cast<float>(dt_s);  // 1.86 asserts DeltaTime > 0
  ImGui::NewFrame();

  const auto pal = render::palette(dark);
  glViewport(0, 0, fb_width, fb_height);
  glClearColor(pal.background.r, pal.background.g, pal.background.b, 1);
  glClear(GL_COLOR_BUFFER_BIT);

  controls_next.clear();
  draw_toolbar(static_cast<float>(fb_width));
  widgets::ViewRequests requests;  // the view's own controls (view.h)
  widgets::Frame f;
  f.x = 0;
  f.y = toolbar_height;
  f.width = static_cast<float>(fb_width);
  f.height = std::max(1.0f, static_cast<float>(fb_height) - toolbar_height);
  f.fb_width = static_cast<float>(fb_width);
  f.fb_height = static_cast<float>(fb_height);
  f.scale = static_cast<float>(dpr);
  f.dark = dark;
  f.palette = pal;
  f.wall_dt_s = dt_s;
  f.requests = &requests;
  const double t_draw = wall_ms();
  view->draw(run->scenario(), f);
  cpu_ms += wall_ms() - t_draw;
  cpu.add(cpu_ms * 1000.0);
  for (const auto& c : requests.controls()) note_rect(c.key.c_str(), c.x0, c.y0, c.x1, c.y1);
  controls_json = "{" + controls_next + "}";

  ImGui::Render();
  ui_renderer->render(ImGui::GetDrawData(), fb_width, fb_height);
  item_active = ImGui::IsAnyItemActive();
  apply_pending_releases(this);
  ++frames;
  dirty = false;
  apply_view_requests(requests);  // between frames, never inside the view's draw
  // Keep rendering while the model animates or ImGui has something in motion.
  return (playing && run->scenario().animating()) || io.WantCaptureMouse || ImGui::IsAnyItemActive() ||
         settle_frames-- > 0;
}

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

// [SECTION] C API (exported to the page; see web/scalebook.js)
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
