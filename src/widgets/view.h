// view.h — what a widget view implements (Wasm side; see docs/adding-a-widget.md).
//
// The platform layer (src/platform/web) owns everything shared: canvas, GL
// context, ImGui context, input, DPR, theme, the play/pause/step/reset/speed/seed
// toolbar, the schema-generated parameter panel, frame scheduling and the page
// API. A view owns one model and draws it. Order of calls:
//   configure(params, seed)  — (re)build the model; also on reset and param change
//   gl_init()                — GL resources (again after context loss/restore)
//   per frame: advance(dt_us) while playing, then draw(frame)
//   gl_release()             — before the GL context goes away
// advance() must not depend on how time is split: advance(a); advance(b) must
// equal advance(a + b) (permalinks replay a run to its time in one call).
//
// A view never changes its own parameters. To offer an in-canvas control of its own
// (the sharding view's "+ node"), it asks the host during draw() through
// Frame::requests (src/widgets/requests.h):
//   if (ImGui::Button("+ node") && f.requests) f.requests->set_param("node_count", "6");
//   if (f.requests) f.requests->note_control("sharding:add-node", min.x, min.y, max.x, max.y);
// After the frame the host applies the request as if the reader had made that edit in
// the parameter panel: validated against the schema (invalid: refused, nothing
// changes), configure() called again, the page told (DOM controls, permalink, active
// preset). Such a control is an addition: the DOM controls remain the keyboard path.
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

class WidgetView {
 public:
  virtual ~WidgetView() = default;
  virtual void configure(const ParamMap& params, std::uint64_t seed) = 0;
  virtual void advance(std::int64_t dt_us) = 0;
  virtual void draw(const Frame& frame) = 0;  // GL first (background), then ImGui calls
  virtual std::int64_t sim_time_us() const = 0;
  // One or two sentences for the live region: what is happening now, in numbers.
  virtual std::string summary() const = 0;
  // The model's state as a JSON object (test hook and permalink digest).
  virtual std::string state_json() const = 0;
  // False when nothing would change without input (then no frames are rendered).
  virtual bool animating() const { return true; }
  // Simulated microseconds per real second at speed 1.
  virtual double sim_us_per_s() const { return 1e6; }
  virtual void gl_init() {}
  virtual void gl_release() {}
};

// Weak: a catalog entry whose view is not written yet still links; the page then
// shows "widget 'x' has no view in this bundle" in that widget's box.
#define SCALEBOOK_WIDGET(ident, name) [[gnu::weak]] std::unique_ptr<WidgetView> make_##ident##_view();
#include "widgets/catalog.def"
#undef SCALEBOOK_WIDGET

// Creates the view for a catalog name, or nullptr.
std::unique_ptr<WidgetView> make_view(const std::string& name);

}  // namespace scalebook::widgets
