// breaker — view: the request path as four boxes (clients → the service's thread pool →
// the circuit breaker → the dependency), below it the breaker's state over time, and two
// charts: requests per second by outcome, and the failure rate in the breaker's window
// against its threshold. Draw-only: the run is scenario.{h,cpp}; the model
// src/sim/breaker/resilience4j.h.
//
// Boxes: the pool is a grid of cells (one per thread, or per ceil(threads / 100) threads),
// filled when busy; the breaker box is coloured by its state (closed: good, open: bad,
// half-open: warn), with the window's failure rate as a bar and the threshold as a tick,
// and when open the time until the next trial; the dependency box says healthy, failing
// or slow. Between the boxes the last second's flows: requests in, calls made, and the two
// short paths out — turned away by a full pool, answered by the fallback.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "widgets/breaker/scenario.h"
#include "widgets/chart.h"
#include "widgets/kit/kit.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using breaker::BreakerScenario;
using breaker::Dependency;
using breaker::Mark;
using kit::col;

render::Rgb mark_colour(Mark m, const render::Palette& p) {
  switch (m) {
    case Mark::Closed: return p.good;
    case Mark::Open: return p.bad;
    case Mark::HalfOpen: return p.warn;
    case Mark::Off: return p.muted;
  }
  return p.muted;
}

const char* mark_word(Mark m) {
  switch (m) {
    case Mark::Closed: return "CLOSED";
    case Mark::Open: return "OPEN";
    case Mark::HalfOpen: return "HALF-OPEN";
    case Mark::Off: return "no breaker";
  }
  return "";
}

// A ring's latest value (the rings are already moving rates over the last second).
float latest(const chart::SampleRing& r) { return r.size() == 0 ? 0.0f : r[r.size() - 1]; }

void centred(ImDrawList* dl, float cx, float y, ImU32 c, const char* text) {
  const ImVec2 ts = ImGui::CalcTextSize(text);
  dl->AddText(ImVec2(cx - ts.x / 2, y), c, text);
}

void arrow(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 c, float s) {
  dl->AddLine(a, b, c, 1.5f * s);
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::max(1.0f, std::sqrt(dx * dx + dy * dy));
  const float ux = dx / len, uy = dy / len, h = 6 * s;
  dl->AddTriangleFilled(b, ImVec2(b.x - ux * h - uy * h * 0.55f, b.y - uy * h + ux * h * 0.55f),
                        ImVec2(b.x - ux * h + uy * h * 0.55f, b.y - uy * h - ux * h * 0.55f), c);
}

// A chart over the run's time axis, one point per 100 ms sample.
chart::Chart over_time(const BreakerScenario& sc, ImVec2 mn, ImVec2 mx, const char* title, double axis_s) {
  chart::Chart c;
  c.min = mn;
  c.max = mx;
  c.title = title;
  c.period_s = static_cast<double>(breaker::kSampleUs) * 1e-6;
  c.x_max_s = axis_s;
  c.now_s = static_cast<double>(sc.time_us()) * 1e-6;
  return c;
}

