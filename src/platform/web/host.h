// host.h — one widget on the page: canvas, GL context, ImGui context, controls, view.
// Implemented by concern: host.cpp (lifecycle), host_style.cpp, host_toolbar.cpp,
// host_api.cpp (the C API and the calls into the page), host_test_hook.cpp, input.cpp.
#pragma once
#include <emscripten/html5.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "widgets/catalog.h"
#include "widgets/params.h"
#include "widgets/run.h"
#include "widgets/view.h"

struct ImGuiContext;
namespace scalebook::render { class ImGuiRenderer; }
struct ImGuiIO;

namespace scalebook::platform {

struct WidgetHost {
  int handle = 0;
  std::string name;
  std::string selector;  // "#sb-canvas-N"
  const widgets::WidgetInfo* info = nullptr;
  const widgets::PresetSpec* active_preset = nullptr;  // the preset params equal exactly (configure())
  std::unique_ptr<widgets::Run> run;    // the scenario, its params, seed and actions (widgets/run.h)
  std::unique_ptr<widgets::View> view;  // draws run->scenario() (widgets/view.h)
  // CPU time per frame spent in the run (advance) and the view (draw), µs: sb_perf.
  struct CpuTimes {
    float samples[240] = {};
    std::size_t n = 0;
    void add(double us) { samples[n++ % 240] = static_cast<float>(us); }
  } cpu;
  std::int64_t max_time_us = 0;  // the furthest simulated time this run reached (scrubber range)

  ImGuiContext* imgui = nullptr;
  EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
  std::unique_ptr<render::ImGuiRenderer> ui_renderer;  // per GL context (src/render/imgui_renderer.h)
  bool gl_ready = false;

  int fb_width = 640, fb_height = 360;  // backing store pixels
  double dpr = 1.0, font_dpr = 0.0;
  bool dark = false;

  bool playing = true;
  double speed = 1.0;
  double carry_us = 0;  // fractional simulated µs carried between frames
  double last_ms = 0;
  bool show_params = false;
  bool show_actions = false;  // the toolbar's actions rows (widgets with ActionSpecs)
  std::map<std::string, std::vector<std::string>> action_args;  // the toolbar's argument values per action
  std::string action_status;  // "Add a wave at 1.20 s", or why the last action was refused
  float toolbar_height = 0;
  std::uint64_t frames = 0;
  bool dirty = true;
  int settle_frames = 2;  // extra frames after input so hover/release states settle

  // input state
  bool mouse_down[3] = {false, false, false};
  // ImGui 1.86 samples io.MouseDown once per frame: a press and release between two
  // frames would be lost (a quick tap). The release waits for the frame that saw the press.
  bool press_unseen[3] = {false, false, false};
  bool release_pending[3] = {false, false, false};
  bool input_bound = false;
  // The same for keys (a key pressed and released between two frames): bit 0 = pressed
  // and not yet seen by a frame, bit 1 = released while unseen.
  unsigned char key_flags[512] = {};
  // Modifiers follow the same rule: Ctrl released before a frame saw Ctrl+C must still be
  // down in that frame, or the shortcut is lost (a fast Ctrl+C is all one input burst).
  bool keys_unseen = false;     // a key went down since the last frame
  bool mods_pending = false;    // modifier state to apply after the next frame
  bool pending_mods[4] = {};    // ctrl, shift, alt, super
  bool engaged = false;
  bool item_active = false;  // an ImGui item was active at the end of the last frame (test hook)  // the reader clicked or focused the widget: wheel goes to it
  std::string clipboard;

  void make_current();
  void rebuild_fonts_and_style();
  void apply_style();
  bool create_gl();
  void release_gl(bool context_lost);
  void configure();   // params or seed changed: time back to 0 (the action log kept)
  // Applies edits through the one parameter path (widgets/param_edit.h); on Applied
  // reconfigures. `tell_page`: report each applied key to the page (in-canvas edits).
  widgets::EditOutcome edit(const widgets::ParamEdits& edits, bool tell_page);
  void set_playing(bool on);
  void step_once();
  bool frame(double now_ms);
  void draw_toolbar(float width);
  void draw_param(const widgets::ParamSpec& p);
  void draw_presets();
  void draw_scrubber();  // the time slider (Run::seek)
  void draw_actions();   // one row per action: its arguments and a button (Run::act)
  void take_action(const widgets::ActionSpec& a);
  void apply_preset(const widgets::PresetSpec& preset);
  void note_rect(const char* key);  // records the last item's rect for the test hook
  void note_rect(const char* key, float x0, float y0, float x1, float y1);  // framebuffer px
  void apply_view_requests(const widgets::ViewRequests& requests);  // after a frame (view.h)
  std::string state_json() const;
  std::string digest() const { return run ? run->digest() : std::string(); }  // widgets/run.h
  std::string perf_json() const;

  // CSS-pixel rectangles of the in-canvas controls, "key" → {x, y, w, h} (test hook:
  // browser tests tap and drag real controls instead of guessing coordinates).
  std::string controls_json;
  std::string controls_next;
};

WidgetHost* find_host(int handle);

// host_api.cpp: calls into the page (web/loader/20-runtime.js). `key` is a parameter name,
// or "@playing", "@speed", "@seed", "@reset", "@preset", "@action" (value: the status line).
void page_param_changed(int handle, const char* key, const char* value);
void page_share(int handle);                 // the toolbar's Share button
void set_last_error(std::string message);    // what sb_last_error() returns next

// input.cpp
void init_keymap(ImGuiIO& io);
void bind_input(WidgetHost* h);    // no-op when already bound
void unbind_input(WidgetHost* h);  // no-op when not bound
void release_pointer(WidgetHost* h);  // forget a pointer capture held by h (destroy)
// After a frame: applies releases that arrived in the same frame as their press.
void apply_pending_releases(WidgetHost* h);

}  // namespace scalebook::platform
