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

// The view factory, guarded: catalog entries without a view link as null (view.h).
std::unique_ptr<scalebook::widgets::WidgetView> make_view_checked(const std::string& name) {
  using namespace scalebook::widgets;
#define SCALEBOOK_WIDGET(ident, wname) \
  if (name == wname) return make_##ident##_view ? make_##ident##_view() : nullptr;
#include "widgets/catalog.def"
#undef SCALEBOOK_WIDGET
  return nullptr;
}

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
  if (view) view->configure(params, seed);
  active_preset = info ? widgets::active_preset(*info, params) : nullptr;
  carry_us = 0;
  dirty = true;
}

// A story preset is a parameter change: defaults, then the preset's values; seed,
// speed and play state stay. The page re-reads every parameter on "@preset".
void WidgetHost::apply_preset(const widgets::PresetSpec& preset) {
  params = widgets::preset_params(*info, preset);
  configure();
}

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
  std::uint64_t s = seed;
  if (ImGui::InputScalar("seed", ImGuiDataType_U64, &s, nullptr, nullptr, "%llu", ImGuiInputTextFlags_EnterReturnsTrue) &&
      s != seed && s <= kMaxSeed) {
    seed = s;
    configure();
    js_param_changed(handle, "@seed", std::to_string(seed).c_str());
  }
  note_rect("@seed");
  same_line_if_fits(label_width("parameters", ImGui::GetFrameHeight()));
  ImGui::Checkbox("parameters", &show_params);
  note_rect("@parameters");
  same_line_if_fits(button_width("Share"));
  if (ImGui::Button("Share")) js_share(handle);
  note_rect("@share");
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
  std::string& value = params[key];
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
  if (next != value && widgets::validate_param(p, next).empty()) {
    value = next;
    configure();
    js_param_changed(handle, key.c_str(), value.c_str());
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
// after the frame exactly as an edit in the parameter panel (draw_param): validated,
// reconfigured, the page told. A refused request changes nothing (a console warning).
void WidgetHost::apply_view_requests(const widgets::ViewRequests& requests) {
  for (const auto& r : requests.params()) {
    std::string error;
    switch (widgets::apply_param_request(*info, params, r, &error)) {
      case widgets::RequestResult::Refused:
        emscripten_log(EM_LOG_CONSOLE | EM_LOG_WARN, "widget '%s': view request refused: %s", name.c_str(), error.c_str());
        break;
      case widgets::RequestResult::Unchanged:
        break;
      case widgets::RequestResult::Applied:
        configure();
        js_param_changed(handle, r.key.c_str(), r.value.c_str());
        settle_frames = std::max(settle_frames, 2);
        break;
    }
  }
}

void WidgetHost::set_playing(bool on) {
  playing = on;
  dirty = true;
  js_param_changed(handle, "@playing", on ? "true" : "false");
}

void WidgetHost::step_once() {
  if (!view) return;
  // One step = 1/30 s of simulated time at speed 1.
  view->advance(static_cast<std::int64_t>(view->sim_us_per_s() / 30.0));
  dirty = true;
}

bool WidgetHost::frame(double now_ms) {
  if (!gl_ready || !view) return false;
  make_current();
  double dt_s = last_ms > 0 ? (now_ms - last_ms) / 1000.0 : 1.0 / 60.0;
  last_ms = now_ms;
  if (dt_s <= 0) dt_s = 1e-4;
  if (dt_s > 0.1) dt_s = 0.1;  // clamp after a pause or a background tab

  if (playing) {
    const double us = dt_s * speed * view->sim_us_per_s() + carry_us;
    const auto whole = static_cast<std::int64_t>(us);
    carry_us = us - static_cast<double>(whole);
    if (whole > 0) view->advance(whole);
  }

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
  view->draw(f);
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
  return (playing && view->animating()) || io.WantCaptureMouse || ImGui::IsAnyItemActive() || settle_frames-- > 0;
}

std::string WidgetHost::state_json() const {
  char sp[32];
  std::snprintf(sp, sizeof sp, "%.17g", speed);
  std::string s = "{\"widget\":\"" + name + "\",\"handle\":" + std::to_string(handle) +
                  ",\"frames\":" + std::to_string(frames) + ",\"playing\":" + (playing ? "true" : "false") +
                  ",\"speed\":" + sp + ",\"seed\":" + std::to_string(seed) +
                  ",\"sim_time_us\":" + std::to_string(view ? view->sim_time_us() : 0) + ",\"gl\":" +
                  (gl_ready ? "true" : "false") + ",\"dpr\":" + std::to_string(dpr) +
                  ",\"fb\":[" + std::to_string(fb_width) + "," + std::to_string(fb_height) + "],\"dark\":" +
                  (dark ? "true" : "false") + ",\"mouse_down\":" +
                  (mouse_down[0] || mouse_down[1] || mouse_down[2] ? "true" : "false") + ",\"item_active\":" +
                  (item_active ? "true" : "false") + ",\"digest\":\"" + digest() + "\",\"preset\":" +
                  (active_preset ? "\"" + std::string(active_preset->id) + "\"" : std::string("null")) + ",\"params\":{";
  bool first = true;
  for (const auto& [k, v] : params) {
    if (!first) s += ',';
    first = false;
    util::append_json_string(s, k);
    s += ':';
    util::append_json_string(s, v);
  }
  s += "},\"controls\":" + (controls_json.empty() ? std::string("{}") : controls_json) +
       ",\"model\":" + (view ? view->state_json() : std::string("null")) + "}";
  return s;
}

// Identifies a run's state: two runs with the same digest show the same thing. Over the
// inputs (params, seed) and the outputs (simulated time, the model's state JSON); not
// over frames, speed or play state, which do not change what the model is.
std::string WidgetHost::digest() const {
  std::uint64_t hsh = 1469598103934665603ull;
  auto mix = [&hsh](const std::string& text) {
    for (unsigned char c : text) {
      hsh ^= c;
      hsh *= 1099511628211ull;
    }
    hsh ^= 0xff;  // field separator
    hsh *= 1099511628211ull;
  };
  mix(name);
  for (const auto& [k, v] : params) mix(k + "=" + v);
  mix(std::to_string(seed));
  mix(std::to_string(view ? view->sim_time_us() : 0));
  mix(view ? view->state_json() : std::string());
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hsh));
  return buf;
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
  auto view = scalebook::platform::make_view_checked(name);
  if (!view) {
    g_last_error = std::string("widget '") + name + "' has no view in this bundle";
    return 0;
  }
  auto* h = new WidgetHost();
  g_last_error.clear();
  h->handle = g_next_handle++;
  h->name = name;
  h->selector = selector;
  h->info = info;
  h->params = scalebook::widgets::default_params(*info);
  h->view = std::move(view);
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

