// kafka — view: one row per partition with its consumer lag as a bar coloured by the
// consumer that owns it (faint when nobody is reading it), the group's consumers beside them
// with their state, a summary line, and the group's total lag over time with the rebalance
// rounds shaded. Draw-only: the run is scenario.{h,cpp}; the model src/sim/kafka/group.h.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "widgets/chart.h"
#include "widgets/kafka/scenario.h"
#include "widgets/kit/kit.h"
#include "widgets/units.h"
#include "widgets/view.h"

namespace scalebook::widgets {
namespace {

using kafka::Doing;
using kafka::KafkaScenario;
using kit::col;
namespace kg = sim::kafka;

// A consumer's colour: hues spaced by the golden angle, so neighbours differ.
ImU32 owner_colour(int slot, bool dark, float alpha = 1.0f) {
  const float h = std::fmod(0.58f + 0.381966f * static_cast<float>(slot - 1), 1.0f);
  float r = 0, g = 0, b = 0;
  ImGui::ColorConvertHSVtoRGB(h, dark ? 0.45f : 0.62f, dark ? 0.95f : 0.78f, r, g, b);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(r, g, b, alpha));
}

render::Rgb doing_colour(Doing d, const render::Palette& p) {
  switch (d) {
    case Doing::Consuming: return p.good;
    case Doing::Rebalancing: return p.warn;
    case Doing::Revoked: return p.warn;
    case Doing::DeadUndetected: return p.bad;
    case Doing::StoppedUndetected: return p.bad;
    case Doing::Idle:
    case Doing::Gone: return p.muted;
  }
  return p.muted;
}

const char* doing_text(Doing d) {
  switch (d) {
    case Doing::Consuming: return "consuming";
    case Doing::Idle: return "idle: no partition";
    case Doing::Rebalancing: return "consuming, rebalancing";
    case Doing::Revoked: return "revoked, in rebalance";
    case Doing::DeadUndetected: return "dead, undetected";
    case Doing::StoppedUndetected: return "stopped, in group";
    case Doing::Gone: return "out of the group";
  }
  return "";
}

bool dark_theme(const render::Palette& p) { return p.text.r + p.text.g + p.text.b > 1.5f; }

class KafkaView final : public View {
 public:
  void draw(const Scenario& scenario, const Frame& f) override {
    const auto& sc = static_cast<const KafkaScenario&>(scenario);
    ImDrawList* dl = ImGui::GetBackgroundDrawList();
    const float s = f.scale, pad = 10 * s, line_h = ImGui::GetTextLineHeight();
    if (!sc.ok()) {
      dl->AddText(ImVec2(f.x + pad, f.y + pad), col(f.palette.bad), "The group is not configured.");
      return;
    }
    const float x0 = f.x + pad, x1 = f.x + f.width - pad, y0 = f.y + pad, y1 = f.y + f.height - pad;
    draw_summary(dl, f, sc, ImVec2(x0, y0), x1);
    const float top = y0 + line_h * 1.5f;
    const float chart_h = std::clamp((y1 - top) * 0.34f, line_h * 6.0f, line_h * 11.0f);
    const float rows_bottom = y1 - chart_h - pad * 0.6f;
    const float split = x0 + (x1 - x0) * 0.56f;
    draw_partitions(dl, f, sc, ImVec2(x0, top), ImVec2(split - pad, rows_bottom));
    draw_consumers(dl, f, sc, ImVec2(split + pad * 0.5f, top), ImVec2(x1, rows_bottom));
    draw_lag_chart(dl, f, sc, ImVec2(x0, rows_bottom + pad * 0.6f), ImVec2(x1, y1));
  }

 private:
  void draw_summary(ImDrawList* dl, const Frame& f, const KafkaScenario& sc, ImVec2 at, float x1) {
    const auto& g = sc.group();
    const auto t = g.totals();
    std::string line = std::string(kg::assignor_name(g.desc().assignor)) +
                       (g.protocol() == kg::Protocol::Eager ? " (eager)" : " (cooperative)") + " · generation " +
                       std::to_string(g.generation()) + " · lag " + units::thousands(static_cast<unsigned long long>(std::max<std::int64_t>(0, t.lag))) +
                       " · peak " + units::thousands(static_cast<unsigned long long>(t.max_lag)) + " · read twice " +
                       units::thousands(t.duplicates) + " · rebalances " + std::to_string(t.rebalances);
    if (g.in_round()) line += " · REBALANCING";
    dl->PushClipRect(at, ImVec2(x1, at.y + ImGui::GetTextLineHeight() * 1.3f), true);
    dl->AddText(at, col(g.in_round() ? f.palette.warn : f.palette.text), line.c_str());
    dl->PopClipRect();
  }

