// lb — view: clients → one balancer → N backends, for one or two balancing algorithms
// on the same requests. Draw-only: the run (lanes, queues, samples) is scenario.{h,cpp};
// the pickers and closed forms are src/sim/lb.
//
// Left, one block per algorithm: its name and latency so far (p50, p99), then a balancer
// box with a line to each backend (thicker for a larger share of the requests so far)
// and one row per backend: its workers as squares (filled: serving), its queue as a stack
// of small blocks growing right (amber; past the row's room a "+N"), and the requests it
// took and its utilisation so far. Backend a is marked when it is the slow one.
// Right: p99 (solid) and p50 (dashed) latency per algorithm over the run, on a log axis,
// with Erlang C's mean for one pooled queue as a dashed reference; under it the closed
// forms in words.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "widgets/chart.h"
#include "widgets/kit/kit.h"
#include "widgets/lb/scenario.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using kit::col;
using lb::LbScenario;

void fmt_ms(char* buf, std::size_t n, double ms) {
  if (ms >= 1000) std::snprintf(buf, n, "%g s", ms / 1000);
  else std::snprintf(buf, n, "%g ms", ms);
}

std::string ms_text(double us) {
  char b[32];
  const double ms = us / 1000.0;
  if (ms >= 1000) std::snprintf(b, sizeof b, "%.2f s", ms / 1000);
  else std::snprintf(b, sizeof b, ms >= 100 ? "%.0f ms" : ms >= 10 ? "%.1f ms" : "%.2f ms", ms);
  return b;
}

