// rate-limiter — view: one request stream fed to 1–3 limiters side by side.
// Draw-only: the model, its run (lanes, decisions, chart samples), summary and state are
// in scenario.{h,cpp}; the limiters themselves in src/sim/ratelimit.
//
// A figure on one time axis (the whole run when it lasts at most 10 s, else the last
// 10 s, in simulated seconds, with a "now" cursor):
//  - per lane (algorithm): a header (series colour, name, counts; with several clients
//    the busiest client's share of rejections against everyone else's), a strip of
//    requests as dots (green admitted, amber delayed with a tail to its release time,
//    red rejected; one row per client when there are ≤ 64 clients, client 0 on top),
//    and a gauge of the limiter's state for the latest client (bucket / queue / window
//    count / GCRA tolerance used);
//  - below: offered vs admitted requests/s (1 s window, sampled every 100 ms of
//    simulated time), with a y axis, the configured limit as a dashed line and a legend.
// Story presets (burst, boundary, noisy-neighbour, drift) live in info.cpp; the
// platform shows them as buttons and their story under the canvas.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/rng.h"
#include "widgets/kit/kit.h"
#include "widgets/rate_limiter/scenario.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

namespace rl = sim::ratelimit;
using rate_limiter::kMaxClientRows;
using rate_limiter::kSampleUs;
using rate_limiter::kSpanUs;

using kit::col;
using kit::dashed_hline;

// The lanes' line colours: the kit's categorical palette.
render::Rgb series_colour(std::size_t i, const Frame& f) { return kit::series_colour(i, f.dark); }

const char* gauge_name(rl::Algorithm a) {
  switch (a) {
    case rl::Algorithm::TokenBucket:
    case rl::Algorithm::StripeBucket: return "bucket";
    case rl::Algorithm::Shaper:
    case rl::Algorithm::Nginx: return "queue";
    case rl::Algorithm::Gcra: return "burst";
    default: return "window";
  }
}

