// sharding/view_draw.h — the sharding view's drawing pieces (Wasm only; ImGui), shared by
// view.cpp (the View: panels, particles, node buttons), view_panel.cpp (a panel's layout,
// header, columns and footer) and view_ring.cpp (the hash circle). Draw-only: everything
// drawn is a function of the scenario (scenario.h), the frame and the time.
#pragma once
#include <imgui.h>

#include <algorithm>
#include <cstdint>
#include <string>

#include "render/palette.h"
#include "widgets/kit/kit.h"
#include "widgets/sharding/scenario.h"
#include "widgets/view.h"

namespace scalebook::widgets::sharding::draw {

inline constexpr float kPi = 3.14159265358979f;

// Layout of one panel (framebuffer px): header lines, the hash circle on the left (if
// there is room), the node columns on the right, a footer.
struct Layout {
  float x, y, w, h, line;
  float header_y, footer_y;
  bool ring;
  float cx, cy, radius;
  float bins_x, bins_w, col_w, gap, pitch, dot_px;
  std::uint32_t per_row;
  float dots_top, dots_bottom, labels_y;
  bool requests;
  float buttons_w;  // the "− node" / "+ node" buttons at the header's right (0: none in this panel)
  int labels;       // 0: "− node" "+ node"; narrower panels 1: "− nodes +"; 2: "− +"
  float req_top, req_bottom;
};

inline ImU32 u32(render::Rgb c, float alpha = 1.0f) {
  return ImGui::ColorConvertFloat4ToU32(ImVec4(c.r, c.g, c.b, alpha));
}
inline std::string column_label(std::size_t c) { return "n" + std::to_string(c + 1); }

// A fraction of the hash circle as an angle: 0 at 12 o'clock, clockwise.
inline float circle_angle(double unit) { return static_cast<float>(unit * 2.0 * kPi - kPi / 2); }

// The particle path of shaders/particles.vert (quadratic Bézier, smoothstep), for trails.
inline ImVec2 path_point(ImVec2 a, ImVec2 b, float bend, float u) {
  const float v = std::clamp(u, 0.0f, 1.0f), s = v * v * (3 - 2 * v);
  const ImVec2 chord(b.x - a.x, b.y - a.y);
  const ImVec2 c(0.5f * (a.x + b.x) + chord.y * bend, 0.5f * (a.y + b.y) - chord.x * bend);
  const float r = 1 - s;
  return ImVec2(r * r * a.x + 2 * r * s * c.x + s * s * b.x, r * r * a.y + 2 * r * s * c.y + s * s * b.y);
}
inline float bend_for(ImVec2 a, ImVec2 b) { return b.x >= a.x ? 0.22f : -0.22f; }  // always bow upwards

// Centre of slot `slot` of column `column`'s stack of dots.
inline ImVec2 slot_pos(const Layout& l, std::uint32_t column, std::uint32_t slot) {
  const std::uint32_t row = slot / l.per_row, col = slot % l.per_row;
  const float inner = l.col_w - l.gap;
  const float x0 = l.bins_x + l.col_w * static_cast<float>(column) + l.gap * 0.5f +
                   (inner - l.pitch * static_cast<float>(l.per_row)) * 0.5f;
  return ImVec2(x0 + (static_cast<float>(col) + 0.5f) * l.pitch, l.dots_bottom - (static_cast<float>(row) + 0.5f) * l.pitch);
}
// Height (framebuffer px) of a stack of `count` dots.
inline float stack_h(const Layout& l, std::uint32_t count) {
  return l.pitch * static_cast<float>((count + l.per_row - 1) / l.per_row);
}
// Where sampled key k of a lane is at time t.
inline ImVec2 key_pos(const Lane& lane, const Layout& l, std::size_t k, double t) {
  const auto& r = lane.run;
  const ImVec2 a = slot_pos(l, r.from[k], lane.slots.slot_from[k]);
  if (r.from[k] == r.to[k]) return a;
  const ImVec2 b = slot_pos(l, r.to[k], lane.slots.slot_to[k]);
  const float u = static_cast<float>((t - lane.depart[k]) / kFlightS);
  if (u <= 0) return a;
  if (u >= 1) return b;
  return path_point(a, b, bend_for(a, b), u);
}

// The node buttons' labels and widths (view.cpp draws them; layout() makes room).
inline constexpr const char* kAddLabel = "+ node";
inline constexpr const char* kRemoveLabel = "\xE2\x88\x92 node";  // U+2212 minus
inline float button_w(float s, const char* label) {
  return std::max(ImGui::CalcTextSize(label).x + 12 * s, ImGui::GetTextLineHeight() + 8 * s);
}
// Narrower panels: "[−] nodes [+]" (the word between the buttons), then "[−] [+]".
inline float node_buttons_width(float s, int labels) {
  if (labels == 0) return button_w(s, kAddLabel) + button_w(s, kRemoveLabel) + 4 * s;
  const float bare = button_w(s, "+") + button_w(s, "\xE2\x88\x92") + 4 * s;
  return labels == 1 ? bare + ImGui::CalcTextSize("nodes").x + 4 * s : bare;
}

// view_panel.cpp
Layout layout(const Frame& f, const ShardingScenario& sc, const Lane& lane, float x, float y, float w, float h,
              bool buttons);
void draw_panel(ImDrawList* dl, const Frame& f, const ShardingScenario& sc, const Lane& lane, const Layout& l);
// view_ring.cpp: the hash circle with each node's arcs (ring family) and the sampled keys at their hash.
void draw_ring(ImDrawList* dl, const Frame& f, const ShardingScenario& sc, const Lane& lane, const Layout& l, double t);

}  // namespace scalebook::widgets::sharding::draw
