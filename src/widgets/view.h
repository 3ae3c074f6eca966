// view.h — what a widget's view implements (Wasm side; see docs/adding-a-widget.md).
//
// A widget is a Scenario (scenario.h: the model, UI-free, native too) plus a View that
// only draws a `const Scenario&` and turns clicks into requests. The platform layer
// (src/platform/web) owns everything shared: canvas, GL context, ImGui context, input,
// DPR, theme, the play/pause/step/reset/speed/seed toolbar, the schema-generated
// parameter panel, frame scheduling, the per-view CPU timing and the page API; a Run
// (run.h) owns the scenario's parameters, seed and actions. Order of calls:
//   gl_init()                — GL resources (again after context loss/restore)
//   per frame: draw(scenario, frame) after the run advanced
//   gl_release()             — before the GL context goes away
// A view may keep drawing state (eased positions, a texture cache, a particle stream) but
// no model state: delete a view and the CLI, the digest tests and the summary still work.
//
// A view never changes parameters or the run itself. An in-canvas control asks the host
// during draw() through Frame::requests (src/widgets/requests.h):
//   if (ImGui::Button("+ node") && f.requests) f.requests->set_param("node_count", "6");
//   if (f.requests) f.requests->note_control("sharding:add-node", min.x, min.y, max.x, max.y);
// After the frame the host applies the request through the one parameter path
// (param_edit.h), exactly like an edit in the parameter panel. Such a control is an
// addition: the DOM controls remain the keyboard path.
//
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "render/palette.h"
#include "widgets/params.h"
#include "widgets/requests.h"

namespace scalebook::widgets {

struct Frame {
  float x = 0, y = 0;            // drawing area origin in framebuffer pixels (below the toolbar)
  float width = 0, height = 0;   // drawing area size in framebuffer pixels
  float fb_width = 0, fb_height = 0;  // whole framebuffer
  float scale = 1;               // device pixel ratio (UI sizes are multiplied by it)
  bool dark = false;
  render::Palette palette{};
  double wall_dt_s = 0;          // real seconds since the previous frame (for easing only)
  // Parameter changes and control rects for the host (see above); valid during draw()
  // only. Null when no host listens (then draw no controls that would need it).
  ViewRequests* requests = nullptr;
};

class Scenario;

class View {
 public:
  virtual ~View() = default;
  virtual void draw(const Scenario& scenario, const Frame& frame) = 0;  // GL first (background), then ImGui
  virtual void gl_init() {}
  virtual void gl_release() {}
  // The view's own counters for benchmarks (particle uploads, …) as a JSON object: not
  // part of the digest. The host adds its CPU time per frame (sb_perf).
  virtual std::string perf_json() const { return "{}"; }
};

// Weak: a catalog entry whose view is not written yet still links, and the page then shows
// "widget 'x' has no view in this bundle" in that widget's box.
#define SCALEBOOK_WIDGET(ident, name) [[gnu::weak]] std::unique_ptr<View> make_##ident##_view();
#include "widgets/catalog.def"
#undef SCALEBOOK_WIDGET

// The views for a catalog name, or nullptr (views.cpp).
std::unique_ptr<View> make_view(const std::string& name);

}  // namespace scalebook::widgets