  void draw_partitions(ImDrawList* dl, const Frame& f, const KafkaScenario& sc, ImVec2 mn, ImVec2 mx) {
    const auto& g = sc.group();
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const bool dark = dark_theme(f.palette);
    const auto& parts = g.partitions();
    const int n = static_cast<int>(parts.size());
    dl->PushClipRect(mn, ImVec2(mx.x, mn.y + line_h * 1.2f), true);
    dl->AddText(mn, col(f.palette.muted), "Lag per partition (records), by owner");
    dl->PopClipRect();
    const float top = mn.y + line_h * 1.2f;
    const float row = std::min(line_h * 1.15f, (mx.y - top) / static_cast<float>(std::max(1, n)));
    if (row < 2 * s) return;
    const bool labels = row >= line_h * 0.8f;
    const float label_w = labels ? ImGui::CalcTextSize("p00 ").x : 0;
    const float owner_w = labels ? ImGui::CalcTextSize(" c00").x : 0;
    const float bx0 = mn.x + label_w, bx1 = mx.x - owner_w;
    // The bar scale: a nice ceiling of the largest lag, at least 1,000 records.
    std::int64_t most = 1000;
    for (const auto& ps : parts) most = std::max(most, ps.log_end - (ps.consuming ? ps.position : ps.committed));
    const double scale_max = chart::nice_max(static_cast<double>(most), 4);
    char buf[48];
    for (int p = 0; p < n; ++p) {
      const auto& ps = parts[static_cast<std::size_t>(p)];
      const float y = top + row * static_cast<float>(p);
      const std::int64_t lag = ps.log_end - (ps.consuming ? ps.position : ps.committed);
      const int slot = ps.owner < 0 ? 0 : g.members()[static_cast<std::size_t>(ps.owner)].slot;
      dl->AddRectFilled(ImVec2(bx0, y + row * 0.12f), ImVec2(bx1, y + row * 0.88f), col(f.palette.muted, 0.08f), 2 * s);
      const float w = static_cast<float>(static_cast<double>(lag) / scale_max) * (bx1 - bx0);
      const ImU32 c = slot > 0 ? owner_colour(slot, dark, ps.consuming ? 0.9f : 0.35f) : col(f.palette.muted, 0.5f);
      if (w > 0.5f) dl->AddRectFilled(ImVec2(bx0, y + row * 0.12f), ImVec2(bx0 + std::max(1.5f * s, w), y + row * 0.88f), c, 2 * s);
      if (!ps.consuming)
        dl->AddRect(ImVec2(bx0, y + row * 0.12f), ImVec2(bx1, y + row * 0.88f), col(f.palette.bad, 0.55f), 2 * s, 0, 1.0f * s);
      if (!labels) continue;
      std::snprintf(buf, sizeof buf, "p%d", p);
      dl->AddText(ImVec2(mn.x, y), col(f.palette.muted), buf);
      if (lag > 0) {
        const std::string v = units::thousands(static_cast<unsigned long long>(lag));
        const float tw = ImGui::CalcTextSize(v.c_str()).x;
        const float tx = std::min(bx0 + w + 4 * s, bx1 - tw);
        dl->AddText(ImVec2(tx, y), col(f.palette.text, 0.85f), v.c_str());
      }
      if (slot > 0) std::snprintf(buf, sizeof buf, " c%d", slot);
      else std::snprintf(buf, sizeof buf, " -");
      dl->AddText(ImVec2(bx1, y), slot > 0 ? owner_colour(slot, dark) : col(f.palette.muted), buf);
    }
    std::snprintf(buf, sizeof buf, "bar = %s records", units::thousands(static_cast<unsigned long long>(scale_max)).c_str());
    const float by = top + row * static_cast<float>(n) + 2 * s;
    if (labels && by + line_h <= mx.y + line_h * 0.2f) dl->AddText(ImVec2(bx0, by), col(f.palette.muted, 0.8f), buf);
  }

