// chart.h — small time-series charts for widget views (ImGui draw lists; Wasm side).
//
// The samples and the number formatters are UI-free (widgets/samples.h: a Scenario keeps
// its chart series there and a view draws them as they are). Here:
//  - draw_chart(): a titled line chart in a cell rectangle: y axis from 0 to a
//    nice ceiling of the largest sample (or a caller-given maximum, so several
//    charts can share one scale), 1-2-5 tick steps with unit-aware labels,
//    horizontal grid, time axis in seconds, optional dashed reference line with a
//    label (a target), a "now" cursor, an event marker (a triangle on the time
//    axis and a faint line), and one polyline per series (clipped). Or a log y
//    axis (decades, from `y_log_min`) for values spanning orders of magnitude.
// Sizes are CSS pixels × `scale` (the device pixel ratio). Colours come from the
// caller (theme palette). No allocation per frame beyond ImGui's own buffers.
// Not done: negative values, hover read-out, legends (the caller draws them;
// legend_swatch() helps).
#pragma once
#include <imgui.h>

#include "widgets/kit/kit.h"
#include "widgets/samples.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <vector>

namespace scalebook::widgets::chart {

// A "nice" step (1, 2 or 5 × 10^k) so that [0, hi] has at most `max_ticks` intervals.
inline double nice_step(double hi, int max_ticks) {
  if (!(hi > 0)) return 1;
  const double raw = hi / std::max(1, max_ticks);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (m * mag >= raw * (1 - 1e-9)) return m * mag;
  return 10 * mag;
}
// The smallest multiple of the nice step >= hi (the axis maximum).
inline double nice_max(double hi, int max_ticks) {
  const double step = nice_step(hi, max_ticks);
  return std::max(step, std::ceil(hi / step - 1e-9) * step);
}

struct Series {
  const SampleRing* samples = nullptr;
  ImU32 colour = 0;
  float thickness = 2;  // CSS px
  bool dashed = false;  // a ceiling or a reference series
};

struct Style {
  float scale = 1;            // device pixel ratio
  ImU32 text = 0, muted = 0, grid = 0, reference = 0, cursor = 0;
  float label_size = 0;       // px (already × scale); 0 = the current font size
};

struct Chart {
  ImVec2 min, max;            // the whole cell, framebuffer px
  const char* title = "";     // top-left, e.g. "Backlog (inserts queued)"
  float title_max_w = 0;      // clip the title to this width (0: no limit), e.g. to leave room for values
  double period_s = 0.1;      // seconds between samples (sample k at k × period)
  double x_max_s = 10;        // time axis 0 … x_max_s
  double now_s = -1;          // cursor (< 0: none)
  double y_max = 0;           // axis maximum; 0 = nice_max of the largest sample
  double y_min_span = 1;      // the axis covers at least 0 … this
  Format y_format = fmt_plain;
  double reference = -1;      // dashed line at this y (< 0: none)
  const char* reference_label = nullptr;
  double marker_s = -1;       // an event at this time: triangle on the axis + faint line (< 0: none)
  ImU32 marker_colour = 0;
  bool y_log = false;         // log axis from y_log_min to y_max (decades)
  double y_log_min = 0.01;
};

// The chart style of the page theme: text and muted ink, a faint grid, labels at 0.9 of
// the font size (the cache, stampede and load-balancing views draw with it).
inline Style theme_style(const render::Palette& p, float scale) {
  Style st;
  st.scale = scale;
  st.text = kit::col(p.text);
  st.muted = kit::col(p.muted);
  st.grid = kit::col(p.muted, 0.22f);
  st.reference = kit::col(p.muted, 0.8f);
  st.cursor = kit::col(p.text, 0.45f);
  st.label_size = ImGui::GetFontSize() * 0.9f;
  return st;
}

// The axis maximum draw_chart would choose for these series (to share it between charts).
inline double auto_y_max(std::span<const Series> series, double y_min_span, double reference = -1, bool log = false) {
  double hi = std::max(y_min_span, reference > 0 ? reference * (log ? 2.0 : 1.15) : 0.0);
  for (const auto& s : series)
    if (s.samples) hi = std::max(hi, static_cast<double>(s.samples->max()));
  if (log) return std::pow(10.0, std::ceil(std::log10(hi) - 1e-9));
  return nice_max(hi, 4);
}

using kit::dashed_hline;

// A short coloured line + label; returns the x after it.
inline float legend_swatch(ImDrawList* dl, ImVec2 at, const Style& st, ImU32 colour, float thickness, const char* label,
                           ImU32 text) {
  ImFont* font = ImGui::GetFont();
  const float fs = st.label_size > 0 ? st.label_size : ImGui::GetFontSize();
  const float mid = at.y + fs * 0.55f;
  dl->AddLine(ImVec2(at.x, mid), ImVec2(at.x + 14 * st.scale, mid), colour, thickness * st.scale);
  const float tx = at.x + 18 * st.scale;
  dl->AddText(font, fs, ImVec2(tx, at.y), text, label);
  return tx + font->CalcTextSizeA(fs, 1e9f, 0, label).x + 10 * st.scale;
}

// Draws the chart; returns the plot rectangle (inside the axes).
struct PlotRect {
  ImVec2 min, max;
  float width() const { return max.x - min.x; }
  float height() const { return max.y - min.y; }
};

inline PlotRect draw_chart(ImDrawList* dl, const Style& st, const Chart& c, std::span<const Series> series) {
  ImFont* font = ImGui::GetFont();
  const float fs = ImGui::GetFontSize();
  const float ls = st.label_size > 0 ? st.label_size : fs;
  const float s = st.scale;
  const double y_max = c.y_max > 0 ? c.y_max : auto_y_max(series, c.y_min_span, c.reference, c.y_log);
  const double step = nice_step(y_max, 4);
  const double log_lo = std::log10(c.y_log_min), log_hi = std::log10(std::max(y_max, c.y_log_min * 10));
  // Tick values: 0, step, 2·step … or the decades of a log axis.
  double ticks[16];
  int n_ticks = 0;
  if (c.y_log) {
    for (double e = std::ceil(log_lo - 1e-9); e <= log_hi + 1e-9 && n_ticks < 16; e += 1) ticks[n_ticks++] = std::pow(10.0, e);
  } else {
    for (double v = 0; v <= y_max * (1 + 1e-9) && n_ticks < 16; v += step) ticks[n_ticks++] = v;
  }
  char buf[48];
  if (c.title_max_w > 0) dl->PushClipRect(c.min, ImVec2(c.min.x + c.title_max_w, c.min.y + fs * 1.3f), true);
  dl->AddText(font, fs, c.min, st.text, c.title);
  if (c.title_max_w > 0) dl->PopClipRect();

  // Y tick labels decide the left margin.
  float label_w = 0;
  for (int i = 0; i < n_ticks; ++i) {
    c.y_format(buf, sizeof buf, ticks[i]);
    label_w = std::max(label_w, font->CalcTextSizeA(ls, 1e9f, 0, buf).x);
  }
  const PlotRect plot{ImVec2(c.min.x + label_w + 5 * s, c.min.y + fs + 6 * s), ImVec2(c.max.x - 4 * s, c.max.y - ls - 3 * s)};
  if (plot.width() < 10 * s || plot.height() < 10 * s) return plot;
  auto y_of = [&](double v) {
    if (c.y_log)
      return plot.max.y - static_cast<float>((std::log10(std::max(v, c.y_log_min)) - log_lo) / (log_hi - log_lo)) * plot.height();
    return plot.max.y - static_cast<float>(v / y_max) * plot.height();
  };
  const double x_span = std::max(1e-9, c.x_max_s);
  auto x_of = [&](double t) { return plot.min.x + static_cast<float>(t / x_span) * plot.width(); };

  for (int i = 0; i < n_ticks; ++i) {
    const double v = ticks[i];
    const float y = std::round(y_of(v));
    if (y < plot.max.y - 0.5f) dl->AddLine(ImVec2(plot.min.x, y), ImVec2(plot.max.x, y), st.grid, 1 * s);
    c.y_format(buf, sizeof buf, v);
    const float w = font->CalcTextSizeA(ls, 1e9f, 0, buf).x;
    dl->AddText(font, ls, ImVec2(plot.min.x - 4 * s - w, std::clamp(y - ls * 0.5f, c.min.y + fs, plot.max.y - ls * 0.5f)),
                st.muted, buf);
  }
  // Time axis: seconds, at most ~one label per 48 px.
  const int max_x_ticks = std::max(1, static_cast<int>(plot.width() / (48 * s)));
  const double xs = nice_step(x_span, max_x_ticks);
  for (double t = 0; t <= x_span * (1 + 1e-9); t += xs) {
    const float x = std::round(x_of(t));
    dl->AddLine(ImVec2(x, plot.max.y), ImVec2(x, plot.max.y + 3 * s), st.muted, 1 * s);
    std::snprintf(buf, sizeof buf, "%g s", t);
    const float w = font->CalcTextSizeA(ls, 1e9f, 0, buf).x;
    const float lx = std::clamp(x - w * 0.5f, plot.min.x - w * 0.5f, c.max.x - w);
    dl->AddText(font, ls, ImVec2(lx, plot.max.y + 2 * s), st.muted, buf);
  }
  dl->AddLine(ImVec2(plot.min.x, plot.max.y), ImVec2(plot.max.x, plot.max.y), st.muted, 1 * s);
  dl->AddLine(ImVec2(plot.min.x, plot.min.y), ImVec2(plot.min.x, plot.max.y), st.muted, 1 * s);

  // Clipped at the zero axis, which is drawn again over the series: a stroke centred on a
  // zero value must not show below the axis (every series here is a count or a time).
  dl->PushClipRect(ImVec2(plot.min.x, plot.min.y - 2 * s), ImVec2(plot.max.x + 1, plot.max.y), true);
  if (c.reference >= 0 && c.reference <= y_max) {
    const float y = std::round(y_of(c.reference));
    dashed_hline(dl, plot.min.x, plot.max.x, y, st.reference, 5 * s, 1.5f * s);
    if (c.reference_label) {
      const float w = font->CalcTextSizeA(ls, 1e9f, 0, c.reference_label).x;
      const float ty = y - ls - 1 * s >= plot.min.y ? y - ls - 1 * s : y + 2 * s;
      dl->AddText(font, ls, ImVec2(plot.max.x - w - 2 * s, ty), st.reference, c.reference_label);
    }
  }
  if (c.marker_s >= 0 && c.marker_s <= x_span) {
    const float x = std::round(x_of(c.marker_s));
    dl->AddLine(ImVec2(x, plot.min.y), ImVec2(x, plot.max.y), (c.marker_colour & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 70), 1 * s);
  }
  if (c.now_s >= 0 && c.now_s <= x_span) {
    const float x = std::round(x_of(c.now_s));
    dl->AddLine(ImVec2(x, plot.min.y), ImVec2(x, plot.max.y), st.cursor, 1 * s);
  }
  static thread_local std::vector<ImVec2> pts;
  for (const auto& se : series) {
    if (!se.samples || se.samples->size() == 0) continue;
    pts.clear();
    const auto first = se.samples->first_index();
    for (std::size_t i = 0; i < se.samples->size(); ++i) {
      const double t = static_cast<double>(first + i) * c.period_s;
      pts.emplace_back(x_of(t), y_of(std::min<double>((*se.samples)[i], y_max * 1.02)));
    }
    if (pts.size() == 1) dl->AddCircleFilled(pts[0], se.thickness * s, se.colour);
    else if (se.dashed) kit::dashed_polyline(dl, pts.data(), static_cast<int>(pts.size()), se.colour, 5 * s, se.thickness * s);
    else dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), se.colour, ImDrawFlags_None, se.thickness * s);
  }
  dl->PopClipRect();
  dl->AddLine(ImVec2(plot.min.x, plot.max.y), ImVec2(plot.max.x, plot.max.y), st.muted, 1 * s);
  if (c.marker_s >= 0 && c.marker_s <= x_span) {  // on top of the axis line
    const float x = std::round(x_of(c.marker_s)), y = plot.max.y, h = 5 * s;
    dl->AddTriangleFilled(ImVec2(x, y - h), ImVec2(x - h * 0.8f, y + 1 * s), ImVec2(x + h * 0.8f, y + 1 * s), c.marker_colour);
  }
  return plot;
}

}  // namespace scalebook::widgets::chart
