// sharding — one panel's layout and drawing (all but the hash circle, view_ring.cpp):
// the header (strategy, node count, the moved-keys readout against the ideal), the node
// columns' baseline, count labels, mean line, labels and hover, the trails behind keys in
// flight (the dots themselves are particles, view.cpp), the hot keys, the requests per
// node, and the footer's balance metrics. Draw-only (view_draw.h).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "widgets/sharding/view_draw.h"

namespace scalebook::widgets::sharding::draw {

namespace {

const char* strategy_blurb(sh::Strategy s) {
  switch (s) {
    case sh::Strategy::ModN: return "hash(key) mod N";
    case sh::Strategy::Ring: return "consistent-hash ring";
    case sh::Strategy::Ketama: return "libmemcached ketama";
    case sh::Strategy::Rendezvous: return "highest random weight";
    case sh::Strategy::Jump: return "jump consistent hash";
    case sh::Strategy::Maglev: return "Maglev lookup table";
    case sh::Strategy::Range: return "key ranges";
    case sh::Strategy::Directory: return "lookup directory";
    case sh::Strategy::Bounded: return "ring, bounded loads";
  }
  return "";
}

}  // namespace

Layout layout(const Frame& f, const ShardingScenario& sc, const Lane& lane, float x, float y, float w, float h,
              bool buttons) {
  const sh::Rebalance& run = lane.run;
  Layout l{};
  const float s = f.scale;
  l.x = x;
  l.y = y;
  l.w = w;
  l.h = h;
  l.line = ImGui::GetTextLineHeight();
  l.header_y = y + 6 * s;
  if (buttons) {
    // The node buttons share the first header line with the strategy's name (never covering it).
    const float name_w = ImGui::CalcTextSize(std::string(sh::strategy_name(run.strategy)).c_str()).x;
    for (l.labels = 0; l.labels < 2; ++l.labels)
      if (name_w + 8 * s + node_buttons_width(s, l.labels) <= w) break;
    l.buttons_w = node_buttons_width(s, l.labels);
  }
  const float header_h = 3 * l.line + 12 * s;
  const float footer_h = (sc.skew() > 0 ? 2 : 1) * l.line + 8 * s;
  l.footer_y = y + h - footer_h + 2 * s;
  const float body_top = y + header_h, body_bottom = y + h - footer_h;
  const float body_h = std::max(40.0f, body_bottom - body_top);
  // The circle gets what the columns leave: each column wants ~32 CSS px for its count label.
  const float cols_w = 32 * s * static_cast<float>(run.columns.size());
  const float fit_r = (w - cols_w - 30 * s) * 0.5f;
  l.ring = body_h >= 90 * s && fit_r >= 45 * s;
  if (l.ring) {
    l.radius = std::max(24.0f * s, std::min({body_h * 0.5f - 8 * s, w * 0.19f, fit_r}));
    l.cx = x + l.radius + 8 * s;
    l.cy = body_top + body_h * 0.5f;
    l.bins_x = l.cx + l.radius + 22 * s;
  } else {
    l.bins_x = x;
  }
  l.bins_w = std::max(10.0f, x + w - l.bins_x);
  l.requests = sc.skew() > 0;
  const float req_h = l.requests ? 2 * l.line + 22 * s : 0;  // caption, share labels, bars
  l.dots_top = body_top + l.line + 4 * s;  // room for the count above the tallest column
  l.labels_y = body_bottom - l.line - req_h;
  l.dots_bottom = l.labels_y - 4 * s;
  l.req_top = l.labels_y + 2 * l.line + 4 * s;
  l.req_bottom = body_bottom - 2 * s;
  const float cols = static_cast<float>(run.columns.size());
  l.col_w = l.bins_w / cols;
  l.gap = std::max(2 * s, l.col_w * 0.22f);
  const float inner = std::max(1.0f, l.col_w - l.gap), dots_h = std::max(1.0f, l.dots_bottom - l.dots_top);
  // The largest dot pitch at which the tallest column fits.
  l.pitch = 1.0f * s;
  for (float p = 7.0f * s; p >= 1.0f * s; p -= 0.25f * s) {
    const auto per_row = static_cast<std::uint32_t>(std::max(1.0f, std::floor(inner / p)));
    const auto rows = static_cast<std::uint32_t>(std::floor(dots_h / p));
    if (per_row * rows >= lane.slots.max_count) {
      l.pitch = p;
      break;
    }
  }
  l.per_row = static_cast<std::uint32_t>(std::max(1.0f, std::floor(inner / l.pitch)));
  l.dot_px = std::max(1.0f, l.pitch * 0.78f);
  return l;
}

namespace {

std::string ideal_text(const ShardingScenario& sc, const sh::Rebalance& run) {
  const std::size_t n = run.nodes_before.size();
  const unsigned long long k = run.moves.keys;
  const unsigned long long ideal = static_cast<unsigned long long>(std::llround(run.moves.ideal_fraction * static_cast<double>(k)));
  char buf[160];
  if (sc.equal_weights() && sc.operation().op == sh::Operation::AddNode)
    std::snprintf(buf, sizeof buf, "ideal K/(N+1) = %s/%zu = %s", thousands(k).c_str(), n + 1, thousands(ideal).c_str());
  else if (sc.equal_weights() && sc.operation().op == sh::Operation::RemoveNode)
    std::snprintf(buf, sizeof buf, "ideal K/N = %s/%zu = %s", thousands(k).c_str(), n, thousands(ideal).c_str());
  else
    std::snprintf(buf, sizeof buf, "ideal %s keys (%.1f%%)", thousands(ideal).c_str(), 100.0 * run.moves.ideal_fraction);
  return buf;
}

}  // namespace

void draw_panel(ImDrawList* dl, const Frame& f, const ShardingScenario& sc, const Lane& lane, const Layout& l) {
  const sh::Rebalance& run = lane.run;
  const float s = f.scale;
  const double t = sc.clock_s();
  const bool after = sc.applied();
  const ImU32 text = u32(f.palette.text), muted = u32(f.palette.muted);
  char buf[320];

  // -- Header: strategy, node count, the moved-keys readout and the ideal.
  const std::string name(sh::strategy_name(run.strategy));
  dl->AddText(ImVec2(l.x, l.header_y), text, name.c_str());
  const float name_w = ImGui::CalcTextSize(name.c_str()).x;
  std::snprintf(buf, sizeof buf, "  %s", strategy_blurb(run.strategy));
  if (run.strategy == sh::Strategy::Ring || run.strategy == sh::Strategy::Bounded)
    std::snprintf(buf, sizeof buf, "  %s, %u vnodes", strategy_blurb(run.strategy), sc.vnodes());
  const float title_w = name_w + ImGui::CalcTextSize(buf).x;
  // Left of the node buttons (if this panel has them), where "N → N+1 nodes" then goes
  // before the blurb: it is what the buttons change.
  const float right_w = l.buttons_w > 0 ? l.w - l.buttons_w - 8 * s : l.w;
  char nodes[64];
  std::snprintf(nodes, sizeof nodes, "%zu \xE2\x86\x92 %zu nodes", run.nodes_before.size(), run.nodes_after.size());
  const float nodes_w = ImGui::CalcTextSize(nodes).x;
  const bool show_nodes = l.buttons_w > 0 ? name_w + nodes_w + 12 * s <= right_w : title_w + nodes_w + 12 * s <= right_w;
  if (title_w + (show_nodes ? nodes_w + 12 * s : 0) <= right_w) dl->AddText(ImVec2(l.x + name_w, l.header_y), muted, buf);
  if (show_nodes) dl->AddText(ImVec2(l.x + right_w - nodes_w, l.header_y), muted, nodes);

  const ColumnProgress progress = sc.progress(lane, t);
  const std::vector<std::uint32_t>& now = progress.now;
  const std::size_t departed = progress.departed;
  const float line2 = l.header_y + l.line + 2 * s, line3 = line2 + l.line;
  const std::string op(sh::operation_name(sc.operation().op));
  const std::string changed = run.changed_column != sh::kNoColumn ? column_label(run.changed_column) : run.changed_node;
  if (!after) {
    const double in = kOperationAtS - t;
    if (sc.operation().op == sh::Operation::AddNode)
      std::snprintf(buf, sizeof buf, "adding node %s in %.1f s", changed.c_str(), in);
    else if (sc.operation().op == sh::Operation::RemoveNode)
      std::snprintf(buf, sizeof buf, "removing node %s in %.1f s", changed.c_str(), in);
    else
      std::snprintf(buf, sizeof buf, "%s %s in %.1f s", op.c_str(), changed.c_str(), in);
    dl->AddText(ImVec2(l.x, line2), text, buf);
  } else {
    // Counts up as the drawn movers leave; exact once they have all landed.
    const double frac = lane.slots.moved ? static_cast<double>(departed) / static_cast<double>(lane.slots.moved) : 1.0;
    const auto shown = t >= kLandedS ? run.moves.moved
                                     : static_cast<unsigned long long>(std::llround(frac * static_cast<double>(run.moves.moved)));
    const double ratio = run.moves.ideal_fraction > 0 ? run.moves.moved_fraction / run.moves.ideal_fraction : 1.0;
    const render::Rgb tone = ratio <= 1.5 ? f.palette.good : ratio <= 2.0 ? f.palette.warn : f.palette.bad;
    std::snprintf(buf, sizeof buf, t >= kLandedS ? "moved %s" : "moving %s", thousands(shown).c_str());
    dl->AddText(ImVec2(l.x, line2), u32(tone), buf);
    const float w1 = ImGui::CalcTextSize(buf).x;
    // The longest form that fits the panel (narrow screens drop the total, then the count).
    char rest[3][96];
    std::snprintf(rest[0], sizeof rest[0], t >= kLandedS ? " of %s keys (%.1f%%)" : " of %s keys\xE2\x80\xA6",
                  thousands(run.moves.keys).c_str(), 100.0 * run.moves.moved_fraction);
    std::snprintf(rest[1], sizeof rest[1], t >= kLandedS ? " (%.1f%%)" : "\xE2\x80\xA6", 100.0 * run.moves.moved_fraction);
    rest[2][0] = '\0';
    for (const char* r : {rest[0], rest[1], rest[2]})
      if (w1 + ImGui::CalcTextSize(r).x <= l.w || !*r) {
        dl->AddText(ImVec2(l.x + w1, line2), text, r);
        break;
      }
  }
  {
    std::string ideal = ideal_text(sc, run);
    if (ImGui::CalcTextSize(ideal.c_str()).x > l.w) {
      std::snprintf(buf, sizeof buf, "ideal %.1f%%", 100.0 * run.moves.ideal_fraction);
      ideal = buf;
    }
    dl->AddText(ImVec2(l.x, line3), muted, ideal.c_str());
  }

  // -- The hash circle: each node's arcs (ring family), keys at their hash, coloured by owner.
  if (l.ring) draw_ring(dl, f, sc, lane, l, t);

  // -- Columns: dots are particles; here the baseline, counts, labels, mean line, trails.
  const auto& load_b = run.load_before;
  const auto& load_a = run.load_after;
  const float base_y = l.dots_bottom + 1.5f * s;
  dl->AddLine(ImVec2(l.bins_x, base_y), ImVec2(l.bins_x + l.bins_w, base_y), u32(f.palette.muted, 0.6f), s);
  // Mean line (under the count labels): keys per node on average, on the dots' scale.
  {
    const std::size_t nodes = after ? run.nodes_after.size() : run.nodes_before.size();
    const double mean = static_cast<double>(run.from.size()) / static_cast<double>(nodes);
    const float my = l.dots_bottom - l.pitch * static_cast<float>(mean / l.per_row);
    for (float x = l.bins_x; x < l.bins_x + l.bins_w; x += 8 * s)
      dl->AddLine(ImVec2(x, my), ImVec2(std::min(x + 4 * s, l.bins_x + l.bins_w), my), u32(f.palette.text, 0.45f), s);
  }
  const float max_label_w = l.col_w - 2 * s;
  for (std::size_t c = 0; c < run.columns.size(); ++c) {
    const float cx = l.bins_x + l.col_w * (static_cast<float>(c) + 0.5f);
    const std::uint32_t nb = run.node_before[c], na = run.node_after[c];
    const bool gone = after && na == sh::kNoColumn;
    const bool coming = !after && nb == sh::kNoColumn;
    // Keys held: the full count (not just the drawn sample), easing from before to after as movers land.
    const double kb = nb != sh::kNoColumn ? static_cast<double>(load_b.keys[nb]) : 0.0;
    const double ka = na != sh::kNoColumn ? static_cast<double>(load_a.keys[na]) : 0.0;
    double held = after ? ka : kb;
    if (after && t < kLandedS && lane.slots.count_after[c] != lane.slots.count_before[c]) {
      const double u = (static_cast<double>(now[c]) - lane.slots.count_before[c]) /
                       (static_cast<double>(lane.slots.count_after[c]) - lane.slots.count_before[c]);
      held = kb + (ka - kb) * std::clamp(u, 0.0, 1.0);
    }
    const float top = l.dots_bottom - stack_h(l, now[c]);
    const std::string count = thousands(static_cast<unsigned long long>(std::llround(held)));
    std::string shown = count;
    if (ImGui::CalcTextSize(shown.c_str()).x > max_label_w) {
      std::snprintf(buf, sizeof buf, "%.1fk", held / 1000.0);
      shown = buf;
    }
    if (ImGui::CalcTextSize(shown.c_str()).x <= max_label_w + l.gap && !(coming || gone)) {
      const ImVec2 ts = ImGui::CalcTextSize(shown.c_str());
      const ImVec2 at(cx - ts.x * 0.5f, top - ts.y - 2 * s);
      dl->AddRectFilled(ImVec2(at.x - 2 * s, at.y), ImVec2(at.x + ts.x + 2 * s, at.y + ts.y), u32(f.palette.background, 0.8f), 2 * s);
      dl->AddText(at, text, shown.c_str());
    }
    // Placeholder for the node about to join; the column of the node that left.
    const ImVec2 p0(l.bins_x + l.col_w * static_cast<float>(c) + l.gap * 0.5f, l.dots_top);
    const ImVec2 p1(p0.x + l.col_w - l.gap, l.dots_bottom);
    if (coming || (nb == sh::kNoColumn && t < kLandedS))
      dl->AddRect(p0, p1, u32(kit::node_colour(c, f.dark), 0.55f), 3 * s, 0, s);
    if (!after && static_cast<std::uint32_t>(c) == run.changed_column && sc.operation().op == sh::Operation::RemoveNode)
      dl->AddRect(ImVec2(p0.x, top - 3 * s), ImVec2(p1.x, p1.y + 2 * s), u32(f.palette.bad, 0.8f), 3 * s, 0, 1.5f * s);
    // Label: a swatch and the node's name (n1, n2, …); struck through once it has left.
    std::string label = column_label(c);
    if (ImGui::CalcTextSize(label.c_str()).x + 10 * s > l.col_w) label = std::to_string(c + 1);
    const ImVec2 ls = ImGui::CalcTextSize(label.c_str());
    const bool swatch = ls.x + 10 * s <= l.col_w;
    const float lx = cx - (ls.x + (swatch ? 9 * s : 0)) * 0.5f;
    if (swatch)
      dl->AddRectFilled(ImVec2(lx, l.labels_y + l.line * 0.5f - 3.5f * s), ImVec2(lx + 7 * s, l.labels_y + l.line * 0.5f + 3.5f * s),
                        u32(kit::node_colour(c, f.dark)), 1.5f * s);
    const float tx = lx + (swatch ? 9 * s : 0);
    dl->AddText(ImVec2(tx, l.labels_y), gone ? muted : text, label.c_str());
    if (gone) dl->AddLine(ImVec2(tx - 1 * s, l.labels_y + l.line * 0.55f), ImVec2(tx + ls.x + 1 * s, l.labels_y + l.line * 0.55f), text, s);
    // Hover: the node's full name and load.
    if (ImGui::IsMouseHoveringRect(ImVec2(p0.x, l.dots_top), ImVec2(p1.x, l.labels_y + l.line), false)) {
      const auto& load = after ? load_a : load_b;
      const std::uint32_t ni = after ? na : nb;
      if (ni != sh::kNoColumn)
        ImGui::SetTooltip("%s %s\n%s keys (%.1f%%)\n%.1f%% of requests", column_label(c).c_str(), run.columns[c].c_str(),
                          thousands(load.keys[ni]).c_str(), 100.0 * static_cast<double>(load.keys[ni]) / static_cast<double>(run.moves.keys ? run.moves.keys : 1),
                          100.0 * load.request_share[ni]);
      else
        ImGui::SetTooltip("%s %s\n%s", column_label(c).c_str(), run.columns[c].c_str(), after ? "removed" : "not yet added");
    }
  }
  // Trails behind keys in flight (the particles are the heads).
  // At most ~160 trails: with mod-N nearly every key flies, and a trail each is a smear.
  if (after && t < kLandedS) {
    const std::size_t every = lane.slots.moved / 160 + 1;
    std::size_t mover = 0;
    for (std::size_t k = 0; k < run.from.size(); ++k) {
      if (run.from[k] == run.to[k]) continue;
      if (mover++ % every) continue;
      const double u = (t - lane.depart[k]) / kFlightS;
      if (u <= 0 || u >= 1) continue;
      const ImVec2 a = slot_pos(l, run.from[k], lane.slots.slot_from[k]), b = slot_pos(l, run.to[k], lane.slots.slot_to[k]);
      const float bend = bend_for(a, b);
      const float u1 = static_cast<float>(u), u0 = std::max(0.0f, u1 - 0.16f);
      ImVec2 prev = path_point(a, b, bend, u0);
      for (int i = 1; i <= 4; ++i) {
        const ImVec2 p = path_point(a, b, bend, u0 + (u1 - u0) * static_cast<float>(i) / 4.0f);
        dl->AddLine(prev, p, u32(kit::node_colour(run.to[k], f.dark), 0.07f * static_cast<float>(i)), 1.0f * s);
        prev = p;
      }
    }
  }
  // Hot keys: a ring round the hottest drawn keys, the hottest labelled with its share.
  for (std::size_t k = 0; k < sc.hot_count() && k < run.from.size(); ++k) {
    const ImVec2 p = key_pos(lane, l, k, t);
    dl->AddCircle(p, l.dot_px * 0.9f + 1.5f * s, u32(f.palette.bad), 12, 1.5f * s);
    if (k == 0 && !l.ring) {  // with the circle shown, the label goes inside it (draw_ring)
      std::snprintf(buf, sizeof buf, "hot key %.0f%%", 100.0 * sc.hottest_share());
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      float tx = p.x + l.dot_px + 4 * s;
      if (tx + ts.x > l.x + l.w) tx = p.x - l.dot_px - 4 * s - ts.x;
      const float ty = std::max(l.dots_top - l.line, p.y - l.line * 1.6f);
      dl->AddRectFilled(ImVec2(tx - 2 * s, ty), ImVec2(tx + ts.x + 2 * s, ty + ts.y), u32(f.palette.background, 0.85f), 2 * s);
      dl->AddText(ImVec2(tx, ty), u32(f.palette.bad), buf);
    }
  }
  // Requests per node (hot-key scenario): share of requests, bar against the busiest.
  if (l.requests) {
    const auto& load = after ? load_a : load_b;
    double max_share = 1e-12;
    for (double v : load.request_share) max_share = std::max(max_share, v);
    dl->AddText(ImVec2(l.bins_x, l.labels_y + l.line + 2 * s), muted, "share of requests");
    // Bars up to (height − a line), so every share label fits above its bar.
    const float rh = std::max(4 * s, l.req_bottom - l.req_top - l.line);
    for (std::size_t c = 0; c < run.columns.size(); ++c) {
      const std::uint32_t ni = after ? run.node_after[c] : run.node_before[c];
      if (ni == sh::kNoColumn) continue;
      const double share = load.request_share[ni];
      const float x0 = l.bins_x + l.col_w * static_cast<float>(c) + l.gap * 0.5f, x1 = x0 + l.col_w - l.gap;
      const float bh = static_cast<float>(share / max_share) * rh;
      dl->AddRectFilled(ImVec2(x0, l.req_bottom - bh), ImVec2(x1, l.req_bottom), u32(kit::node_colour(c, f.dark), 0.85f), 1.5f * s);
      std::snprintf(buf, sizeof buf, "%.0f%%", 100.0 * share);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      if (ts.x <= x1 - x0 + l.gap)
        dl->AddText(ImVec2((x0 + x1 - ts.x) * 0.5f, l.req_bottom - bh - ts.y - 1 * s),
                    share >= max_share * 0.999 ? text : muted, buf);
    }
  }

  // -- Footer: balance metrics (after the operation: the new placement).
  const auto& load = after ? load_a : load_b;
  const double per_dot = static_cast<double>(run.moves.keys) / static_cast<double>(std::max<std::size_t>(1, run.from.size()));
  std::vector<std::string> parts;
  std::snprintf(buf, sizeof buf, "keys max/mean %.2f", load.keys_max_over_mean);
  parts.emplace_back(buf);
  std::snprintf(buf, sizeof buf, "CV %.3f", load.keys_cv);
  parts.emplace_back(buf);
  if (per_dot > 1.05) {
    std::snprintf(buf, sizeof buf, "1 dot \xE2\x89\x88 %.0f keys", per_dot);
    parts.emplace_back(buf);
  }
  std::snprintf(buf, sizeof buf, "lookup %.1f steps", load.mean_lookup_steps);
  parts.emplace_back(buf);
  std::vector<std::string> parts2;
  if (sc.skew() > 0) {
    std::snprintf(buf, sizeof buf, "requests max/mean %.2f", load.requests_max_over_mean);
    parts2.emplace_back(buf);
    std::snprintf(buf, sizeof buf, "CV %.3f", load.requests_cv);
    parts2.emplace_back(buf);
  }
  float fy = l.footer_y;
  auto flow = [&](const std::vector<std::string>& items, float y, ImU32 col) {
    float x = l.x;
    const std::string sep = "  \xC2\xB7  ";
    const float sep_w = ImGui::CalcTextSize(sep.c_str()).x;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const float w = ImGui::CalcTextSize(items[i].c_str()).x;
      if (i && x + sep_w + w > l.x + l.w) break;  // what does not fit is dropped, never clipped mid-word
      if (i) {
        dl->AddText(ImVec2(x, y), muted, sep.c_str());
        x += sep_w;
      }
      dl->AddText(ImVec2(x, y), col, items[i].c_str());
      x += w;
    }
  };
  flow(parts, fy, text);
  if (!parts2.empty()) flow(parts2, fy + l.line, text);
}

}  // namespace scalebook::widgets::sharding::draw
