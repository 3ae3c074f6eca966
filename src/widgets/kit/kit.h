// kit/kit.h — the view kit: what every widget view draws with (Wasm side, ImGui).
//  - col(): a theme colour (render/palette.h) as an ImGui colour, with alpha;
//  - series_colour(): one categorical palette for lanes, strategies and policies, distinct
//    from the verdict colours (good / warn / bad) and readable on both themes;
//  - node_colour(): one categorical palette for a cluster's nodes by identity (twelve hues);
//  - dashed_hline() and dashed_polyline(): dashed strokes (references, ceilings);
//  - thousands(): 12345 → "12,345" for labels;
//  - ring_points() and wire_point(): a cluster drawn as nodes on a circle (n1 at the top,
//    clockwise) and a message's dot on its way from one node to another (the raft and
//    quorum views).
// Charts are widgets/chart.h (time series); samples and tick formatters widgets/samples.h.
#pragma once
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "render/palette.h"
#include "widgets/units.h"

namespace scalebook::widgets::kit {

inline ImU32 col(const render::Rgb& c, float a = 1.0f) {
  return IM_COL32(static_cast<int>(c.r * 255), static_cast<int>(c.g * 255), static_cast<int>(c.b * 255),
                  static_cast<int>(a * 255));
}

// Lane i's colour (cycles after four).
inline render::Rgb series_colour(std::size_t i, bool dark) {
  static const render::Rgb light[4] = {
      {0.15f, 0.39f, 0.92f}, {0.49f, 0.23f, 0.83f}, {0.75f, 0.15f, 0.52f}, {0.05f, 0.52f, 0.58f}};
  static const render::Rgb dark_[4] = {
      {0.45f, 0.65f, 1.00f}, {0.72f, 0.58f, 1.00f}, {0.96f, 0.48f, 0.78f}, {0.30f, 0.80f, 0.85f}};
  return (dark ? dark_ : light)[i % 4];
}

// Node i's identity colour, the one categorical node palette: twelve distinct hues from
// Tableau 10/20 (no pale yellow or light grey, too faint on white), so a node keeps its
// colour across an operation and across side-by-side panels (the sharding view's columns).
inline render::Rgb node_colour(std::size_t column, bool dark) {
  static constexpr render::Rgb kBase[] = {
      {0.306f, 0.475f, 0.655f}, {0.949f, 0.557f, 0.169f}, {0.882f, 0.341f, 0.349f}, {0.463f, 0.718f, 0.698f},
      {0.349f, 0.631f, 0.310f}, {0.690f, 0.478f, 0.631f}, {1.000f, 0.616f, 0.655f}, {0.616f, 0.463f, 0.376f},
      {0.714f, 0.600f, 0.176f}, {0.286f, 0.596f, 0.580f}, {0.827f, 0.447f, 0.584f}, {0.475f, 0.439f, 0.431f}};
  constexpr std::size_t kCount = sizeof kBase / sizeof kBase[0];
  render::Rgb c = kBase[column % kCount];
  // Beyond twelve nodes: the same hues, alternately darker and lighter.
  const std::size_t round = column / kCount;
  float k = round == 0 ? 0.0f : (round % 2 ? -0.28f : 0.3f);
  if (dark) k += 0.12f;  // lift the darker hues off a dark background
  auto adj = [k](float v) { return k >= 0 ? v + (1 - v) * k : v * (1 + k); };
  return {adj(c.r), adj(c.g), adj(c.b)};
}

inline void dashed_hline(ImDrawList* dl, float x0, float x1, float y, ImU32 c, float dash, float thick) {
  for (float x = x0; x < x1; x += 2 * dash) dl->AddLine(ImVec2(x, y), ImVec2(std::min(x + dash, x1), y), c, thick);
}

// A polyline drawn as dashes of `dash` px with gaps of `dash` px, the pattern continuing
// across vertices.
inline void dashed_polyline(ImDrawList* dl, const ImVec2* pts, int n, ImU32 c, float dash, float thick) {
  bool on = true;
  float left = dash;  // length left in the current dash or gap
  for (int i = 1; i < n; ++i) {
    ImVec2 a = pts[i - 1];
    const ImVec2 b = pts[i];
    float seg = std::hypot(b.x - a.x, b.y - a.y);
    while (seg > 0) {
      const float step = std::min(seg, left);
      const float t = step / seg;
      const ImVec2 m(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t);
      if (on) dl->AddLine(a, m, c, thick);
      a = m;
      seg -= step;
      left -= step;
      if (left <= 0) {
        on = !on;
        left = dash;
      }
    }
  }
}

inline std::string thousands(unsigned long long v) { return units::thousands(v); }

// n points on a circle of radius r around centre, the first at the top, then clockwise.
inline std::vector<ImVec2> ring_points(ImVec2 centre, float r, std::size_t n) {
  std::vector<ImVec2> out(n, centre);
  for (std::size_t i = 0; i < n && n > 1; ++i) {
    const float a = -1.5707963f + 6.2831853f * static_cast<float>(i) / static_cast<float>(n);
    out[i] = ImVec2(centre.x + r * std::cos(a), centre.y + r * std::sin(a));
  }
  return out;
}

// Where a message sent at sent_us and due at due_us is at now_us on the line from a to b,
// `offset` px to the right of its direction (so the two directions of a link do not overlap).
inline ImVec2 wire_point(ImVec2 a, ImVec2 b, std::int64_t sent_us, std::int64_t due_us, std::int64_t now_us,
                         float offset) {
  const double span = static_cast<double>(std::max<std::int64_t>(1, due_us - sent_us));
  const float p = static_cast<float>(std::clamp(static_cast<double>(now_us - sent_us) / span, 0.0, 1.0));
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
  return ImVec2(a.x + dx * p - dy / len * offset, a.y + dy * p + dx / len * offset);
}

}  // namespace scalebook::widgets::kit
