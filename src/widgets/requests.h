// requests.h — what a view may ask of its host while it draws: a parameter change
// (an in-canvas control of the view's own, such as the sharding view's "+ node"),
// and the rectangle of that control for the test hook. UI-free: the request queue and
// the rule that applies a request (apply_param_request) are unit-tested natively;
// src/platform/web/host.cpp is the one caller in the bundle.
//
// The host hands a ViewRequests to draw() in Frame::requests, and after the frame
// (never in the middle of the view's draw) applies every set_param() request in order
// exactly as an edit in its in-canvas parameter panel: validated against the schema
// (an invalid value or unknown key is refused and nothing changes; the same value is
// a no-op), the view configure()d again, and the page told through js_param_changed
// (DOM controls, permalink and active preset follow).
#pragma once
#include <string>
#include <utility>
#include <vector>

#include "widgets/catalog.h"
#include "widgets/param_edit.h"
#include "widgets/params.h"

namespace scalebook::widgets {

struct ParamRequest {
  std::string key, value;
};

// A control's rectangle in framebuffer pixels (ImGui::GetItemRectMin/Max of the item).
struct ControlRect {
  std::string key;
  float x0, y0, x1, y1;
};

class ViewRequests {
 public:
  // Asks for parameter `key` to become `value` (text, as in a fence or permalink).
  void set_param(std::string key, std::string value) { params_.push_back({std::move(key), std::move(value)}); }
  // Names the control just drawn for the test hook (state().controls[key], CSS px):
  // browser tests click it by this rectangle. Keys must not clash with the host's
  // ("@playing", parameter names, …): use "<widget>:<control>".
  void note_control(std::string key, float x0, float y0, float x1, float y1) {
    controls_.push_back({std::move(key), x0, y0, x1, y1});
  }
  const std::vector<ParamRequest>& params() const { return params_; }
  const std::vector<ControlRect>& controls() const { return controls_; }

 private:
  std::vector<ParamRequest> params_;
  std::vector<ControlRect> controls_;
};

enum class RequestResult { Applied, Unchanged, Refused };

// One view request through the one parameter path (param_edit.h): Refused (with `error`
// set, params untouched) for an unknown key, an invalid value or a combination the
// widget cannot run; Unchanged when the value is already current; else Applied (then
// the caller reconfigures and tells the page).
inline RequestResult apply_param_request(const WidgetInfo& info, ParamMap& params, const ParamRequest& request,
                                         std::string* error = nullptr) {
  const EditOutcome out = apply_edits(info, params, {{request.key, request.value}});
  if (out.result == EditResult::Refused && error) *error = out.message;
  return out.result == EditResult::Applied     ? RequestResult::Applied
         : out.result == EditResult::Unchanged ? RequestResult::Unchanged
                                               : RequestResult::Refused;
}

}  // namespace scalebook::widgets