// Draw-only: no state of its own (every frame is a function of the scenario and the frame).
class RateLimiterView final : public View {
 public:
  // -- Draw
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const rate_limiter::RateLimiterScenario&>(scenario);
    const auto& lanes = sc.lanes();
    const std::int64_t now = sc.time_us(), duration = sc.duration_us();
    const std::uint32_t clients = sc.clients();
    const double limit = sc.limit_per_s();
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s, gap = 6 * s;
    const ImU32 text = col(f.palette.text), muted = col(f.palette.muted), grid = col(f.palette.muted, 0.22f);
    if (!sc.error().empty()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), sc.error().c_str());
      return;
    }
    const float line_h = ImGui::GetTextLineHeight();
    const float label_h = line_h + 3 * s;

    // Time axis: the whole run when it fits in the span, else the last kSpanUs.
    const std::int64_t span = std::min(duration, kSpanUs);
    const std::int64_t t0 = std::max<std::int64_t>(0, now - span), t1 = t0 + span;

    // Horizontal layout: y-axis labels | plot | gauge column.
    char buf[256];
    const double y_max = sc.chart_y_max();
    std::snprintf(buf, sizeof buf, "%g", y_max);
    const float axis_w = ImGui::CalcTextSize(buf).x + 6 * s;
    const float gauge_col = ImGui::CalcTextSize("100% used").x + 16 * s;
    const float x0 = f.x + pad + axis_w, x1 = f.x + f.width - pad - gauge_col - gap;
    auto x_of = [&](std::int64_t t) {
      return x0 + static_cast<float>(static_cast<double>(t - t0) / static_cast<double>(span)) * (x1 - x0);
    };

    // Legend entries (wrapped onto as many rows as the width needs).
    struct Entry {
      std::string name;
      ImU32 colour;
      bool dashed;
    };
    std::vector<Entry> entries;
    entries.push_back({"offered", muted, false});
    for (std::size_t i = 0; i < lanes.size(); ++i)
      entries.push_back({lanes.size() == 1 ? std::string("admitted")
                                            : std::string(rl::algorithm_name(lanes[i].algorithm())),
                         col(series_colour(i, f)), false});
    std::snprintf(buf, sizeof buf, clients > 1 && !sc.distributed_only() ? "limit per client %g" : "limit %g", limit);
    entries.push_back({buf, col(f.palette.bad, 0.85f), true});
    const float swatch = 16 * s, legend_x0 = f.x + pad + ImGui::CalcTextSize("requests/s").x + 14 * s;
    const float legend_x1 = f.x + f.width - pad;
    std::vector<ImVec2> entry_pos;  // x, row
    {
      float lx = legend_x0;
      int row = 0;
      for (const Entry& e : entries) {
        const float w = swatch + 4 * s + ImGui::CalcTextSize(e.name.c_str()).x;
        if (lx + w > legend_x1 && lx > legend_x0) {
          ++row;
          lx = legend_x0;
        }
        entry_pos.emplace_back(lx, static_cast<float>(row));
        lx += w + 12 * s;
      }
    }
    const float legend_rows = entry_pos.empty() ? 1.0f : entry_pos.back().y + 1;

    // Vertical layout: lanes (header + strip), chart title/legend, chart, x-axis labels.
    const float n_lanes = static_cast<float>(lanes.size());
    const float fixed = n_lanes * (label_h + gap) + (legend_rows + 1) * label_h + gap;
    const float flexible = std::max(40 * s, f.height - 2 * pad - fixed);
    const float chart_h = std::max(36 * s, flexible * (lanes.size() > 1 ? 0.40f : 0.45f));
    const float strip_h = std::max(12 * s, (flexible - chart_h) / n_lanes);

    // Second grid lines through every strip and the chart.
    const std::int64_t tick_us = (x1 - x0) / s < 360 ? 2000000 : 1000000;
    float y = f.y + pad;
    std::vector<std::pair<float, float>> strip_spans;
    for (std::size_t i = 0; i < lanes.size(); ++i) {
      const rate_limiter::Lane& lane = lanes[i];
      const std::string busiest = draw_lane_header(dl, f, sc, i, series_colour(i, f), f.x + pad, x1 + gap + gauge_col, y, text, muted);
      const float ys = y + label_h, yb = ys + strip_h;
      strip_spans.emplace_back(ys, yb);
      dl->AddRectFilled(ImVec2(x0, ys), ImVec2(x1, yb), col(f.palette.surface));
      for (std::int64_t t = (t0 / tick_us + 1) * tick_us; t < t1; t += tick_us)
        dl->AddLine(ImVec2(x_of(t), ys), ImVec2(x_of(t), yb), grid, s);
      // Dot size: up to 3 px, smaller when many requests share the strip (each dot gets
      // roughly a 3-diameter square of it), so dense traffic stays a readable texture.
      std::size_t visible = 0;
      for (const rate_limiter::Event& e : lane.recent) visible += e.time_us >= t0;
      const float area = (x1 - x0) * strip_h * static_cast<float>(now - t0 + 1) / static_cast<float>(span);
      const float by_density = visible ? std::sqrt(area / static_cast<float>(visible)) / 6.0f : 3.0f * s;
      const float dot = std::clamp(std::min(strip_h / 14.0f, by_density), 1.4f * s, 3.0f * s);
      const bool rows = clients > 1 && clients <= kMaxClientRows;
      for (const rate_limiter::Event& e : lane.recent) {
        if (e.time_us < t0) continue;
        const float x = x_of(e.time_us);
        float frac;
        if (rows)
          frac = (static_cast<float>(e.client) + 0.5f) / static_cast<float>(clients);
        else  // one client: jitter by arrival so dots do not sit on one line
          frac = static_cast<float>(sim::mix64(clients > 1 ? e.client : static_cast<std::uint64_t>(e.time_us)) % 1000) / 1000.0f;
        const float yy = ys + dot + 1 * s + frac * (strip_h - 2 * dot - 2 * s);
        if (e.verdict == rl::Verdict::Delay) {
          const float xr = std::min(x_of(e.time_us + e.delay_us), x1);
          dl->AddLine(ImVec2(x, yy), ImVec2(xr, yy), col(f.palette.warn, 0.55f), std::max(1.0f, 1.2f * s));
        }
        const ImU32 c = e.verdict == rl::Verdict::Admit   ? col(f.palette.good)
                        : e.verdict == rl::Verdict::Delay ? col(f.palette.warn)
                                                          : col(f.palette.bad);
        dl->AddCircleFilled(ImVec2(x, yy), dot, c, 10);
      }
      if (!busiest.empty()) {  // did not fit in the header: bottom right of the strip, on a plate
        const ImVec2 ts = ImGui::CalcTextSize(busiest.c_str());
        const ImVec2 a(x1 - ts.x - 8 * s, yb - ts.y - 4 * s);
        dl->AddRectFilled(a, ImVec2(x1 - 2 * s, yb - 2 * s), col(f.palette.background, 0.88f), 3 * s);
        dl->AddText(ImVec2(a.x + 3 * s, a.y + 1 * s), col(f.palette.text), busiest.c_str());
      }
      // State gauge for the most recent client, labelled.
      const float gx = x1 + gap, gw = 10 * s;
      const float u = std::clamp(static_cast<float>(sc.utilisation(i)), 0.0f, 1.0f);
      dl->AddRectFilled(ImVec2(gx, ys), ImVec2(gx + gw, yb), col(f.palette.surface));
      dl->AddRectFilled(ImVec2(gx, yb - (yb - ys) * u), ImVec2(gx + gw, yb), col(u >= 0.999f ? f.palette.bad : f.palette.accent));
      dl->AddRect(ImVec2(gx, ys), ImVec2(gx + gw, yb), muted, 0, 0, std::max(1.0f, s));
      const char* gname = gauge_name(lane.algorithm());
      std::snprintf(buf, sizeof buf, "%.0f%% %s", 100.0 * u, std::string(gname) == "queue" ? "full" : "used");
      if (strip_h >= 2 * line_h) {
        dl->AddText(ImVec2(gx + gw + 3 * s, ys), muted, gname);
        dl->AddText(ImVec2(gx + gw + 3 * s, ys + line_h), text, buf);
      } else {
        dl->AddText(ImVec2(gx + gw + 3 * s, ys + (strip_h - line_h) / 2), text, buf);
      }
      y = yb + gap;
    }

    // Chart title and legend.
    const float cy_title = y;
    dl->AddText(ImVec2(f.x + pad, cy_title), text, "requests/s");
    for (std::size_t k = 0; k < entries.size(); ++k) {
      const Entry& e = entries[k];
      const float lx = entry_pos[k].x, ly = cy_title + entry_pos[k].y * label_h, ym = ly + line_h * 0.55f;
      if (e.dashed)
        dashed_hline(dl, lx, lx + swatch, ym, e.colour, 3 * s, 1.5f * s);
      else
        dl->AddLine(ImVec2(lx, ym), ImVec2(lx + swatch, ym), e.colour, 2.5f * s);
      dl->AddText(ImVec2(lx + swatch + 4 * s, ly), muted, e.name.c_str());
    }

    // Chart body with y axis.
    const float cy0 = cy_title + legend_rows * label_h, cy1 = cy0 + chart_h;
    dl->AddRectFilled(ImVec2(x0, cy0), ImVec2(x1, cy1), col(f.palette.surface, 0.6f));
    auto y_of = [&](double v) { return cy1 - static_cast<float>(v / y_max) * (cy1 - cy0); };
    for (int k = 0; k <= 2; ++k) {
      const double v = y_max * k / 2;
      const float yy = y_of(v);
      if (k > 0) dl->AddLine(ImVec2(x0, yy), ImVec2(x1, yy), grid, s);
      std::snprintf(buf, sizeof buf, "%g", v);
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      dl->AddText(ImVec2(x0 - 4 * s - ts.x, std::clamp(yy - ts.y / 2, cy0 - ts.y / 2, cy1 - ts.y)), muted, buf);
    }
    for (std::int64_t t = (t0 / tick_us + 1) * tick_us; t < t1; t += tick_us)
      dl->AddLine(ImVec2(x_of(t), cy0), ImVec2(x_of(t), cy1), grid, s);
    // The series are clipped at the zero axis and the axis is drawn over them: a stroke
    // centred on a zero rate must not show below the axis (a rate is never negative).
    dl->PushClipRect(ImVec2(x0, cy0 - 2 * s), ImVec2(x1, cy1), true);
    plot(dl, sc, sc.offered_samples(), t0, x_of, y_of, muted, 1.5f * s);
    for (std::size_t i = 0; i < lanes.size(); ++i) plot(dl, sc, lanes[i].samples, t0, x_of, y_of, col(series_colour(i, f)), 2.2f * s);
    dl->PopClipRect();
    dl->AddLine(ImVec2(x0, cy1), ImVec2(x1, cy1), muted, std::max(1.0f, s));
    dl->AddLine(ImVec2(x0, cy0), ImVec2(x0, cy1), muted, std::max(1.0f, s));
    // The limit on top, dashed, so a lane sitting exactly at the limit still shows it.
    if (limit <= y_max) dashed_hline(dl, x0, x1, y_of(limit), col(f.palette.bad, 0.85f), 5 * s, 1.5f * s);

    // X axis: simulated seconds, shared by the strips above.
    const float ay = cy1 + 2 * s;
    for (std::int64_t t = (t0 + tick_us - 1) / tick_us * tick_us; t <= t1; t += tick_us) {
      std::snprintf(buf, sizeof buf, t + tick_us > t1 ? "%lld s" : "%lld", static_cast<long long>(t / 1000000));
      const ImVec2 ts = ImGui::CalcTextSize(buf);
      const float xt = std::clamp(x_of(t) - ts.x / 2, x0 - ts.x / 2, x1 - ts.x / 2);
      dl->AddText(ImVec2(xt, ay), muted, buf);
    }
    // "Now" cursor through the strips and the chart (not across the lane headers).
    if (now >= t0 && now <= t1) {
      const float xn = x_of(now);
      const ImU32 cursor = col(f.palette.text, 0.45f);
      for (const auto& [ya, yb] : strip_spans) dl->AddLine(ImVec2(xn, ya), ImVec2(xn, yb), cursor, std::max(1.0f, s));
      dl->AddLine(ImVec2(xn, cy0), ImVec2(xn, cy1), cursor, std::max(1.0f, s));
    }
  }

 private:
  template <typename XOf, typename YOf>
  static void plot(ImDrawList* dl, const rate_limiter::RateLimiterScenario& sc, const std::vector<float>& v,
                   std::int64_t t0, XOf x_of, YOf y_of, ImU32 c, float thickness) {
    const std::int64_t last_t = sc.last_sample_us();
    std::vector<ImVec2> pts;
    pts.reserve(v.size());
    for (std::size_t k = 0; k < v.size(); ++k) {
      const std::int64_t t = last_t - static_cast<std::int64_t>(v.size() - 1 - k) * kSampleUs;
      if (t < t0 - kSampleUs) continue;
      pts.emplace_back(x_of(t), y_of(v[k]));
    }
    if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), c, ImDrawFlags_None, thickness);
  }

  // "● token-bucket   admitted 12 · delayed 0 · rejected 3 (20%)", shortened to fit; with
  // several clients a second part says how the busiest client fares against the rest.
  // Returns the busiest-client text when it did not fit on the header line ("" otherwise).
  static std::string draw_lane_header(ImDrawList* dl, const Frame& f, const rate_limiter::RateLimiterScenario& sc,
                                      std::size_t lane_index, const render::Rgb& colour, float xa, float xb,
                                      float y, ImU32 text, ImU32 muted) {
    const rate_limiter::Lane& lane = sc.lanes()[lane_index];
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    dl->AddLine(ImVec2(xa, y + line_h * 0.55f), ImVec2(xa + 14 * s, y + line_h * 0.55f), col(colour), 3 * s);
    const std::string name(rl::algorithm_name(lane.algorithm()));
    float x = xa + 20 * s;
    dl->AddText(ImVec2(x, y), text, name.c_str());
    x += ImGui::CalcTextSize(name.c_str()).x + 12 * s;
    const std::uint64_t n = lane.admitted + lane.delayed + lane.rejected;
    const double pct = n ? 100.0 * static_cast<double>(lane.rejected) / static_cast<double>(n) : 0.0;
    char full[200], mid[120], tiny[60];
    const auto ull = [](std::uint64_t v) { return static_cast<unsigned long long>(v); };
    if (lane.delayed)
      std::snprintf(full, sizeof full, "admitted %llu · delayed %llu (mean +%.0f ms) · rejected %llu (%.0f%%)", ull(lane.admitted),
                    ull(lane.delayed), lane.delay_sum_us / static_cast<double>(lane.delayed) / 1000.0, ull(lane.rejected), pct);
    else
      std::snprintf(full, sizeof full, "admitted %llu · delayed 0 · rejected %llu (%.0f%%)", ull(lane.admitted), ull(lane.rejected), pct);
    std::snprintf(mid, sizeof mid, "%llu ok · %llu delayed · %llu rejected", ull(lane.admitted), ull(lane.delayed), ull(lane.rejected));
    std::snprintf(tiny, sizeof tiny, "%.0f%% rejected", pct);
    const char* stats = full;
    for (const char* c : {full, mid, tiny}) {
      stats = c;
      if (x + ImGui::CalcTextSize(c).x <= xb) break;
    }
    dl->AddText(ImVec2(x, y), muted, stats);
    x += ImGui::CalcTextSize(stats).x + 14 * s;
    const rate_limiter::BusiestClient b = sc.busiest(lane_index);
    if (!b.any) return {};
    char who[160];
    const auto share = [](const rate_limiter::ClientCount& c) {
      return c.sent ? 100.0 * static_cast<double>(c.rejected) / static_cast<double>(c.sent) : 0.0;
    };
    std::snprintf(who, sizeof who, "busiest client %u: %.0f%% rejected · other %zu clients: %.0f%%", b.id, share(b.top),
                  b.others, share(b.rest));
    if (x + ImGui::CalcTextSize(who).x <= xb) {
      dl->AddText(ImVec2(x, y), text, who);
      return {};
    }
    return who;
  }
};

}  // namespace

std::unique_ptr<View> make_rate_limiter_view() { return std::make_unique<RateLimiterView>(); }

}  // namespace scalebook::widgets