  void draw_consumers(ImDrawList* dl, const Frame& f, const KafkaScenario& sc, ImVec2 mn, ImVec2 mx) {
    const auto& g = sc.group();
    const float s = f.scale, line_h = ImGui::GetTextLineHeight();
    const bool dark = dark_theme(f.palette);
    dl->AddText(mn, col(f.palette.muted), "Consumers");
    // The newest incarnation of every consumer, plus older ones the coordinator still counts.
    std::vector<int> shown;
    for (int i = 0; i < static_cast<int>(g.members().size()); ++i) {
      const auto& m = g.members()[static_cast<std::size_t>(i)];
      if (g.current_member(m.slot) == i || m.in_group) shown.push_back(i);
    }
    const float top = mn.y + line_h * 1.2f;
    const float row = std::min(line_h * 2.05f, (mx.y - top) / static_cast<float>(std::max<std::size_t>(1, shown.size())));
    const bool two_lines = row >= line_h * 1.9f;
    if (row < line_h * 0.9f) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%d consumers", static_cast<int>(shown.size()));
      dl->AddText(ImVec2(mn.x, top), col(f.palette.text), buf);
      return;
    }
    char buf[96];
    // Narrow (a phone): "c1 2p" and a one-word state.
    const bool compact = mx.x - mn.x < ImGui::CalcTextSize("c00  00 partitions  waiting, in rebalance").x;
    for (std::size_t k = 0; k < shown.size(); ++k) {
      const int i = shown[k];
      const auto& m = g.members()[static_cast<std::size_t>(i)];
      const Doing d = sc.doing(i);
      const float y = top + row * static_cast<float>(k);
      const float sw = line_h * 0.7f;
      dl->AddRectFilled(ImVec2(mn.x, y + line_h * 0.15f), ImVec2(mn.x + sw, y + line_h * 0.15f + sw),
                        owner_colour(m.slot, dark, d == Doing::Gone ? 0.3f : 1.0f), 2 * s);
      const bool old = g.current_member(m.slot) != i;
      if (compact)
        std::snprintf(buf, sizeof buf, "c%d%s %dp", m.slot, old ? " (old)" : "", static_cast<int>(m.owned.size()));
      else
        std::snprintf(buf, sizeof buf, "c%d%s  %d partition%s", m.slot, old ? " (old member)" : "",
                      static_cast<int>(m.owned.size()), m.owned.size() == 1 ? "" : "s");
      dl->AddText(ImVec2(mn.x + sw + 6 * s, y), col(d == Doing::Gone ? f.palette.muted : f.palette.text), buf);
      std::string state = compact ? kafka::doing_word(d)
                          : d == Doing::Rebalancing && m.owned.empty() ? "waiting, in rebalance" : doing_text(d);
      if (!compact && (d == Doing::DeadUndetected || d == Doing::StoppedUndetected) && m.expires_us > g.now_us()) {
        std::snprintf(buf, sizeof buf, " · %.1f s left", static_cast<double>(m.expires_us - g.now_us()) * 1e-6);
        state += buf;
      }
      const ImVec2 at = two_lines ? ImVec2(mn.x + sw + 6 * s, y + line_h * 0.95f)
                                  : ImVec2(mn.x + sw + 6 * s + ImGui::CalcTextSize(compact ? "c00 00p " : "c00  00 partitions  ").x, y);
      dl->PushClipRect(ImVec2(mn.x, y), ImVec2(mx.x, y + row), true);
      dl->AddText(at, col(doing_colour(d, f.palette)), state.c_str());
      dl->PopClipRect();
    }
  }

  void draw_lag_chart(ImDrawList* dl, const Frame& f, const KafkaScenario& sc, ImVec2 mn, ImVec2 mx) {
    const chart::Style st = chart::theme_style(f.palette, f.scale);
    const double now_s = static_cast<double>(sc.time_us()) * 1e-6;
    const double dur_s = static_cast<double>(sc.duration_us()) * 1e-6;
    const double axis_s = std::min(dur_s, std::max(30.0, (std::floor(now_s / 10.0) + 1.0) * 10.0));
    const chart::Series series[] = {{.samples = &sc.lag_samples(), .colour = col(f.palette.accent), .thickness = 2}};
    chart::Chart c;
    c.min = mn;
    c.max = mx;
    c.title = "Group lag (records); rebalances shaded";
    c.period_s = static_cast<double>(kafka::kSampleUs) * 1e-6;
    c.x_max_s = axis_s;
    c.now_s = now_s;
    c.y_min_span = 1000;
    const chart::PlotRect plot = chart::draw_chart(dl, st, c, series);
    if (plot.width() < 10 || plot.height() < 10) return;
    const auto x_of = [&](double us) {
      return plot.min.x + static_cast<float>(std::clamp(us * 1e-6 / axis_s, 0.0, 1.0)) * plot.width();
    };
    for (const auto& r : sc.group().rounds()) {
      const double a = static_cast<double>(r.start_us);
      const double b = static_cast<double>(r.end_us < 0 ? sc.time_us() : r.end_us);
      if (a * 1e-6 > axis_s) continue;
      const render::Rgb ink = sc.group().protocol() == kg::Protocol::Eager ? f.palette.bad : f.palette.warn;
      dl->AddRectFilled(ImVec2(x_of(a), plot.min.y), ImVec2(std::max(x_of(a) + 1.5f * f.scale, x_of(b)), plot.max.y),
                        col(ink, r.follow_up ? 0.12f : 0.2f));
    }
  }
};

}  // namespace

std::unique_ptr<View> make_kafka_view() { return std::make_unique<KafkaView>(); }

}  // namespace scalebook::widgets
