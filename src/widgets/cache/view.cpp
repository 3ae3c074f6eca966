// cache — view: one request stream through one to three caches side by side, OPT as the
// ceiling. Draw-only: the run (lanes, slots, samples, the curve) is scenario.{h,cpp}; the
// policies are src/sim/cache.
//
// Left, one block per policy: its name and hit ratio, a strip of the latest requests
// (a tick per request, newest on the right: tall and green a hit, short and muted a
// miss), and the cache's slots as a grid — a resident key is a tile in the policy's
// colour, a tile flashes green when its key is hit and amber when a new key takes it
// after an eviction, fading over about half a second of playback.
// Right: the hit ratio over the run (each policy's line, OPT dashed) and the hit ratio
// against cache size on a log axis (capacity × 1/8 … 8, the current size marked), both
// over the requests so far.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "widgets/cache/scenario.h"
#include "widgets/chart.h"
#include "widgets/kit/kit.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using cache::CacheScenario;
using cache::Lane;
using kit::col;

void fmt_percent(char* buf, std::size_t n, double v) { std::snprintf(buf, n, "%.0f%%", v); }

// A lane's colour: the kit's palette for the policies, the muted ink for OPT.
ImU32 lane_colour(const CacheScenario& sc, std::size_t i, const Frame& f, float a = 1.0f) {
  if (i >= sc.policy_lanes()) return col(f.palette.muted, a);
  return col(kit::series_colour(i, f.dark), a);
}

