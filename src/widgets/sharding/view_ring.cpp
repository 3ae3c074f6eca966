// sharding — the hash circle of one panel: each node's arcs (its virtual nodes; ring,
// bounded and ketama), the sampled keys just inside the band at their hash, coloured by
// owner (a mover takes its new owner's colour when it leaves), the hot keys ringed, and in
// the middle what the circle is (or the hottest key's share). Draw-only (view_draw.h).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "widgets/sharding/view_draw.h"

namespace scalebook::widgets::sharding::draw {
namespace {

constexpr std::size_t kMaxRingKeys = 360;  // keys drawn on the circle (of the sample)

// An arc end as an angle: the circle's start and end exactly as the arcs were always
// closed (at 12 o'clock), every other end at its point's position.
float arc_angle(double u) {
  const float top = -kPi / 2;
  if (u == 0.0) return top;
  if (u == 1.0) return top + 2 * kPi;
  return circle_angle(u);
}

}  // namespace

void draw_ring(ImDrawList* dl, const Frame& f, const ShardingScenario& sc, const Lane& lane, const Layout& l, double t) {
  const sh::Rebalance& run = lane.run;
  const float s = f.scale;
  const bool after = t >= kOperationAtS;
  const auto& arcs = after ? run.arcs_after : run.arcs_before;
  const ImVec2 c(l.cx, l.cy);
  const float band = l.radius, width = 5 * s;
  if (arcs.empty()) {
    dl->AddCircle(c, band, u32(f.palette.muted, 0.6f), 96, 1.5f * s);
  } else {
    // New arcs fade in while the keys fly.
    const float grow = static_cast<float>(std::clamp((t - kOperationAtS) / (kLandedS - kOperationAtS), 0.0, 1.0));
    for (const sh::CircleArc& arc : arcs) {
      const float a0 = arc_angle(arc.u0), a1 = arc_angle(arc.u1);
      const bool fresh = after && run.node_before[arc.column] == sh::kNoColumn;
      const int segs = std::max(1, static_cast<int>((a1 - a0) / (2 * kPi) * 128));
      dl->PathArcTo(c, band, a0, a1, segs);
      dl->PathStroke(u32(kit::node_colour(arc.column, f.dark), fresh ? 0.25f + 0.75f * grow : 1.0f), 0, width);
    }
  }
  // Keys (a sample) just inside the band, at their hash; moved keys turn to the new owner's colour when they leave.
  const std::size_t shown = std::min(kMaxRingKeys, run.from.size());
  for (std::size_t k = 0; k < shown; ++k) {
    const bool moved = run.from[k] != run.to[k];
    const bool left = moved && t >= lane.depart[k];
    const bool flying = left && t < kLandedS;  // flagged while the keys fly, then plain again
    const float rr = band - width - (3 + 7 * static_cast<float>(k % 5) / 4.0f) * s;
    const float angle = circle_angle(run.position[k]);
    const ImVec2 p(l.cx + std::cos(angle) * rr, l.cy + std::sin(angle) * rr);
    const std::uint32_t col = left ? run.to[k] : run.from[k];
    dl->AddCircleFilled(p, (flying ? 2.2f : 1.6f) * s, u32(kit::node_colour(col, f.dark)), 8);
    if (flying) dl->AddCircle(p, 3.4f * s, u32(f.palette.text, 0.35f), 10, 0.8f * s);
  }
  // Hot keys: ringed; the hottest labelled inside the circle with a leader line.
  for (std::size_t k = 0; k < sc.hot_count() && k < shown; ++k) {
    const float rr = band - width - (3 + 7 * static_cast<float>(k % 5) / 4.0f) * s;  // as drawn above
    const float angle = circle_angle(run.position[k]);
    const ImVec2 p(l.cx + std::cos(angle) * rr, l.cy + std::sin(angle) * rr);
    dl->AddCircle(p, 4.5f * s, u32(f.palette.bad), 12, 1.5f * s);
    if (k) continue;
    // The label sits in the middle of the circle (instead of the circle's name), a leader line to the key.
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.0f%% of requests", 100.0 * sc.hottest_share());
    const char* title = "hot key";
    if (ImGui::CalcTextSize(pct).x > (band - width - 12 * s) * 1.5f)  // small circle: the number only
      std::snprintf(pct, sizeof pct, "%.0f%%", 100.0 * sc.hottest_share());
    const ImVec2 t1 = ImGui::CalcTextSize(title), t2 = ImGui::CalcTextSize(pct);
    dl->AddText(ImVec2(l.cx - t1.x * 0.5f, l.cy - t1.y), u32(f.palette.bad), title);
    dl->AddText(ImVec2(l.cx - t2.x * 0.5f, l.cy), u32(f.palette.bad), pct);
    const float dx = std::cos(angle), dy = std::sin(angle);
    const float start = std::min(rr - 8 * s, std::max(t2.x * 0.5f, t1.y) + 6 * s);
    dl->AddLine(ImVec2(l.cx + dx * start, l.cy + dy * start), ImVec2(p.x - dx * 5 * s, p.y - dy * 5 * s),
                u32(f.palette.bad, 0.8f), 1.2f * s);
  }
  if (sc.hot_count() > 0) return;
  // Centre: what the circle is. Keys sit at their hash for every strategy; only the
  // ring family owns arcs of it, the others scatter a node's keys all round.
  const std::size_t nodes = after ? run.nodes_after.size() : run.nodes_before.size();
  const char* what = "no ring:";
  char buf[64];
  switch (run.strategy) {
    case sh::Strategy::Ring:
    case sh::Strategy::Bounded:
      what = "hash ring";
      std::snprintf(buf, sizeof buf, "%zu \xC3\x97 %u points", nodes, sc.vnodes());
      break;
    case sh::Strategy::Ketama:
      what = "ketama ring";
      std::snprintf(buf, sizeof buf, "%zu points", after ? run.ketama_points_after : run.ketama_points_before);
      break;
    case sh::Strategy::ModN: std::snprintf(buf, sizeof buf, "hash mod %zu", nodes); break;
    case sh::Strategy::Jump: std::snprintf(buf, sizeof buf, "jump(key, %zu)", nodes); break;
    case sh::Strategy::Rendezvous: std::snprintf(buf, sizeof buf, "%s", "top score"); break;
    case sh::Strategy::Maglev: std::snprintf(buf, sizeof buf, "%s", "table lookup"); break;
    case sh::Strategy::Range: std::snprintf(buf, sizeof buf, "%s", "key ranges"); break;
    case sh::Strategy::Directory: std::snprintf(buf, sizeof buf, "%s", "directory"); break;
  }
  const ImVec2 a = ImGui::CalcTextSize(what), b = ImGui::CalcTextSize(buf);
  if (std::max(a.x, b.x) < band * 1.5f) {
    dl->AddText(ImVec2(l.cx - a.x * 0.5f, l.cy - a.y), u32(f.palette.muted), what);
    dl->AddText(ImVec2(l.cx - b.x * 0.5f, l.cy), u32(f.palette.muted), buf);
  }
}


}  // namespace scalebook::widgets::sharding::draw