class LbView final : public View {
 public:
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const LbScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s;
    if (!sc.error().empty()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), sc.error().c_str());
      return;
    }
    const bool wide = f.width >= 560 * s;
    const float left_w = wide ? (f.width - 3 * pad) * 0.55f : f.width - 2 * pad;
    const ImVec2 lmin(f.x + pad, f.y + pad);
    const float lanes_h = wide ? f.height - 2 * pad : (f.height - 3 * pad) * 0.55f;
    draw_lanes(dl, sc, f, lmin, ImVec2(lmin.x + left_w, lmin.y + lanes_h));
    const ImVec2 rmin = wide ? ImVec2(lmin.x + left_w + pad, f.y + pad) : ImVec2(f.x + pad, lmin.y + lanes_h + pad);
    const ImVec2 rmax(f.x + f.width - pad, f.y + f.height - pad);
    draw_latency(dl, sc, f, rmin, rmax);
  }

 private:
  static chart::Style style(const Frame& f) {
    return chart::theme_style(f.palette, f.scale);
  }

  static void draw_lanes(ImDrawList* dl, const LbScenario& sc, const Frame& f, ImVec2 min, ImVec2 max) {
    const float s = f.scale, line_h = ImGui::GetTextLineHeight(), gap = 10 * s;
    const std::size_t n = sc.lanes().size();
    // The key, along the bottom.
    {
      const float sq = line_h * 0.6f, ty = max.y - line_h;
      float x = min.x;
      const std::pair<ImU32, const char*> keys[] = {{kit::col(kit::series_colour(0, f.dark)), "serving"},
                                                   {col(f.palette.warn), "queued"},
                                                   {col(f.palette.muted, 0.25f), "idle worker"}};
      for (const auto& [c, label] : keys) {
        dl->AddRectFilled(ImVec2(x, ty + line_h * 0.2f), ImVec2(x + sq, ty + line_h * 0.2f + sq), c, 2 * s);
        dl->AddText(ImVec2(x + sq + 4 * s, ty), col(f.palette.muted), label);
        x += sq + 4 * s + ImGui::CalcTextSize(label).x + 12 * s;
      }
      max.y -= line_h + 4 * s;
    }
    const float block_h = (max.y - min.y - gap * static_cast<float>(n - 1)) / static_cast<float>(n);
    for (std::size_t i = 0; i < n; ++i) {
      const float y0 = min.y + static_cast<float>(i) * (block_h + gap);
      draw_lane(dl, sc, sc.lanes()[i], i, f, ImVec2(min.x, y0), ImVec2(max.x, y0 + block_h));
    }
  }

  static void draw_lane(ImDrawList* dl, const LbScenario& sc, const lb::Lane& lane, std::size_t i, const Frame& f, ImVec2 min,
                        ImVec2 max) {
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const ImU32 lane_c = col(kit::series_colour(i, f.dark));
    const ImU32 text = col(f.palette.text), muted = col(f.palette.muted);
    char buf[160];
    // Header: name and latency so far.
    dl->AddRectFilled(ImVec2(min.x, min.y + line_h * 0.2f), ImVec2(min.x + 4 * s, min.y + line_h * 0.85f), lane_c);
    dl->AddText(ImVec2(min.x + 9 * s, min.y), text, lb::algorithm_label(lane.algorithm));
    if (lane.latency_us.count()) {
      std::snprintf(buf, sizeof buf, "p50 %s   p99 %s", ms_text(static_cast<double>(lane.latency_us.quantile(0.5))).c_str(),
                    ms_text(static_cast<double>(lane.latency_us.quantile(0.99))).c_str());
      const float w = ImGui::CalcTextSize(buf).x;
      const float name_w = ImGui::CalcTextSize(lb::algorithm_label(lane.algorithm)).x;
      if (min.x + 9 * s + name_w + 12 * s + w <= max.x) dl->AddText(ImVec2(max.x - w, min.y), text, buf);
    }
    const std::size_t nb = lane.backends.size();
    const float rows_top = min.y + line_h + 4 * s;
    const float row_h = std::min(22 * s, (max.y - rows_top) / static_cast<float>(nb));
    if (row_h < 3 * s) return;
    // Balancer box, with a line to each backend weighted by its share so far.
    const float box_w = std::min(34 * s, (max.x - min.x) * 0.12f), box_x = min.x;
    const float mid_y = rows_top + row_h * static_cast<float>(nb) * 0.5f;
    const float fan_x = box_x + box_w, rows_x = fan_x + std::min(28 * s, (max.x - min.x) * 0.08f);
    dl->AddRectFilled(ImVec2(box_x, mid_y - 11 * s), ImVec2(fan_x, mid_y + 11 * s), col(f.palette.surface), 3 * s);
    dl->AddRect(ImVec2(box_x, mid_y - 11 * s), ImVec2(fan_x, mid_y + 11 * s), lane_c, 3 * s, 0, 1.5f * s);
    const float lbw = ImGui::CalcTextSize("LB").x;
    dl->AddText(ImVec2(box_x + (box_w - lbw) * 0.5f, mid_y - line_h * 0.5f), text, "LB");
    std::uint64_t total = 0;
    for (const auto& b : lane.backends) total += b.picked;
    // Row layout: label | workers | queue stack … | picked · util
    const float label_w = ImGui::CalcTextSize("a 5x").x + 6 * s;
    std::snprintf(buf, sizeof buf, "%s  100%%", kit::thousands(sc.setup().requests).c_str());
    const float stats_w = ImGui::CalcTextSize(buf).x;
    const int workers = sc.setup().workers;
    const float sq = std::max(2 * s, std::min(row_h * 0.7f, 12 * s));
    const float worker_w = std::min(static_cast<float>(workers) * (sq + 2 * s), (max.x - rows_x) * 0.3f);
    const float more_w = ImGui::CalcTextSize("+99,999").x + 6 * s;  // room for the overflow count
    const float queue_x = rows_x + label_w + worker_w + 6 * s, queue_end = max.x - stats_w - 8 * s - more_w;
    for (std::size_t b = 0; b < nb; ++b) {
      const lb::BackendNow& k = lane.backends[b];
      const float y = rows_top + static_cast<float>(b) * row_h, cy = y + row_h * 0.5f;
      const float share = total ? static_cast<float>(k.picked) / static_cast<float>(total) : 1.0f / static_cast<float>(nb);
      dl->AddLine(ImVec2(fan_x, mid_y), ImVec2(rows_x - 2 * s, cy), col(kit::series_colour(i, f.dark), 0.35f + 0.6f * share),
                  (0.8f + 6.0f * share) * s);
      const bool slow = b == 0 && sc.setup().slow_factor > 1;
      if (slow) std::snprintf(buf, sizeof buf, "%c %gx", 'a', sc.setup().slow_factor);
      else std::snprintf(buf, sizeof buf, "%c", static_cast<char>('a' + b));
      dl->AddText(ImVec2(rows_x, cy - line_h * 0.5f), slow ? col(f.palette.bad) : text, buf);
      // Workers: busy ones filled. Many workers: one bar, filled to the busy share.
      float x = rows_x + label_w;
      if (static_cast<float>(workers) * (sq + 2 * s) <= worker_w + 0.5f) {
        for (int w = 0; w < workers; ++w, x += sq + 2 * s)
          dl->AddRectFilled(ImVec2(x, cy - sq * 0.5f), ImVec2(x + sq, cy + sq * 0.5f),
                            w < static_cast<int>(k.busy) ? lane_c : col(f.palette.muted, 0.25f), 2 * s);
      } else {
        dl->AddRectFilled(ImVec2(x, cy - sq * 0.5f), ImVec2(x + worker_w, cy + sq * 0.5f), col(f.palette.muted, 0.25f), 2 * s);
        dl->AddRectFilled(ImVec2(x, cy - sq * 0.5f), ImVec2(x + worker_w * static_cast<float>(k.busy) / static_cast<float>(workers), cy + sq * 0.5f),
                          lane_c, 2 * s);
      }
      // Queue stack: one block per waiting request, newest on the right.
      const float qw = std::max(2 * s, sq * 0.55f), step = qw + 1 * s;
      const auto room = static_cast<std::uint32_t>(std::max(0.0f, (queue_end - queue_x) / step));
      const std::uint32_t shown = std::min(k.queued, room);
      for (std::uint32_t q = 0; q < shown; ++q) {
        const float qx = queue_x + static_cast<float>(q) * step;
        dl->AddRectFilled(ImVec2(qx, cy - sq * 0.5f), ImVec2(qx + qw, cy + sq * 0.5f), col(f.palette.warn), 1 * s);
      }
      if (k.queued > shown) {
        std::snprintf(buf, sizeof buf, "+%s", kit::thousands(k.queued - shown).c_str());
        dl->AddText(ImVec2(queue_x + static_cast<float>(shown) * step + 2 * s, cy - line_h * 0.5f), col(f.palette.warn), buf);
      }
      std::snprintf(buf, sizeof buf, "%s  %.0f%%", kit::thousands(k.picked).c_str(), 100 * lane.utilisation(b, sc.time_us(), workers));
      const float w = ImGui::CalcTextSize(buf).x;
      dl->AddText(ImVec2(max.x - w, cy - line_h * 0.5f), muted, buf);
    }
  }

  static void draw_latency(ImDrawList* dl, const LbScenario& sc, const Frame& f, ImVec2 min, ImVec2 max) {
    const chart::Style st = style(f);
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    // Legend: each lane's colour; p99 solid, p50 dashed.
    float x = min.x;
    for (std::size_t i = 0; i < sc.lanes().size(); ++i)
      x = chart::legend_swatch(dl, ImVec2(x, min.y), st, col(kit::series_colour(i, f.dark)), 2.5f,
                               lb::algorithm_label(sc.lanes()[i].algorithm), st.text);
    const float key_y = min.y + line_h + 2 * s;
    float kx = chart::legend_swatch(dl, ImVec2(min.x, key_y), st, st.muted, 2.0f, "p99", st.muted);
    kit::dashed_hline(dl, kx, kx + 14 * s, key_y + st.label_size * 0.55f, st.muted, 3 * s, 1.5f * s);
    dl->AddText(ImGui::GetFont(), st.label_size, ImVec2(kx + 18 * s, key_y), st.muted, "p50");
    // Closed forms, at the bottom.
    char buf[200];
    std::snprintf(buf, sizeof buf, "Erlang C at rho %.2f: pooled %s, %d queues %s", sc.setup().utilisation,
                  ms_text(1000 * sc.pooled_mean_ms()).c_str(), sc.setup().backends, ms_text(1000 * sc.separate_mean_ms()).c_str());
    const float notes_h = 2 * line_h + 4 * s;
    // Clipped to the column: the note never runs past the canvas edge.
    dl->PushClipRect(ImVec2(min.x, max.y - notes_h), ImVec2(max.x, max.y), true);
    dl->AddText(ImGui::GetFont(), st.label_size, ImVec2(min.x, max.y - notes_h), st.muted, buf);
    const bool exact = sc.setup().service.kind == sim::lb::ServiceKind::kExponential && sc.setup().slow_factor == 1 && sc.setup().ramp_to == 0;
    dl->AddText(ImGui::GetFont(), st.label_size, ImVec2(min.x, max.y - notes_h + line_h),
                st.muted, exact ? "(exact here: exponential, equal backends)" : "(a yardstick: exact for exponential, equal)");
    dl->PopClipRect();

    std::vector<chart::Series> series;
    for (std::size_t i = 0; i < sc.lanes().size(); ++i) {
      const ImU32 c = col(kit::series_colour(i, f.dark));
      series.push_back({.samples = &sc.lanes()[i].p99_ms, .colour = c, .thickness = 2.0f, .dashed = false});
      series.push_back({.samples = &sc.lanes()[i].p50_ms, .colour = c, .thickness = 1.5f, .dashed = true});
    }
    chart::Chart c;
    c.min = ImVec2(min.x, key_y + line_h + 4 * s);
    c.max = ImVec2(max.x, max.y - notes_h - 4 * s);
    c.title = "Latency over the run (log scale)";
    c.period_s = sc.sample_period_s();
    c.x_max_s = static_cast<double>(sc.duration_us()) * 1e-6;
    c.now_s = static_cast<double>(sc.time_us()) * 1e-6;
    c.y_format = fmt_ms;
    c.y_log = true;
    const double mean_ms = sim::lb::service_mean_us(sc.setup().service) / 1000.0;
    c.y_log_min = std::pow(10.0, std::floor(std::log10(mean_ms * 0.5)));
    c.y_min_span = mean_ms * 10;
    c.reference = sc.pooled_mean_ms();
    c.reference_label = "pooled mean";
    c.marker_s = static_cast<double>(sc.arrivals_end_us()) * 1e-6;  // arrivals stop: the drain
    c.marker_colour = st.muted;
    chart::draw_chart(dl, st, c, series);
  }
};

}  // namespace

std::unique_ptr<View> make_lb_view() { return std::make_unique<LbView>(); }

}  // namespace scalebook::widgets
