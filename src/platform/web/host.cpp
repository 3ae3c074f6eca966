// host.cpp — one widget on the page: its lifecycle (the platform layer: with input.cpp the
// only Emscripten-aware code). One WidgetHost per <scalebook-widget>: its canvas, WebGL2
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
//  [x] The reader's actions in the canvas toolbar too (generated from the schema, Run::act)
//
// The host by concern (this file is the lifecycle):
//   host.cpp            GL context, configure and edit, play/step, one frame
//   host_style.cpp      font atlas at the page's DPR, the light/dark ImGui style
//   host_toolbar.cpp    the shared toolbar, parameter panel, actions, scrubber, presets
//   host_api.cpp        the C API the page calls (sb_*) and the calls back into the page
//   host_test_hook.cpp  sb_state() and sb_perf() JSON
#include "platform/web/host.h"

#include <GLES3/gl3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>

#include <algorithm>

#include "render/imgui_renderer.h"
#include "widgets/param_edit.h"

namespace scalebook::platform {

namespace {
double wall_ms() { return emscripten_get_now(); }
}  // namespace

void WidgetHost::make_current() {
  ImGui::SetCurrentContext(imgui);
  if (gl) emscripten_webgl_make_context_current(gl);
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
    set_last_error("the widget's UI shaders did not compile");
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
      for (const auto& [k, v] : edits) page_param_changed(handle, k == "preset" ? "@preset" : k.c_str(), v.c_str());
  }
  return out;
}

// A story preset is a parameter change: defaults, then the preset's values; seed,
// speed and play state stay. The page re-reads every parameter on "@preset".
void WidgetHost::apply_preset(const widgets::PresetSpec& preset) { edit({{"preset", std::string(preset.id)}}, false); }

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
  page_param_changed(handle, "@playing", on ? "true" : "false");
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

}  // namespace scalebook::platform