class CacheView final : public View {
 public:
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const CacheScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s;
    if (!sc.error().empty()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), sc.error().c_str());
      return;
    }
    const bool wide = f.width >= 560 * s;
    const float left_w = wide ? (f.width - 3 * pad) * 0.5f : f.width - 2 * pad;
    const ImVec2 lmin(f.x + pad, f.y + pad);
    const float lanes_h = wide ? f.height - 2 * pad : (f.height - 3 * pad) * 0.5f;
    draw_lanes(dl, sc, f, lmin, ImVec2(lmin.x + left_w, lmin.y + lanes_h));
    const ImVec2 rmin = wide ? ImVec2(lmin.x + left_w + pad, f.y + pad) : ImVec2(f.x + pad, lmin.y + lanes_h + pad);
    const ImVec2 rmax(f.x + f.width - pad, f.y + f.height - pad);
    const float legend_h = ImGui::GetTextLineHeight() + 6 * s;
    draw_legend(dl, sc, f, rmin, rmax.x);
    const float charts_top = rmin.y + legend_h, half = (rmax.y - charts_top - pad) * 0.5f;
    draw_hit_chart(dl, sc, f, ImVec2(rmin.x, charts_top), ImVec2(rmax.x, charts_top + half));
    draw_curve(dl, sc, f, ImVec2(rmin.x, charts_top + half + pad), rmax);
  }

 private:
  static chart::Style style(const Frame& f) {
    return chart::theme_style(f.palette, f.scale);
  }

  static void draw_legend(ImDrawList* dl, const CacheScenario& sc, const Frame& f, ImVec2 at, float x_max) {
    const chart::Style st = style(f);
    float x = at.x;
    for (std::size_t i = 0; i < sc.lanes().size(); ++i) {
      const bool opt = i >= sc.policy_lanes();
      const char* name = opt ? "OPT (ceiling)" : cache::policy_label(sc.lanes()[i].kind);
      const float w = 18 * f.scale + ImGui::CalcTextSize(name).x + 10 * f.scale;
      if (x + w > x_max && x > at.x) break;
      if (opt) {
        kit::dashed_hline(dl, x, x + 14 * f.scale, at.y + st.label_size * 0.55f, lane_colour(sc, i, f), 4 * f.scale, 2 * f.scale);
        dl->AddText(ImGui::GetFont(), st.label_size, ImVec2(x + 18 * f.scale, at.y), st.text, name);
        x += w;
      } else {
        x = chart::legend_swatch(dl, at, st, lane_colour(sc, i, f), 2.5f, name, st.text);
        at.x = x;
      }
      at.x = x;
    }
  }

  void draw_lanes(ImDrawList* dl, const CacheScenario& sc, const Frame& f, ImVec2 min, ImVec2 max) const {
    const float s = f.scale, line_h = ImGui::GetTextLineHeight(), gap = 8 * s;
    const std::size_t n = sc.lanes().size();
    // The tiles' key, along the bottom.
    const float key_h = line_h + 2 * s;
    {
      const float sq = line_h * 0.6f, ty = max.y - line_h;
      float x = min.x;
      const std::pair<ImU32, const char*> keys[] = {{col(f.palette.good), "hit"},
                                                   {col(f.palette.warn), "new key after an eviction"},
                                                   {lane_colour(sc, 0, f), "resident"}};
      for (const auto& [c, label] : keys) {
        dl->AddRectFilled(ImVec2(x, ty + line_h * 0.2f), ImVec2(x + sq, ty + line_h * 0.2f + sq), c, 2 * s);
        dl->AddText(ImVec2(x + sq + 4 * s, ty), col(f.palette.muted), label);
        x += sq + 4 * s + ImGui::CalcTextSize(label).x + 12 * s;
      }
      max.y -= key_h;
    }
    const float block_h = (max.y - min.y - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
    // A flash lasts for the next capacity / 2 requests (at most 1,000), so about a quarter
    // of a full cache is lit at any moment: enough to see the churn, not a solid block.
    const double flash = std::clamp(static_cast<double>(sc.capacity()) * 0.5, 1.0, 1000.0);
    const auto done = static_cast<std::int64_t>(sc.requests_done());
    char buf[160];
    for (std::size_t i = 0; i < n; ++i) {
      const Lane& lane = sc.lanes()[i];
      const float y0 = min.y + static_cast<float>(i) * (block_h + gap);
      const auto& st = lane.stats();
      const bool opt = i >= sc.policy_lanes();
      std::snprintf(buf, sizeof buf, "%s%s  %.1f%% hits", cache::policy_label(lane.kind), opt ? " (knows the future)" : "",
                    100.0 * st.hit_ratio());
      dl->AddRectFilled(ImVec2(min.x, y0 + line_h * 0.2f), ImVec2(min.x + 4 * s, y0 + line_h * 0.85f), lane_colour(sc, i, f));
      dl->AddText(ImVec2(min.x + 9 * s, y0), col(f.palette.text), buf);
      const std::string evicted = kit::thousands(st.evictions) + " evicted";
      const float ew = ImGui::CalcTextSize(evicted.c_str()).x;
      if (min.x + 9 * s + ImGui::CalcTextSize(buf).x + 12 * s + ew <= max.x)
        dl->AddText(ImVec2(max.x - ew, y0), col(f.palette.muted), evicted.c_str());
      // The request strip.
      const float strip_top = y0 + line_h + 3 * s, strip_h = 10 * s;
      const std::size_t shown = std::min<std::size_t>({cache::kRecent, sc.requests_done(),
                                                       static_cast<std::size_t>((max.x - min.x) / (2 * s))});
      const float tick_w = (max.x - min.x) / static_cast<float>(cache::kRecent);
      for (std::size_t k = 0; k < shown; ++k) {
        const float x = max.x - (static_cast<float>(k) + 1) * tick_w;
        const bool hit = lane.recent_hit(k);
        const float h = hit ? strip_h : strip_h * 0.45f;
        dl->AddRectFilled(ImVec2(x, strip_top + strip_h - h), ImVec2(x + std::max(1.0f, tick_w - 0.6f * s), strip_top + strip_h),
                          hit ? col(f.palette.good) : col(f.palette.muted, 0.55f));
      }
      // The slots.
      const ImVec2 gmin(min.x, strip_top + strip_h + 5 * s), gmax(max.x, y0 + block_h);
      draw_slots(dl, lane, f, lane_colour(sc, i, f), gmin, gmax, done, flash);
      if (lane.slots.size() < sc.capacity()) {
        std::snprintf(buf, sizeof buf, "first %zu of %zu slots", lane.slots.size(), sc.capacity());
        dl->AddText(ImGui::GetFont(), ImGui::GetFontSize() * 0.85f, ImVec2(gmin.x, gmax.y - line_h * 0.85f),
                    col(f.palette.muted), buf);
      }
    }
  }

  static void draw_slots(ImDrawList* dl, const Lane& lane, const Frame& f, ImU32 base, ImVec2 min, ImVec2 max,
                         std::int64_t done, double flash) {
    const std::size_t n = lane.slots.size();
    const float w = max.x - min.x, h = max.y - min.y;
    if (n == 0 || w < 4 || h < 4) return;
    // Columns so that square cells fill the area best.
    std::size_t cols = std::max<std::size_t>(1, static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(n) * w / h))));
    std::size_t rows = (n + cols - 1) / cols;
    while (rows > 1 && static_cast<float>(rows) * (w / static_cast<float>(cols)) > h) {
      ++cols;
      rows = (n + cols - 1) / cols;
    }
    const float cell = std::min(w / static_cast<float>(cols), h / static_cast<float>(rows));
    const float inset = cell > 6 * f.scale ? std::max(1.0f, cell * 0.12f) : 0.0f;
    const ImU32 empty = col(f.palette.muted, 0.14f);
    for (std::size_t k = 0; k < n; ++k) {
      const cache::Slot& slot = lane.slots[k];
      const float x = min.x + static_cast<float>(k % cols) * cell, y = min.y + static_cast<float>(k / cols) * cell;
      ImU32 c = empty;
      if (slot.filled) {
        c = base;
        const double since_hit = slot.last_hit >= 0 ? static_cast<double>(done - slot.last_hit) : 1e18;
        const double since_arrival = static_cast<double>(done - slot.arrived);
        if (since_hit < flash) c = col(f.palette.good, 1.0f - 0.6f * static_cast<float>(since_hit / flash));
        else if (slot.replaced && since_arrival < flash)
          c = col(f.palette.warn, 1.0f - 0.6f * static_cast<float>(since_arrival / flash));
        else if (since_arrival < flash) c = (base & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 150);
      }
      dl->AddRectFilled(ImVec2(x + inset, y + inset), ImVec2(x + cell - inset, y + cell - inset), c, cell > 8 * f.scale ? 2 * f.scale : 0);
    }
  }

  static void draw_hit_chart(ImDrawList* dl, const CacheScenario& sc, const Frame& f, ImVec2 min, ImVec2 max) {
    std::vector<chart::Series> series;
    for (std::size_t i = 0; i < sc.lanes().size(); ++i) {
      const bool opt = i >= sc.policy_lanes();
      series.push_back({.samples = &sc.lanes()[i].hit_samples, .colour = lane_colour(sc, i, f), .thickness = opt ? 1.5f : 2.0f,
                        .dashed = opt});
    }
    chart::Chart c;
    c.min = min;
    c.max = max;
    c.title = "Hit ratio over the run";
    c.period_s = sc.sample_period_s();
    c.x_max_s = static_cast<double>(sc.duration_us()) * 1e-6;
    c.now_s = static_cast<double>(sc.time_us()) * 1e-6;
    c.y_max = 100;
    c.y_format = fmt_percent;
    chart::draw_chart(dl, style(f), c, series);
  }

  // Hit ratio against cache size (log x), over the requests so far.
  static void draw_curve(ImDrawList* dl, const CacheScenario& sc, const Frame& f, ImVec2 min, ImVec2 max) {
    const chart::Style st = style(f);
    const float s = f.scale, fs = ImGui::GetFontSize(), ls = st.label_size;
    ImFont* font = ImGui::GetFont();
    dl->AddText(font, fs, min, st.text, "Hit ratio by cache size (items)");
    const float label_w = font->CalcTextSizeA(ls, 1e9f, 0, "100%").x;
    const chart::PlotRect plot{ImVec2(min.x + label_w + 5 * s, min.y + fs + 6 * s), ImVec2(max.x - 8 * s, max.y - ls - 3 * s)};
    if (plot.width() < 20 * s || plot.height() < 20 * s) return;
    const auto& sizes = sc.sizes();
    const double lo = std::log10(static_cast<double>(sizes.front())), hi = std::log10(static_cast<double>(sizes.back()));
    const double span = std::max(1e-9, hi - lo);
    auto x_of = [&](double size) { return plot.min.x + static_cast<float>((std::log10(size) - lo) / span) * plot.width(); };
    auto y_of = [&](double pct) { return plot.max.y - static_cast<float>(pct / 100.0) * plot.height(); };
    char buf[32];
    for (int v = 0; v <= 100; v += 25) {
      const float y = std::round(y_of(v));
      if (v > 0) dl->AddLine(ImVec2(plot.min.x, y), ImVec2(plot.max.x, y), st.grid, 1 * s);
      fmt_percent(buf, sizeof buf, v);
      const float w = font->CalcTextSizeA(ls, 1e9f, 0, buf).x;
      dl->AddText(font, ls, ImVec2(plot.min.x - 4 * s - w, std::clamp(y - ls * 0.5f, min.y + fs, plot.max.y - ls * 0.5f)), st.muted, buf);
    }
    float last_right = -1e9f;
    for (std::size_t k = 0; k < sizes.size(); ++k) {
      const float x = std::round(x_of(static_cast<double>(sizes[k])));
      chart::fmt_plain(buf, sizeof buf, static_cast<double>(sizes[k]));
      const float w = font->CalcTextSizeA(ls, 1e9f, 0, buf).x;
      const float lx = std::clamp(x - w * 0.5f, plot.min.x - w * 0.5f, max.x - w);
      dl->AddLine(ImVec2(x, plot.max.y), ImVec2(x, plot.max.y + 3 * s), st.muted, 1 * s);
      if (lx > last_right + 4 * s) {
        dl->AddText(font, ls, ImVec2(lx, plot.max.y + 2 * s), sizes[k] == sc.capacity() ? st.text : st.muted, buf);
        last_right = lx + w;
      }
    }
    dl->AddLine(ImVec2(plot.min.x, plot.max.y), ImVec2(plot.max.x, plot.max.y), st.muted, 1 * s);
    dl->AddLine(ImVec2(plot.min.x, plot.min.y), ImVec2(plot.min.x, plot.max.y), st.muted, 1 * s);
    if (sc.capacity() >= sizes.front() && sc.capacity() <= sizes.back()) {  // this cache's size
      const float x = std::round(x_of(static_cast<double>(sc.capacity())));
      dl->AddLine(ImVec2(x, plot.min.y), ImVec2(x, plot.max.y), st.cursor, 1 * s);
    }
    if (sc.requests_done() == 0) return;
    std::vector<ImVec2> pts;
    for (std::size_t l = 0; l < sc.lanes().size(); ++l) {
      pts.clear();
      for (std::size_t k = 0; k < sizes.size(); ++k)
        pts.emplace_back(x_of(static_cast<double>(sizes[k])), y_of(100.0 * sc.curve_hit_ratio(l, k)));
      const bool opt = l >= sc.policy_lanes();
      const ImU32 c = lane_colour(sc, l, f);
      if (opt) kit::dashed_polyline(dl, pts.data(), static_cast<int>(pts.size()), c, 5 * s, 1.5f * s);
      else dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), c, ImDrawFlags_None, 2 * s);
      for (const ImVec2& p : pts) dl->AddCircleFilled(p, (opt ? 2.0f : 2.8f) * s, c);
    }
  }
};

}  // namespace

std::unique_ptr<View> make_cache_view() { return std::make_unique<CacheView>(); }

}  // namespace scalebook::widgets