class BreakerView final : public View {
 public:
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const BreakerScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s, line_h = ImGui::GetTextLineHeight();
    if (!sc.ok()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), sc.error().c_str());
      return;
    }
    const float x0 = f.x + pad, x1 = f.x + f.width - pad, y0 = f.y + pad, y1 = f.y + f.height - pad;
    const float h = y1 - y0;
    const float flow_h = std::clamp(h * 0.44f, line_h * 8.5f, line_h * 13.0f);
    draw_flow(dl, f, sc, ImVec2(x0, y0), ImVec2(x1, y0 + flow_h));
    // A time axis that grows with the run in 10 s steps (at least 20 s).
    const double now_s = static_cast<double>(sc.time_us()) * 1e-6, dur_s = static_cast<double>(sc.duration_us()) * 1e-6;
    const double axis_s = std::min(dur_s, std::max(20.0, (std::floor(now_s / 10.0) + 1.0) * 10.0));
    const float band_top = y0 + flow_h + pad * 0.5f, band_h = line_h * 2.1f;
    draw_band(dl, f, sc, ImVec2(x0, band_top), ImVec2(x1, band_top + band_h), axis_s);
    const float charts_top = band_top + band_h + pad * 0.6f;
    if (y1 - charts_top < 40 * s) return;
    const float split = x0 + (x1 - x0) * 0.56f;
    draw_outcomes(dl, f, sc, ImVec2(x0, charts_top), ImVec2(split - pad * 0.5f, y1), axis_s);
    draw_rate(dl, f, sc, ImVec2(split + pad * 0.5f, charts_top), ImVec2(x1, y1), axis_s);
  }

 private:
  void draw_flow(ImDrawList* dl, const Frame& f, const BreakerScenario& sc, ImVec2 mn, ImVec2 mx) {
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const float w = mx.x - mn.x;
    // Columns: clients (narrow), pool, breaker, dependency; gaps carry the arrows.
    const float gap = std::clamp(w * 0.07f, 28 * s, 70 * s);
    const float clients_w = std::clamp(w * 0.11f, 52 * s, 90 * s);
    const float rest = (w - clients_w - 3 * gap) / 3.0f;
    const float bx[4] = {mn.x, mn.x + clients_w + gap, mn.x + clients_w + gap * 2 + rest,
                         mn.x + clients_w + gap * 3 + rest * 2};
    const float bw[4] = {clients_w, rest, rest, rest};
    const float top = mn.y + line_h * 1.3f, bottom = mx.y - line_h * 2.6f;
    const float mid = (top + bottom) / 2;
    const ImU32 text = col(f.palette.text), muted = col(f.palette.muted);
    char buf[96];

    // Titles above the boxes.
    const char* titles[4] = {"Clients", "Service threads", "Circuit breaker", "Dependency"};
    for (int i = 0; i < 4; ++i) centred(dl, bx[i] + bw[i] / 2, mn.y, text, titles[i]);

    // Clients.
    dl->AddRect(ImVec2(bx[0], top), ImVec2(bx[0] + bw[0], bottom), col(f.palette.muted, 0.6f), 4 * s, 0, 1.2f * s);
    {
      // Three client glyphs (a head over shoulders), then the offered load.
      const float cx = bx[0] + bw[0] / 2, r = std::min(bw[0] * 0.09f, line_h * 0.38f);
      const ImU32 ink = col(f.palette.muted, 0.8f);
      const float gy = top + (bottom - top) * 0.18f;
      for (int i = 0; i < 3; ++i) {
        const float ox = cx + static_cast<float>(i - 1) * r * 2.9f;
        dl->AddCircleFilled(ImVec2(ox, gy + r), r, ink);
        dl->AddRectFilled(ImVec2(ox - r * 1.3f, gy + r * 2.4f), ImVec2(ox + r * 1.3f, gy + r * 4.2f), ink, r);
      }
      std::snprintf(buf, sizeof buf, "%.0f/s", sc.rate_per_s());
      centred(dl, cx, gy + r * 4.2f + line_h * 0.6f, text, buf);
      centred(dl, cx, gy + r * 4.2f + line_h * 1.6f, muted, "Poisson");
    }

    // The pool: a grid of cells, filled when busy.
    {
      const float px0 = bx[1], px1 = bx[1] + bw[1];
      dl->AddRect(ImVec2(px0, top), ImVec2(px1, bottom), col(f.palette.muted, 0.6f), 4 * s, 0, 1.2f * s);
      const int threads = sc.threads();
      const int per = std::max(1, (threads + 99) / 100);
      const int cells = (threads + per - 1) / per;
      const int busy_cells = (sc.busy() + per - 1) / per;
      const float iw = px1 - px0 - 12 * s, ih = bottom - top - line_h * 1.6f - 10 * s;
      int cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(static_cast<float>(cells) * iw / std::max(1.0f, ih)))));
      cols = std::min(cols, cells);
      const int rows = (cells + cols - 1) / cols;
      const float cell = std::max(2 * s, std::min(iw / static_cast<float>(cols), ih / static_cast<float>(rows)));
      const float gx = px0 + (px1 - px0 - cell * static_cast<float>(cols)) / 2, gy = top + 6 * s;
      const bool full = sc.busy() >= threads;
      for (int i = 0; i < cells; ++i) {
        const float cx = gx + static_cast<float>(i % cols) * cell, cy = gy + static_cast<float>(i / cols) * cell;
        const ImVec2 a(cx + cell * 0.12f, cy + cell * 0.12f), b(cx + cell * 0.88f, cy + cell * 0.88f);
        if (i < busy_cells)
          dl->AddRectFilled(a, b, col(full ? f.palette.bad : f.palette.accent, 0.85f), 1.5f * s);
        else
          dl->AddRect(a, b, col(f.palette.muted, 0.5f), 1.5f * s, 0, 1.0f * s);
      }
      std::snprintf(buf, sizeof buf, "%d of %d busy", sc.busy(), threads);
      centred(dl, (px0 + px1) / 2, bottom - line_h * 1.3f, col(full ? f.palette.bad : f.palette.text), buf);
    }

    // The breaker.
    {
      const float qx0 = bx[2], qx1 = bx[2] + bw[2], cx = (qx0 + qx1) / 2;
      const Mark m = sc.mark();
      const render::Rgb ink = mark_colour(m, f.palette);
      dl->AddRectFilled(ImVec2(qx0, top), ImVec2(qx1, bottom), col(ink, m == Mark::Off ? 0.06f : 0.16f), 4 * s);
      dl->AddRect(ImVec2(qx0, top), ImVec2(qx1, bottom), col(ink, 0.9f), 4 * s, 0, (m == Mark::Off ? 1.2f : 2.2f) * s);
      float y = top + 6 * s;
      centred(dl, cx, y, col(m == Mark::Off ? f.palette.muted : ink), mark_word(m));
      y += line_h * 1.25f;
      if (m == Mark::Off) {
        centred(dl, cx, y, muted, "every request");
        centred(dl, cx, y + line_h, muted, "calls through");
      } else {
        const auto& win = sc.window();
        std::snprintf(buf, sizeof buf, "window: %d calls", win.total_calls);
        centred(dl, cx, y, text, buf);
        y += line_h;
        if (win.total_calls > 0)
          std::snprintf(buf, sizeof buf, "%d failed (%.1f%%)", win.failed_calls, static_cast<double>(win.failure_rate()));
        else
          std::snprintf(buf, sizeof buf, "no calls yet");
        centred(dl, cx, y, text, buf);
        y += line_h * 1.2f;
        // The failure rate against the threshold; faint while below the minimum number of calls.
        const float gx0 = qx0 + 10 * s, gx1 = qx1 - 10 * s, gh = 7 * s;
        const bool judged = win.total_calls >= sc.minimum_calls();
        dl->AddRectFilled(ImVec2(gx0, y), ImVec2(gx1, y + gh), col(f.palette.muted, 0.18f), 2 * s);
        const float fr = std::clamp(win.failure_rate() / 100.0f, 0.0f, 1.0f);
        if (fr > 0)
          dl->AddRectFilled(ImVec2(gx0, y), ImVec2(gx0 + (gx1 - gx0) * fr, y + gh),
                            col(f.palette.bad, judged ? 0.85f : 0.35f), 2 * s);
        const float tx = gx0 + (gx1 - gx0) * sc.config().failure_rate_threshold / 100.0f;
        dl->AddLine(ImVec2(tx, y - 3 * s), ImVec2(tx, y + gh + 3 * s), text, 2 * s);
        y += gh + 5 * s;
        if (!judged) {
          std::snprintf(buf, sizeof buf, "judged from %d calls", sc.minimum_calls());
          centred(dl, cx, y, muted, buf);
        } else if (m == Mark::Open) {
          const double left = static_cast<double>(std::max<std::int64_t>(0, sc.open_until_us() - sc.time_us())) * 1e-6;
          std::snprintf(buf, sizeof buf, "trial calls in %.1f s", left);
          centred(dl, cx, y, text, buf);
        } else if (m == Mark::HalfOpen) {
          std::snprintf(buf, sizeof buf, "%d trial calls", sc.config().permitted_number_of_calls_in_half_open_state);
          centred(dl, cx, y, text, buf);
        } else {
          std::snprintf(buf, sizeof buf, "opens at %.0f%%", static_cast<double>(sc.config().failure_rate_threshold));
          centred(dl, cx, y, muted, buf);
        }
      }
    }

    // The dependency.
    {
      const float dx0 = bx[3], dx1 = bx[3] + bw[3], cx = (dx0 + dx1) / 2;
      const Dependency d = sc.dependency();
      const render::Rgb ink = d == Dependency::Healthy ? f.palette.good : d == Dependency::Failing ? f.palette.bad : f.palette.warn;
      dl->AddRect(ImVec2(dx0, top), ImVec2(dx1, bottom), col(ink, 0.9f), 4 * s, 0, 2 * s);
      float y = top + 6 * s;
      centred(dl, cx, y, col(ink), d == Dependency::Healthy ? "healthy" : d == Dependency::Failing ? "failing" : "slow");
      y += line_h * 1.25f;
      const double lat_ms = static_cast<double>(d == Dependency::Slow ? sc.slow_us() : sc.healthy_latency_us()) / 1000.0;
      std::snprintf(buf, sizeof buf, lat_ms >= 100 ? "~%.0f ms a call" : "~%.1f ms a call", lat_ms);
      centred(dl, cx, y, text, buf);
      y += line_h;
      if (d == Dependency::Failing) {
        std::snprintf(buf, sizeof buf, "%d%% errors", sc.fail_percent());
        centred(dl, cx, y, text, buf);
        y += line_h;
      }
      std::snprintf(buf, sizeof buf, "timeout %.0f ms", static_cast<double>(sc.timeout_us()) / 1000.0);
      centred(dl, cx, y, muted, buf);
      y += line_h;
      if (d == Dependency::Slow && sc.slow_us() / 2 >= sc.timeout_us()) centred(dl, cx, y, col(f.palette.bad), "calls time out");
    }

    // Flows of the last second between the boxes, and the two short ways out.
    const float in_rate = latest(sc.arrivals_per_s()), called = latest(sc.calls_per_s());
    const float turned = latest(sc.turned_away_per_s()), fallback = latest(sc.fallback_per_s());
    const ImU32 flow = col(f.palette.muted, 0.9f);
    const float ay = mid;
    arrow(dl, ImVec2(bx[0] + bw[0] + 3 * s, ay), ImVec2(bx[1] - 3 * s, ay), flow, s);
    std::snprintf(buf, sizeof buf, "%.0f/s", in_rate);
    centred(dl, bx[0] + bw[0] + gap / 2, ay - line_h * 1.1f, muted, buf);
    arrow(dl, ImVec2(bx[1] + bw[1] + 3 * s, ay), ImVec2(bx[2] - 3 * s, ay), flow, s);
    arrow(dl, ImVec2(bx[2] + bw[2] + 3 * s, ay), ImVec2(bx[3] - 3 * s, ay), flow, s);
    if (sc.has_breaker()) {
      std::snprintf(buf, sizeof buf, "%.0f/s", std::max(0.0f, in_rate - turned));
      centred(dl, bx[1] + bw[1] + gap / 2, ay - line_h * 1.1f, muted, buf);
    }
    std::snprintf(buf, sizeof buf, "%.0f/s", called);
    centred(dl, bx[2] + bw[2] + gap / 2, ay - line_h * 1.1f, muted, buf);
    const float out_y = mx.y - line_h * 1.2f;
    arrow(dl, ImVec2(bx[1] + bw[1] / 2, bottom + 2 * s), ImVec2(bx[1] + bw[1] / 2, out_y - 2 * s),
          col(turned > 0 ? f.palette.bad : f.palette.muted, turned > 0 ? 0.95f : 0.35f), s);
    std::snprintf(buf, sizeof buf, "turned away %.0f/s", turned);
    centred(dl, bx[1] + bw[1] / 2, out_y, col(turned > 0 ? f.palette.bad : f.palette.muted), buf);
    if (sc.has_breaker()) {
      arrow(dl, ImVec2(bx[2] + bw[2] / 2, bottom + 2 * s), ImVec2(bx[2] + bw[2] / 2, out_y - 2 * s),
            col(fallback > 0 ? f.palette.warn : f.palette.muted, fallback > 0 ? 0.95f : 0.35f), s);
      std::snprintf(buf, sizeof buf, "fallback %.0f/s", fallback);
      centred(dl, bx[2] + bw[2] / 2, out_y, col(fallback > 0 ? f.palette.warn : f.palette.muted), buf);
    }
  }

  void draw_band(ImDrawList* dl, const Frame& f, const BreakerScenario& sc, ImVec2 mn, ImVec2 mx, double axis_s) {
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    dl->AddText(mn, col(f.palette.text), "Breaker state over time");
    float lx = mn.x + ImGui::CalcTextSize("Breaker state over time").x + 12 * s;
    for (const Mark m : {Mark::Closed, Mark::Open, Mark::HalfOpen}) {
      const char* w = mark_word(m);
      dl->AddRectFilled(ImVec2(lx, mn.y + line_h * 0.25f), ImVec2(lx + 10 * s, mn.y + line_h * 0.8f),
                        col(mark_colour(m, f.palette), 0.8f), 2 * s);
      dl->AddText(ImVec2(lx + 14 * s, mn.y), col(f.palette.muted), w);
      lx += 14 * s + ImGui::CalcTextSize(w).x + 10 * s;
    }
    // The latest action, right-aligned on the title's line, shortened with "…" to the room left.
    if (!sc.events().empty()) {
      std::string e = sc.events().back();
      const float room = mx.x - (lx + 16 * s);
      if (ImGui::CalcTextSize(e.c_str()).x > room) {
        while (!e.empty() && ImGui::CalcTextSize((e + "…").c_str()).x > room) {
          e.pop_back();
          while (!e.empty() && (static_cast<unsigned char>(e.back()) & 0xC0) == 0x80) e.pop_back();  // whole UTF-8
        }
        e += "…";
      }
      if (room > 0) dl->AddText(ImVec2(mx.x - ImGui::CalcTextSize(e.c_str()).x, mn.y), col(f.palette.text), e.c_str());
    }
    const float top = mn.y + line_h + 2 * s, bottom = mx.y;
    const float w = mx.x - mn.x;
    const double dur = axis_s * 1e6;
    const auto x_of = [&](double us) { return mn.x + static_cast<float>(std::min(1.0, us / dur)) * w; };
    dl->AddRectFilled(ImVec2(mn.x, top), ImVec2(mx.x, bottom), col(f.palette.muted, 0.06f));
    const auto& marks = sc.marks();
    for (std::size_t k = 0; k < marks.size();) {
      std::size_t e = k + 1;
      while (e < marks.size() && marks[e] == marks[k]) ++e;
      const double a = static_cast<double>(k) * breaker::kSampleUs;
      const double b = std::min(static_cast<double>(e) * breaker::kSampleUs, static_cast<double>(sc.time_us()));
      dl->AddRectFilled(ImVec2(x_of(a), top), ImVec2(std::max(x_of(a) + 1, x_of(b)), bottom),
                        col(mark_colour(marks[k], f.palette), marks[k] == Mark::Closed ? 0.35f : 0.8f));
      k = e;
    }
    const float cx = x_of(static_cast<double>(sc.time_us()));
    dl->AddLine(ImVec2(cx, top - 2 * s), ImVec2(cx, bottom + 2 * s), col(f.palette.text, 0.6f), 1.0f * s);
  }

  void draw_outcomes(ImDrawList* dl, const Frame& f, const BreakerScenario& sc, ImVec2 mn, ImVec2 mx, double axis_s) {
    const chart::Style st = chart::theme_style(f.palette, f.scale);
    const float line_h = ImGui::GetTextLineHeight();
    std::vector<chart::Series> series = {
        {.samples = &sc.ok_per_s(), .colour = col(f.palette.good), .thickness = 2},
        {.samples = &sc.failed_per_s(), .colour = col(f.palette.bad), .thickness = 2},
        {.samples = &sc.turned_away_per_s(), .colour = col(f.palette.bad), .thickness = 1.5f, .dashed = true},
    };
    if (sc.has_breaker()) series.push_back({.samples = &sc.fallback_per_s(), .colour = col(f.palette.warn), .thickness = 2});
    chart::Chart c = over_time(sc, ImVec2(mn.x, mn.y + line_h * 1.1f), mx, "Requests per second", axis_s);
    c.y_min_span = std::max(10.0, sc.rate_per_s() * 1.2);
    // The legend above the chart.
    float lx = mn.x;
    lx = chart::legend_swatch(dl, ImVec2(lx, mn.y), st, col(f.palette.good), 2, "served", st.muted);
    lx = chart::legend_swatch(dl, ImVec2(lx, mn.y), st, col(f.palette.bad), 2, "failed", st.muted);
    lx = chart::legend_swatch(dl, ImVec2(lx, mn.y), st, col(f.palette.bad, 0.7f), 1.5f, "turned away", st.muted);
    if (sc.has_breaker()) chart::legend_swatch(dl, ImVec2(lx, mn.y), st, col(f.palette.warn), 2, "fallback", st.muted);
    chart::draw_chart(dl, st, c, series);
  }

  void draw_rate(ImDrawList* dl, const Frame& f, const BreakerScenario& sc, ImVec2 mn, ImVec2 mx, double axis_s) {
    const chart::Style st = chart::theme_style(f.palette, f.scale);
    const float line_h = ImGui::GetTextLineHeight();
    if (!sc.has_breaker()) {
      dl->AddText(ImVec2(mn.x, mn.y + line_h * 1.1f), col(f.palette.muted), "No breaker: nothing watches the failures.");
      return;
    }
    std::vector<chart::Series> series = {
        {.samples = &sc.failure_rate(), .colour = col(f.palette.bad), .thickness = 2},
    };
    chart::Chart c = over_time(sc, ImVec2(mn.x, mn.y + line_h * 1.1f), mx, "Failure rate in the window (%)", axis_s);
    c.y_max = 100;
    c.reference = sc.config().failure_rate_threshold;
    c.reference_label = "threshold";
    const auto& log = sc.transitions();
    for (auto it = log.rbegin(); it != log.rend(); ++it)
      if (it->to == sim::breaker::r4j::State::kOpen) {
        c.marker_s = static_cast<double>(it->time_us) * 1e-6;
        c.marker_colour = col(f.palette.bad);
        break;
      }
    chart::draw_chart(dl, st, c, series);
  }
};

}  // namespace

std::unique_ptr<View> make_breaker_view() { return std::make_unique<BreakerView>(); }

}  // namespace scalebook::widgets