// Sets one parameter (validated against the schema). Returns 0, or 1 with sb_last_error().
EMSCRIPTEN_KEEPALIVE int sb_set_param(int handle, const char* key, const char* value) {
  auto* h = find_host(handle);
  if (!h) return 1;
  const auto* p = scalebook::widgets::find_param(*h->info, key);
  if (!p) {
    g_last_error = std::string("unknown parameter '") + key + "' (known: " + scalebook::widgets::param_names(*h->info) + ")";
    return 1;
  }
  std::string msg = scalebook::widgets::validate_param(*p, value);
  if (!msg.empty()) {
    g_last_error = std::string("parameter '") + key + "': " + msg;
    return 1;
  }
  h->make_current();
  h->params[key] = value;
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
    h->seed = static_cast<std::uint64_t>(seed);
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
  if (auto* h = find_host(handle)) h->speed = std::clamp(speed, 0.1, 10.0);
}
// Replays the run from its start to `sim_us` (permalinks). Deterministic: same params,
// seed and time give the same state.
EMSCRIPTEN_KEEPALIVE void sb_seek(int handle, double sim_us) {
  if (auto* h = find_host(handle)) {
    h->configure();
    if (h->view && sim_us > 0) h->view->advance(static_cast<std::int64_t>(sim_us));
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
  g_return = h && h->view ? h->view->summary() : "";
  return g_return.c_str();
}
// Off-screen: free the GL context (Chromium keeps ~16 live ones per page).
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
